#include "vm/exec/shards.h"

#include <thread>
#include <vector>

namespace daliz {

void runShards(size_t shards, size_t count, const std::function<void(size_t, size_t, size_t)>& work) {
  if (shards == 0) shards = 1;
  auto shard = [&](size_t t) { work(t, count * t / shards, count * (t + 1) / shards); };
  if (shards == 1 || count < 64) {
    for (size_t t = 0; t < shards; ++t) shard(t);
    return;
  }
  std::vector<std::thread> threads;
  for (size_t t = 1; t < shards; ++t) threads.emplace_back(shard, t);
  shard(0);
  for (auto& th : threads) th.join();
}

}  // namespace daliz

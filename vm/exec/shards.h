#pragma once
// Splitting a batch of records among worker threads, the same way everywhere (run, categorize,
// backtest): output order never depends on the thread count.
#include <cstddef>
#include <functional>

namespace daliz {

// Calls work(shard, begin, end) for each shard in [0, shards): shard t gets the contiguous
// records [count*t/shards, count*(t+1)/shards). Shard 0 runs on the calling thread, the
// others on threads of their own; a small batch (under 64 records) runs every shard on the
// calling thread. Returns when all shards are done.
void runShards(size_t shards, size_t count, const std::function<void(size_t shard, size_t begin, size_t end)>& work);

}  // namespace daliz

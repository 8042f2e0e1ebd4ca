#pragma once
// Splitting a batch of records among worker threads, the same way everywhere (run, categorize,
// backtest): output order never depends on the thread count.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace daliz {

// Records decided, and records that got an error line instead.
struct BatchCounts {
  size_t ok = 0;
  size_t errors = 0;
};

// Calls work(shard, begin, end) for each shard in [0, shards): shard t gets the contiguous
// records [count*t/shards, count*(t+1)/shards). Shard 0 runs on the calling thread, the
// others on threads of their own; a small batch (under 64 records) runs every shard on the
// calling thread. Returns when all shards are done.
void runShards(size_t shards, size_t count, const std::function<void(size_t shard, size_t begin, size_t end)>& work);

// Sets outputs[i] (resized to lines.size()) by decide(shard, lines[i], outputs[i]), which
// returns whether the line was decided (else its output is an error line), and adds both
// kinds to `counts`. Shard t only ever runs on one thread: it indexes the caller's per-thread
// state.
template <typename Decide>
void decideLines(size_t shards, const std::vector<std::string_view>& lines, std::vector<std::string>& outputs,
                 BatchCounts& counts, Decide decide) {
  outputs.resize(lines.size());
  std::vector<BatchCounts> perShard(shards == 0 ? 1 : shards);
  runShards(perShard.size(), lines.size(), [&](size_t t, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) ++(decide(t, lines[i], outputs[i]) ? perShard[t].ok : perShard[t].errors);
  });
  for (const BatchCounts& c : perShard) {
    counts.ok += c.ok;
    counts.errors += c.errors;
  }
}

}  // namespace daliz

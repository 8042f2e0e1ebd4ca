#include "analysis/replay.h"

#include <algorithm>
#include <thread>

#include "vm/exec/batch.h"
#include "vm/exec/shards.h"

namespace daliz::analysis {

struct Replayer::Worker {
  explicit Worker(const LoadedProgram& p) : runner(p, 1) {}
  BatchRunner runner;

  void decide(std::string_view line, Replayed& r) {
    bool ok = false;
    runner.decideOne(line, ok);
    const Decision& d = runner.lastDecision();
    r.ok = d.ok;
    r.id = d.id.value_or("");
    r.error = d.ok ? std::string() : d.error;
    r.corridor = d.ok ? d.corridor : 0;
    r.hits.clear();
    r.office = d.ok ? d.declaration.office : std::nullopt;
    if (d.ok) {
      r.hits.reserve(d.hits.size());
      for (const Hit& h : d.hits) r.hits.push_back(ReplayHit{h.profile, h.item.value_or(-1)});
    }
  }
};

Replayer::Replayer(const LoadedProgram& program, unsigned threads) {
  if (threads == 0) threads = 1;
  for (unsigned t = 0; t < threads; ++t) workers_.push_back(std::make_unique<Worker>(program));
}

Replayer::~Replayer() = default;

void Replayer::decide(const std::vector<std::string_view>& lines, std::vector<Replayed>& out) {
  out.resize(lines.size());
  runShards(workers_.size(), lines.size(), [&](size_t t, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) workers_[t]->decide(lines[i], out[i]);
  });
}

bool LineReader::next(size_t max, std::vector<std::string>& lines, std::vector<size_t>& numbers) {
  lines.clear();
  numbers.clear();
  std::string line;
  while (lines.size() < max && std::getline(in_, line)) {
    ++number_;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    lines.push_back(std::move(line));
    numbers.push_back(number_);
  }
  if (in_.bad()) failed_ = true;
  return !lines.empty();
}

unsigned defaultThreads() { return std::max(1u, std::thread::hardware_concurrency()); }

const char* statusName(uint8_t status) {
  static const char* const kNames[] = {"draft", "active", "suspended"};
  return status < 3 ? kNames[status] : "active";
}

}  // namespace daliz::analysis

// daliz replay: re-decides every input of a decision log with the bundle that decided it, found
// by content hash in an archive folder, and checks the log's hash chain (docs/decision_log.md).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "cli/bundle_file.h"
#include "cli/commands.h"
#include "cli/diagnostics_output.h"
#include "cli/files.h"
#include "cli/json_lines.h"
#include "decision_log/chain.h"
#include "decision_log/writer.h"
#include "vm/bundle/approval.h"
#include "vm/bundle/bundle_writer.h"
#include "vm/exec/batch.h"

namespace daliz::cli {
namespace {

// The bundles of an archive folder by (content hash, approval sequence): a bundle file and its
// approved copy have the same hash but render different decisions (the sequence).
class Archive {
 public:
  Archive(const std::string& dir, TrustPolicy policy, unsigned threads, bool jit)
      : policy_(std::move(policy)), threads_(threads), jit_(jit) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      if (!entry.is_regular_file(ec)) continue;
      std::string why;
      auto bytes = readWholeFile(entry.path().string(), why);
      if (!bytes) continue;
      if (isSealed(*bytes)) {  // indexed by its plaintext's hash, kept in memory only
        auto plain = policy_.hostKey ? openSealed(*bytes, *policy_.hostKey, why) : std::nullopt;
        if (!plain) continue;
        bytes = std::move(plain);
      }
      auto opened = openBundleFile(*bytes, TrustPolicy::development(), why);
      if (!opened) continue;  // not a bundle file, or a tampered one: never used
      std::optional<uint64_t> sequence;
      if (opened->approval) sequence = opened->approval->sequence;
      paths_.emplace(std::make_pair(contentHashHex(opened->bundle), sequence),
                     entry.path().string());
    }
    if (ec) error_ = "cannot read the bundle folder `" + dir + "`: " + ec.message();
  }
  const std::string& error() const { return error_; }
  size_t size() const { return paths_.size(); }

  // The runner for a bundle, loaded on first use; null (with `why`) when it is not archived or
  // does not load under the policy.
  BatchRunner* runner(const std::string& hash, std::optional<uint64_t> sequence, std::string& why) {
    const auto key = std::make_pair(hash, sequence);
    if (auto it = runners_.find(key); it != runners_.end()) return it->second.get();
    auto path = paths_.find(key);
    if (path == paths_.end()) {
      why = "bundle " + hash +
            (sequence ? " (sequence " + std::to_string(*sequence) + ")" : std::string()) +
            " is not in the archive";
      return nullptr;
    }
    auto bytes = readWholeFile(path->second, why);
    auto program = bytes ? loadProgram(*bytes, policy_, why) : nullptr;
    if (!program) {
      why = "`" + path->second + "`: " + why;
      return nullptr;
    }
    if (jit_ && !compileWithJit(*program)) {
      why = "the JIT is not available";
      return nullptr;
    }
    auto& slot = runners_[key];
    slot = std::make_unique<BatchRunner>(*program, threads_);
    programs_.push_back(std::move(program));
    return slot.get();
  }

 private:
  TrustPolicy policy_;
  unsigned threads_;
  bool jit_ = false;
  std::string error_;
  std::map<std::pair<std::string, std::optional<uint64_t>>, std::string> paths_;
  std::vector<std::unique_ptr<LoadedProgram>> programs_;
  std::map<std::pair<std::string, std::optional<uint64_t>>, std::unique_ptr<BatchRunner>> runners_;
};

struct Pending {
  std::string where;  // file:line
  decision_log::Record record;
};

class Replay {
 public:
  Replay(Archive& archive, size_t show) : archive_(archive), show_(show) {}

  void problem(const std::string& where, const std::string& what) {
    ++problems_;
    if (printed_++ < show_) std::cout << where << ": " << what << "\n";
  }

  // Re-decides the pending records (consecutive, any bundles) and compares.
  void flush() {
    size_t begin = 0;
    while (begin < pending_.size()) {
      size_t end = begin;
      const auto& first = pending_[begin].record;
      while (end < pending_.size() && pending_[end].record.bundle == first.bundle &&
             pending_[end].record.sequence == first.sequence)
        ++end;
      std::string why;
      BatchRunner* runner = archive_.runner(first.bundle, first.sequence, why);
      if (!runner) {
        for (size_t i = begin; i < end; ++i) problem(pending_[i].where, "cannot re-decide: " + why);
        unreplayable_ += end - begin;
      } else {
        std::vector<std::string_view> inputs;
        for (size_t i = begin; i < end; ++i) inputs.push_back(*pending_[i].record.input);
        std::vector<std::string> outputs;
        BatchCounts counts;
        runner->run(inputs, outputs, counts);
        for (size_t i = begin; i < end; ++i) {
          ++replayed_;
          if (outputs[i - begin] == pending_[i].record.decision) continue;
          ++differences_;
          problem(pending_[i].where, "record " + std::to_string(pending_[i].record.n) +
                                         ": the replayed decision differs\n  logged:   " +
                                         pending_[i].record.decision +
                                         "\n  replayed: " + outputs[i - begin]);
        }
      }
      begin = end;
    }
    pending_.clear();
  }

  void add(Pending p) {
    pending_.push_back(std::move(p));
    if (pending_.size() >= 16384) flush();
  }

  size_t problems_ = 0, printed_ = 0, replayed_ = 0, differences_ = 0, unreplayable_ = 0,
         withoutInput_ = 0;
  size_t breaks_ = 0;

 private:
  Archive& archive_;
  size_t show_;
  std::vector<Pending> pending_;
};

}  // namespace

int runReplay(const Options& o, const ReplayOptions& r) {
  const std::vector<std::string> files = decision_log::logSegments(r.log);
  if (files.empty()) {
    printError(Diag::NoDecisionLog, {r.log});
    return 1;
  }
  auto policy = trustPolicy(o);
  if (!policy) return 1;
  Archive archive(r.bundles, *policy, workerThreads(o.threads), o.jit);
  if (!archive.error().empty()) {
    printError(Diag::DecisionLogFailed, {archive.error()});
    return 1;
  }
  Replay replay(archive, r.show);
  decision_log::ChainCheck chain;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      printError(Diag::CannotOpenInput, {file});
      return 1;
    }
    std::string line;
    for (size_t lineNo = 1; std::getline(in, line); ++lineNo) {
      const std::string where = file + ":" + std::to_string(lineNo);
      std::string why;
      auto record = decision_log::parseRecord(line, why);
      if (!record) {
        ++replay.breaks_;
        replay.problem(where, "not a decision record (" + why + "): the chain breaks here");
        continue;
      }
      for (const std::string& p : chain.next(line, *record)) {
        ++replay.breaks_;
        replay.problem(where, p);
      }
      if (!record->input) {
        ++replay.withoutInput_;
        continue;
      }
      replay.add({where, std::move(*record)});
    }
    if (in.bad()) {
      printError(Diag::FileReadError, {file});
      return 1;
    }
  }
  replay.flush();
  if (replay.printed_ > r.show) std::cout << "… and " << replay.printed_ - r.show << " more\n";
  std::cout << "replay: " << chain.count() << " records in " << files.size() << " file(s); chain "
            << (replay.breaks_ == 0 ? "intact" : std::to_string(replay.breaks_) + " break(s)")
            << "; " << replay.replayed_ << " re-decided, " << replay.differences_
            << " difference(s)";
  if (replay.unreplayable_)
    std::cout << ", " << replay.unreplayable_ << " not re-decided (bundle missing)";
  if (replay.withoutInput_)
    std::cout << ", " << replay.withoutInput_ << " logged without input (chain checked only)";
  std::cout << "\nhead: " << chain.head() << "\n";
  return replay.problems_ == 0 ? 0 : 1;
}

}  // namespace daliz::cli

// daliz run and daliz disasm: load a bundle (untrusted: verified first), then decide.
#include <iostream>
#include <memory>

#include "cli/bundle_file.h"
#include "cli/commands.h"
#include "cli/diagnostics_output.h"
#include "cli/json_lines.h"
#include "decision_log/writer.h"
#include "vm/bytecode/disassembler.h"
#include "vm/exec/batch.h"
#include "vm/jit/jit.h"

namespace daliz::cli {
namespace {

std::unique_ptr<decision_log::Writer> openLog(const LogOptions& l) {
  if (l.path.empty()) return nullptr;
  std::string error;
  auto log = decision_log::Writer::open({l.path, l.maxBytes, l.syncMs, !l.noInput}, error);
  if (!log) printError(Diag::DecisionLogFailed, {error});
  return log;
}

std::optional<uint64_t> sequenceOf(const LoadedProgram& p) {
  if (p.approval) return p.approval->sequence;
  return std::nullopt;
}

// --stream: one line in, its decision out and flushed, before the next line is read, so that
// another process can drive the engine through a pipe.
int streamRun(const LoadedProgram& program, uint64_t budget, DecisionView view,
              decision_log::Writer* log, BatchCounts& counts) {
  BatchRunner runner(program, 1);
  runner.setBudget(budget);
  runner.setView(view);
  std::string line, error;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    bool ok = false;
    std::string record;
    std::string decision = runner.decideOne(line, ok, log ? &record : nullptr);
    ++(ok ? counts.ok : counts.errors);
    if (log && !log->append({line, record, program.contentHash, sequenceOf(program)}, error)) {
      printError(Diag::DecisionNotGiven, {error});
      return 1;
    }
    decision += '\n';
    std::cout.write(decision.data(), static_cast<std::streamsize>(decision.size()));
    std::cout.flush();
    if (!std::cout) {
      printError(Diag::CannotWriteOutput);
      return 1;
    }
  }
  return std::cin.bad() ? 1 : 0;
}

}  // namespace

int runRun(const Options& o, const RunOptions& r) {
  if (r.stream && !o.out.empty() && o.out != "-") {
    printError(Diag::StreamTakesNoOut);
    return 1;
  }
  auto program = loadBundleFile(o);
  if (!program) return 1;
  auto log = openLog(r.log);
  if (!r.log.path.empty() && !log) return 1;
  BatchCounts counts;
  const DecisionView view = decisionViewNamed(r.view).value_or(DecisionView::Officer);
  if (r.stream) {
    if (int status = streamRun(*program, o.budget, view, log.get(), counts); status != 0)
      return status;
  } else {
    BatchRunner runner(*program, workerThreads(o.threads));
    runner.setBudget(o.budget);
    runner.setView(view);
    std::vector<std::string> records;  // the officer's view, for the log
    auto decide = [&](const std::vector<std::string_view>& lines, std::vector<std::string>& out,
                      BatchCounts& c) {
      runner.run(lines, out, c, log ? &records : nullptr);
      if (!log) return true;
      std::vector<decision_log::Entry> entries;
      entries.reserve(lines.size());
      for (size_t i = 0; i < lines.size(); ++i)
        entries.push_back({lines[i], records[i], program->contentHash, sequenceOf(*program)});
      std::string error;
      if (log->append(entries, error)) return true;
      printError(Diag::DecisionsNotGiven, {error});
      return false;
    };
    if (int status = processJsonLines(o.in, o.out, "declarations", decide, counts); status != 0)
      return status;
  }
  if (log) {
    std::string error;
    if (!log->sync(error)) {
      printError(Diag::DecisionLogFailed, {error});
      return 1;
    }
  }
  if (counts.errors > 0) {
    std::cerr << "daliz: " << counts.errors << " of " << counts.ok + counts.errors
              << " declarations could not be evaluated (status \"error\")\n";
    return 2;
  }
  return 0;
}

int runDisasm(const Options& o) {
  auto program = loadBundleFile(o);
  if (!program) return 1;
  if (!o.ir && !o.assembly) {
    std::cout << disassemble(program->program, program->contentHash);
    return 0;
  }
  // --ir / --asm: what the JIT makes of each profile (or of the one --profile names).
  const auto& profiles = program->program.profiles;
  bool found = o.profile.empty();
  for (uint32_t p = 0; p < profiles.size(); ++p) {
    if (!o.profile.empty() && profiles[p].id != o.profile) continue;
    found = true;
    std::string error;
    std::string text = jitListing(*program, p, o.assembly, error);
    if (!error.empty()) {
      printError(Diag::DisasmFailed, {profiles[p].id, error});
      return 1;
    }
    std::cout << "; profile " << profiles[p].id << " (function profile_" << p << ")\n"
              << text << "\n";
  }
  if (!found) {
    printError(Diag::NoSuchProfile, {o.profile});
    return 1;
  }
  return 0;
}

}  // namespace daliz::cli

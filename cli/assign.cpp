// daliz assign: an officer for each selected declaration (docs/assign.md). Reads decisions (the
// output of `daliz run`), writes one assignment line per decision line, and carries the state
// (load per officer, recent declarant–officer pairs) in --state between runs.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "assign/assignment.h"
#include "cli/commands.h"
#include "cli/diagnostics_output.h"
#include "cli/files.h"

namespace daliz::cli {

std::unique_ptr<assign::Assigner> loadAssigner(const AssignOptions& a) {
  assign::Roster roster;
  assign::Settings settings;
  assign::State state;
  std::string why;
  auto text = readWholeFile(a.officers, why);
  if (!text) {
    printError(Diag::CannotReadFile, {a.officers, why});
    return nullptr;
  }
  auto r = assign::readRoster(*text, why);
  if (!r) {
    printError(Diag::BadRoster, {a.officers, why});
    return nullptr;
  }
  roster = std::move(*r);
  if (!a.weights.empty()) {
    text = readWholeFile(a.weights, why);
    if (!text) {
      printError(Diag::CannotReadFile, {a.weights, why});
      return nullptr;
    }
    auto s = assign::readSettings(*text, why);
    if (!s) {
      printError(Diag::BadAssignSettings, {a.weights, why});
      return nullptr;
    }
    settings = *s;
  }
  // No state file yet: the shift's first batch, everyone's load 0.
  std::error_code ec;
  if (!a.state.empty() && std::filesystem::exists(a.state, ec)) {
    text = readWholeFile(a.state, why);
    if (!text) {
      printError(Diag::CannotReadFile, {a.state, why});
      return nullptr;
    }
    auto s = assign::parseState(*text, why);
    if (!s) {
      printError(Diag::BadAssignState, {a.state, why});
      return nullptr;
    }
    state = std::move(*s);
  }
  return std::make_unique<assign::Assigner>(std::move(roster), settings, a.seed, a.postRelease,
                                            std::move(state));
}

int runAssign(const Options& o, const AssignOptions& a) {
  auto loaded = loadAssigner(a);
  if (!loaded) return 1;
  assign::Assigner& assigner = *loaded;

  std::ifstream file;
  std::istream* in = &std::cin;
  if (!o.in.empty() && o.in != "-") {
    file.open(o.in, std::ios::binary);
    if (!file) {
      printError(Diag::CannotOpenInput, {o.in});
      return 1;
    }
    in = &file;
  }
  // Assignment is sequential (each depends on the state the previous left), so the lines are
  // simply read in order; the output is published whole, then the state.
  std::string output, line, why;
  uint64_t lineNumber = 0;
  while (std::getline(*in, line)) {
    ++lineNumber;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    bool lineBad = false;
    std::string result = assigner.assignLine(line, lineNumber, lineBad);
    output += result;
    output += '\n';
  }
  if (in->bad()) {
    printError(Diag::InputReadError);
    return 1;
  }
  if (!o.out.empty() && o.out != "-") {
    if (!writeFileAtomically(o.out, output, why)) {
      printError(Diag::CannotWriteFile, {o.out, why});
      return 1;
    }
  } else if (!std::cout.write(output.data(), static_cast<std::streamsize>(output.size())).flush()) {
    printError(Diag::CannotWriteOutput);
    return 1;
  }
  if (!a.state.empty() && !assign::saveState(a.state, assigner.state(), why)) {
    printError(Diag::CannotWriteFile, {a.state, why});
    return 1;
  }
  const auto& n = assigner.counts();
  const uint64_t lines = n.assigned + n.unassigned + n.skipped + n.bad;
  if (a.loads)
    std::cerr << "assigned " << n.assigned << ", unassigned " << n.unassigned << ", skipped "
              << n.skipped << " of " << lines << " decisions\n"
              << assign::renderLoads(assigner.roster(), assigner.state());
  if (n.bad > 0) {
    std::cerr << "daliz: " << n.bad << " of " << lines
              << " lines are not decisions (their lines say why)\n";
    return 2;
  }
  return 0;
}

}  // namespace daliz::cli

#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/codegen/codegen.h"
#include "compiler/driver/frontend.h"
#include "vm/exec/loaded_program.h"

namespace daliz {

// The outcome of one `test` block.
struct TestOutcome {
  std::string name;
  bool passed = true;
  std::vector<std::string> failures;  // what was expected and what came out
};

// Check → bytecode: the program, or nullopt when the sources have errors (in c.diagnostics), a
// profile's code passes a limit of vm/limits.def (ProfileTooComplex at the profile, added to
// c.diagnostics; `error` empty), or the code generator fails (a bug, in `error`).
std::optional<Program> buildProgram(Compilation& c, const CodegenOptions& options, std::string& error);

// Verifies and prepares an in-memory program for evaluation, as the loader does for a bundle.
std::unique_ptr<LoadedProgram> loadInMemory(Program program, std::string& error);

// loadInMemory for a program compiled from `c`: a profile beyond the verifier's limits
// (vm/limits.def) is the analyst's to fix, so it is reported to c.diagnostics as
// ProfileTooComplex at the profile (and null is returned with `error` empty); any other
// failure to verify is a compiler bug, reported in `error`.
std::unique_ptr<LoadedProgram> loadCompiled(Compilation& c, Program program, std::string& error);

// Runs every `test` block of `c` against `program`, in source order.
std::vector<TestOutcome> runTests(Compilation& c, const LoadedProgram& program);

}  // namespace daliz

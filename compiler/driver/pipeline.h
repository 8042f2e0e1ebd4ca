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

// Check → bytecode: the program, or nullopt when the sources have errors (reported in
// c.diagnostics) or the program exceeds the bytecode's limits (reported in `error`).
std::optional<Program> buildProgram(const Compilation& c, const CodegenOptions& options, std::string& error);

// Verifies and prepares an in-memory program for evaluation, as the loader does for a bundle.
std::unique_ptr<LoadedProgram> loadInMemory(Program program, std::string& error);

// Runs every `test` block of `c` against `program`, in source order.
std::vector<TestOutcome> runTests(Compilation& c, const LoadedProgram& program);

}  // namespace daliz

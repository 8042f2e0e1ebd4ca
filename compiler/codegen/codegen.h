#pragma once
#include <stdexcept>
#include <string>
#include <cstdint>

#include "compiler/sema/checker.h"
#include "vm/bytecode/program.h"

namespace daliz {

struct CodegenOptions {
  uint64_t seed = 0;
  bool includeDrafts = false;
};

// Lowers a checked compilation (no errors reported) to a Program: the schema, measures,
// sets, tables and one bytecode function per profile. Deterministic: the output depends
// only on the declarations, not on the order of files.
// Throws CodeLimitError when a profile's code would pass a limit of vm/limits.def.
Program generate(const Compilation& c, const CodegenOptions& options);

// A profile whose code would be longer than ProfileCode instructions, or need more registers
// than an instruction can name: the analyst's to fix, reported as ProfileTooComplex.
struct CodeLimitError : std::length_error {
  CodeLimitError(std::string profile, const std::string& what)
      : std::length_error(what), profile(std::move(profile)) {}
  std::string profile;  // the profile's id
};

}  // namespace daliz

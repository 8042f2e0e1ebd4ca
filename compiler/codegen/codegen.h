#pragma once
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
Program generate(const Compilation& c, const CodegenOptions& options);

}  // namespace daliz

#pragma once
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "vm/exec/loaded_program.h"

namespace daliz::cli {

// The trust policy of `--trust`/`--require`: the development policy when no key is named (the
// CLI's default; signatures present are still checked). Prints why and returns nullopt when a
// key file cannot be read.
std::optional<TrustPolicy> trustPolicy(const Options& o);

// Reads the bundle file `o.bundle` and loads it under trustPolicy(o), compiled with the JIT when
// o.jit. Prints why on failure.
std::unique_ptr<LoadedProgram> loadBundleFile(const Options& o);
// Reads the bundle file `path` and loads it under `policy`. Prints why on failure.
std::unique_ptr<LoadedProgram> loadBundleFile(const std::string& path, const TrustPolicy& policy);
// --jit: attaches native code to `program` (vm/jit/jit.h). Prints a warning for each function
// left interpreted; false, printing why, when this build or machine has no JIT.
bool compileWithJit(LoadedProgram& program);

}  // namespace daliz::cli

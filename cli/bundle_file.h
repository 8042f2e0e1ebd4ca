#pragma once
#include <memory>

#include "cli/commands.h"
#include "vm/exec/loaded_program.h"

namespace daliz::cli {

// Reads the bundle file `o.bundle`; when `o.trust` names public keys, refuses it unless
// approved (vm/bundle/signature.h); then loads and verifies it. Prints why on failure.
std::unique_ptr<LoadedProgram> loadBundleFile(const Options& o);

}  // namespace daliz::cli

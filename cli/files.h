#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "vm/io/atomic_file.h"

namespace daliz::cli {

// The whole file, or nullopt with `why` set.
std::optional<std::string> readWholeFile(const std::string& path, std::string& why);

// Atomic writes live in the VM library, where the service and the assignment state use them too.
using daliz::AtomicFile;
using daliz::writeFileAtomically;

}  // namespace daliz::cli

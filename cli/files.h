#pragma once
#include <optional>
#include <string>

namespace daliz::cli {

// The whole file, or nullopt with `why` set.
std::optional<std::string> readWholeFile(const std::string& path, std::string& why);

// Writes `bytes` to `path` atomically: a temporary file beside it, flushed, then renamed
// over the target, so a reader never sees a partial file and a failure leaves none behind.
bool writeFileAtomically(const std::string& path, const std::string& bytes, std::string& why);

}  // namespace daliz::cli

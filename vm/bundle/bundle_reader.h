#pragma once
// Loads a bundle written by writeBundle, treating its bytes as hostile: a bundle is a file
// that may be truncated, corrupted or crafted. docs/bundle.md lists what is checked and why.
#include <optional>
#include <string>
#include <string_view>

#include "vm/bytecode/program.h"

namespace daliz {

struct LoadResult {
  std::optional<Program> program;  // set exactly when error is empty
  std::string error;               // one line, e.g. "bundle is corrupted: content hash mismatch"
  std::string contentHash;         // 32 hex digits once the stored hash has been checked
                                   // and found right (even if decoding fails later); else ""
};

// Decodes bytes and returns a Program that has passed verifyProgram, or an error and no
// Program. Checks, in order: the magic, the format version (a newer version gets its own
// message), the content hash over everything before the trailer, then every section tag,
// length, count, string, enum value and flag while decoding; counts are checked against the
// bytes left before anything is allocated, so memory stays proportional to the input.
// Truncation reads "bundle is truncated at byte N (section X)…". Never throws, never
// crashes, and runs in time roughly linear in bytes.size().
LoadResult readBundle(std::string_view bytes) noexcept;

}  // namespace daliz

#pragma once
// Serializes a compiled Program into a bundle: the file `daliz compile` writes and
// `daliz run` loads. docs/bundle.md describes the format byte by byte.
#include <string>
#include <string_view>

#include "vm/bytecode/program.h"

namespace daliz {

// The bundle bytes of program. Deterministic: the result depends only on the program's
// field values (no time, no addresses, no hash-map order), so the same Program gives the
// same bytes on every machine. Every field is stored, valid or not; the reader runs the
// verifier, so an invalid Program writes fine but does not load. Of a Constant only the
// member its kind selects is stored (the others read back as 0 / "").
std::string writeBundle(const Program& program);

// The content hash stored in the bundle's trailer as 32 lower-case hex digits; every
// decision carries it, so a decision can be traced to the exact bundle. It is read, not
// recomputed: readBundle checks it. "" when bytes is too short to hold a trailer.
std::string contentHashHex(std::string_view bundleBytes);

}  // namespace daliz

#pragma once
// The limits of daliz, one constant each, from vm/limits.def (docs/limits.md lists them).
#include <cstdint>

namespace daliz::limits {

#define LIMIT(name, value, unit, stage, what, beyond) inline constexpr uint64_t k##name = value;
#include "vm/limits.def"
#undef LIMIT

}  // namespace daliz::limits

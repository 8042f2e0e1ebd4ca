#pragma once
// The hash of every table built from data that comes from outside — a bundle's field names,
// table keys and profile guards, a declaration's field names: the whole key, with XXH3 and a
// seed drawn once per process. Keys crafted to collide on one machine (a hash flood, to make
// loading or decoding quadratic) do not collide on another, nor after a restart.
#include <xxhash.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace daliz {

// The per-process seed (from the system's random source; never 0).
uint64_t processHashSeed();

struct KeyedHash {
  using is_transparent = void;  // look up by string_view without building a string
  size_t operator()(std::string_view s) const {
    return static_cast<size_t>(XXH3_64bits_withSeed(s.data(), s.size(), processHashSeed()));
  }
  size_t operator()(const std::string& s) const { return (*this)(std::string_view(s)); }
  size_t operator()(uint64_t v) const {
    return static_cast<size_t>(XXH3_64bits_withSeed(&v, sizeof v, processHashSeed()));
  }
  size_t operator()(int64_t v) const { return (*this)(static_cast<uint64_t>(v)); }
};

}  // namespace daliz

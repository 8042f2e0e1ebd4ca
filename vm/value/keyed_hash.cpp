#include "vm/value/keyed_hash.h"

#include <sys/random.h>

#include <chrono>

namespace daliz {

uint64_t processHashSeed() {
  static const uint64_t seed = [] {
    uint64_t s = 0;
    if (getrandom(&s, sizeof s, 0) != static_cast<ssize_t>(sizeof s)) {
      // No random source at all: the clock still differs between processes and machines.
      s = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
          reinterpret_cast<uintptr_t>(&s);
    }
    return s | 1;
  }();
  return seed;
}

}  // namespace daliz

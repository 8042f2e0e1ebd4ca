#pragma once
// What the signature trailer (signature.cpp) and the sealed-file header (seal.cpp) share: their
// little-endian u32 fields, and libsodium's one-time initialisation. Internal to vm/bundle.
#include <sodium.h>

#include <cstdint>
#include <string>

namespace daliz::bundle_bytes {

// libsodium initialised (once, thread-safe); false when it cannot be.
inline bool sodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

inline uint32_t readU32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

inline void appendU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

}  // namespace daliz::bundle_bytes

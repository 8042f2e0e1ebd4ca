#include "bench/native_support.h"

#include <xxhash.h>

#include <cstring>

namespace daliz::bench {

double nativeRefPrice(uint64_t hs10, uint16_t origin) {
  auto cents = world().refPrice(hs10, origin);
  return cents ? static_cast<double>(*cents) / 100 : -1.0;
}

bool sampledHash(std::string_view profileId, std::string_view declarationId, int64_t itemNo, uint32_t basisPoints) {
  char stack[256];
  size_t n = 8 + profileId.size() + 1 + declarationId.size() + 1 + 8;
  std::string heap;
  char* b = stack;
  if (n > sizeof stack) {
    heap.resize(n);
    b = heap.data();
  }
  std::memset(b, 0, 8);  // seed 0, little-endian
  size_t at = 8;
  std::memcpy(b + at, profileId.data(), profileId.size());
  at += profileId.size();
  b[at++] = 0;
  std::memcpy(b + at, declarationId.data(), declarationId.size());
  at += declarationId.size();
  b[at++] = 0;
  uint64_t no = static_cast<uint64_t>(itemNo);
  for (int i = 0; i < 8; ++i) b[at++] = static_cast<char>((no >> (8 * i)) & 0xFF);
  return XXH64(b, at, 0) % 10000 < basisPoints;
}

bool nativeSampled(const char* profileId, const std::string& declarationId, int64_t itemNo, uint32_t basisPoints) {
  return sampledHash(profileId, declarationId, itemNo, basisPoints);
}

}  // namespace daliz::bench

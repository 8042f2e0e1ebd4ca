#pragma once
// What the generated native profiles (native_profiles_N.cpp) call: the plain structs of
// bench/workload.h, a hit list, the reference table and the documented sampling hash.
#include <cstdint>
#include <string>
#include <vector>

#include "bench/workload.h"

namespace daliz::bench {

// Hits as profile index × 1024 + item no (0 for declaration scope).
struct NativeHits {
  std::vector<uint32_t> v;
  void add(uint32_t profile, int32_t itemNo) { v.push_back(profile << 10 | static_cast<uint32_t>(itemNo)); }
  void clear() { v.clear(); }
};

// The reference price in tenge per kg (longest prefix for the origin), or -1 when none.
double nativeRefPrice(uint64_t hs10, uint16_t origin);

// The language's `sample` hash (docs/language.md): XXH64 over seed (8 bytes LE, here 0),
// profile id, 0x00, declaration id, 0x00, item no (8 bytes LE), seed 0; % 10000 < bp.
bool nativeSampled(const char* profileId, const std::string& declarationId, int64_t itemNo, uint32_t basisPoints);
bool sampledHash(std::string_view profileId, std::string_view declarationId, int64_t itemNo, uint32_t basisPoints);

// The generated sets.
#define DALIZ_BENCH_NATIVE_SET(N)                                  \
  namespace native_##N {                                           \
  extern const uint64_t kFingerprint;                              \
  void evaluate(const Declaration& d, NativeHits& hits);           \
  }
DALIZ_BENCH_NATIVE_SET(100)
DALIZ_BENCH_NATIVE_SET(1000)
DALIZ_BENCH_NATIVE_SET(10000)
#undef DALIZ_BENCH_NATIVE_SET

}  // namespace daliz::bench

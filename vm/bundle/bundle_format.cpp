#include "vm/bundle/bundle_format.h"

#include <xxhash.h>

namespace daliz::bundle {

std::array<uint8_t, kHashSize> contentHash(std::string_view body) noexcept {
  const XXH128_hash_t h = XXH3_128bits(body.data(), body.size());
  std::array<uint8_t, kHashSize> out{};
  for (int i = 0; i < 8; ++i) {
    out[static_cast<size_t>(i)] = static_cast<uint8_t>(h.high64 >> (56 - 8 * i));
    out[static_cast<size_t>(8 + i)] = static_cast<uint8_t>(h.low64 >> (56 - 8 * i));
  }
  return out;
}

}  // namespace daliz::bundle

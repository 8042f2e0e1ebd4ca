// libFuzzer target: bytes as a bundle file, through the approval check (development policy),
// the reader and the verifier, then preparing it for the VM. The first byte chooses how: even,
// the bytes as they are (the reader's hostile-input checks); odd, the rest with its content hash
// recomputed, so that mutated structure gets past the hash check and attacks the verifier itself.
// The policy holds a host key, so that sealed files (vm/bundle/seal.h) reach the sealed header's
// parser and the decryption too.
#include <cstddef>
#include <cstdint>
#include <string>

#include "vm/bundle/bundle_format.h"
#include "vm/exec/loaded_program.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) && bytes.size() >= daliz::bundle::kHashSize) {
    const size_t body = bytes.size() - daliz::bundle::kHashSize;
    const auto hash = daliz::bundle::contentHash(std::string_view(bytes).substr(0, body));
    for (size_t k = 0; k < hash.size(); ++k) bytes[body + k] = static_cast<char>(hash[k]);
  }
  std::string error;
  daliz::TrustPolicy policy = daliz::TrustPolicy::development();
  policy.hostKey.emplace();
  policy.hostKey->fill(0x5a);
  daliz::loadProgram(bytes, policy, error);
  return 0;
}

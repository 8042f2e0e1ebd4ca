#pragma once
// Sealed bundles (docs/bundle.md, "Sealed bundles"): an approved bundle file encrypted for one or
// more engine hosts, so that a stolen file tells nothing but its size.
//
//   sealed file = header | ciphertext
//   header      = "DALIZSLD" | u32 version (1) | u32 recipient count n | 24-byte nonce
//                 | n × crypto_box_seal(32-byte file key, recipient's X25519 public key) (80 bytes)
//   ciphertext  = crypto_aead_xchacha20poly1305_ietf(the bundle file, key = file key,
//                 nonce, associated data = the whole header)
//
// Integers are little-endian. The plaintext is the bundle file as signed (bundle, approval
// block, signatures): its content hash and signatures are unchanged by sealing.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vm/limits.h"

namespace daliz {

using HostPublicKey = std::array<unsigned char, 32>;  // X25519
using HostSecretKey = std::array<unsigned char, 32>;  // X25519

inline constexpr size_t kMaxSealRecipients = limits::kSealRecipients;
inline constexpr std::string_view kNoHostKeyError = "sealed bundle: no host key given";
inline constexpr std::string_view kNotForThisHostError =
    "sealed bundle: not sealed for this host key";

// A new host key pair; false only if the system's random source fails.
bool generateHostKeyPair(HostPublicKey& pub, HostSecretKey& secret);

// Whether `file` starts like a sealed file (its magic); such a file is never a plain bundle.
bool isSealed(std::string_view file);

// `file` sealed for `recipients` (1 to kMaxSealRecipients, distinct). Fails with `error` set.
std::optional<std::string> sealBundle(std::string_view file,
                                      const std::vector<HostPublicKey>& recipients,
                                      std::string& error);

// The plaintext of a sealed file, opened with `secret`. Fails with `error` set: malformed header,
// "not sealed for this host key" (no recipient box opens with it) or the ciphertext does not
// authenticate. Time and memory are linear in the file's size.
std::optional<std::string> openSealed(std::string_view sealed, const HostSecretKey& secret,
                                      std::string& error);

}  // namespace daliz

#pragma once
// Approval signatures (docs/approval.md): Ed25519 signatures over a bundle's bytes, kept in a
// trailer after the bundle so that signing never changes the bundle or its content hash.
//
//   bundle bytes | "DALIZSIG" | u32 count | count × (32-byte public key, 64-byte signature)
//                | u32 trailer length (from "DALIZSIG" to here) | "DALIZSGE"
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daliz {

using PublicKey = std::array<unsigned char, 32>;
using SecretKey = std::array<unsigned char, 64>;

struct Signature {
  PublicKey key;
  std::array<unsigned char, 64> bytes;
};

struct SignedFile {
  std::string_view signedBytes;        // what the signatures cover: the bundle, then its approval block (approval.h)
  std::vector<Signature> signatures;   // in signing order
};

// Splits a file into the bundle and its signatures (none when it has no trailer). Fails with
// `error` set when a trailer is present but malformed.
std::optional<SignedFile> splitSignatures(std::string_view file, std::string& error);

// A new key pair; false only if the system's random source fails.
bool generateKeyPair(PublicKey& pub, SecretKey& secret);

// The file with one more signature by `secret` over its bundle bytes. A key that already
// signed is not added twice. Fails on a malformed trailer.
std::optional<std::string> addSignature(std::string_view file, const SecretKey& secret, std::string& error);

// Whether `s` is a valid signature of `bundle`.
bool signatureValid(std::string_view bundle, const Signature& s);

// "" when every signature present is valid for file.signedBytes, else which one is not.
std::string checkSignatures(const SignedFile& file);

// The approval check: every signature present must be valid (a forged or stale signature is
// refused, never ignored), and at least `required` distinct keys of `trusted` must have signed.
// Returns "" when the bundle is approved, else why not.
std::string checkApproval(const SignedFile& file, const std::vector<PublicKey>& trusted, size_t required);

// Keys as files: one line of lowercase hex.
std::string toHex(const unsigned char* data, size_t n);
template <size_t N>
bool fromHex(std::string_view text, std::array<unsigned char, N>& out);

}  // namespace daliz

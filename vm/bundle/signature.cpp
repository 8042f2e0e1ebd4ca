#include "vm/bundle/signature.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "vm/bundle/trailer_bytes.h"

namespace daliz {
namespace {

constexpr std::string_view kBegin = "DALIZSIG";
constexpr std::string_view kEnd = "DALIZSGE";
constexpr size_t kEntry = 32 + 64;

using bundle_bytes::appendU32;
using bundle_bytes::readU32;
using bundle_bytes::sodiumReady;

std::string trailer(const std::vector<Signature>& signatures) {
  std::string t(kBegin);
  appendU32(t, static_cast<uint32_t>(signatures.size()));
  for (const Signature& s : signatures) {
    t.append(reinterpret_cast<const char*>(s.key.data()), s.key.size());
    t.append(reinterpret_cast<const char*>(s.bytes.data()), s.bytes.size());
  }
  appendU32(t, static_cast<uint32_t>(t.size() + 4));
  t.append(kEnd);
  return t;
}

}  // namespace

std::optional<SignedFile> splitSignatures(std::string_view file, std::string& error) {
  SignedFile out;
  out.signedBytes = file;
  if (file.size() < kEnd.size() || file.substr(file.size() - kEnd.size()) != kEnd) return out;
  if (file.size() < kEnd.size() + 4) {
    error = "signature trailer is truncated";
    return std::nullopt;
  }
  uint32_t length = readU32(file.data() + file.size() - kEnd.size() - 4);
  if (length < kBegin.size() + 8 || length > file.size() - kEnd.size()) {
    error = "signature trailer has an invalid length";
    return std::nullopt;
  }
  size_t start = file.size() - kEnd.size() - length;
  std::string_view t = file.substr(start, length);
  if (t.substr(0, kBegin.size()) != kBegin) {
    error = "signature trailer does not start where its length says";
    return std::nullopt;
  }
  uint32_t count = readU32(t.data() + kBegin.size());
  if (static_cast<uint64_t>(count) * kEntry != length - kBegin.size() - 8) {
    error = "signature trailer holds a wrong number of signatures";
    return std::nullopt;
  }
  for (uint32_t i = 0; i < count; ++i) {
    const char* p = t.data() + kBegin.size() + 4 + i * kEntry;
    Signature s;
    std::memcpy(s.key.data(), p, 32);
    std::memcpy(s.bytes.data(), p + 32, 64);
    out.signatures.push_back(s);
  }
  out.signedBytes = file.substr(0, start);
  return out;
}

bool generateKeyPair(PublicKey& pub, SecretKey& secret) {
  return sodiumReady() && crypto_sign_keypair(pub.data(), secret.data()) == 0;
}

std::optional<std::string> addSignature(std::string_view file, const SecretKey& secret, std::string& error) {
  if (!sodiumReady()) {
    error = "libsodium could not be initialised";
    return std::nullopt;
  }
  auto split = splitSignatures(file, error);
  if (!split) return std::nullopt;
  Signature s;
  crypto_sign_ed25519_sk_to_pk(s.key.data(), secret.data());
  crypto_sign_detached(s.bytes.data(), nullptr, reinterpret_cast<const unsigned char*>(split->signedBytes.data()),
                       split->signedBytes.size(), secret.data());
  auto& sigs = split->signatures;
  sigs.erase(std::remove_if(sigs.begin(), sigs.end(), [&](const Signature& o) { return o.key == s.key; }), sigs.end());
  sigs.push_back(s);
  return std::string(split->signedBytes) + trailer(sigs);
}

bool signatureValid(std::string_view bundle, const Signature& s) {
  return sodiumReady() &&
         crypto_sign_verify_detached(s.bytes.data(), reinterpret_cast<const unsigned char*>(bundle.data()),
                                     bundle.size(), s.key.data()) == 0;
}

std::string checkSignatures(const SignedFile& file) {
  for (const Signature& s : file.signatures)
    if (!signatureValid(file.signedBytes, s))
      return "signature by key " + toHex(s.key.data(), 8) + "… does not match the bundle: its bytes changed after signing";
  return "";
}

std::string checkApproval(const SignedFile& file, const std::vector<PublicKey>& trusted, size_t required) {
  if (file.signatures.empty()) return "the bundle is not signed";
  if (std::string invalid = checkSignatures(file); !invalid.empty()) return invalid;
  std::vector<PublicKey> approvers;  // distinct: a key listed twice in a crafted trailer counts once
  for (const Signature& s : file.signatures)
    if (std::find(trusted.begin(), trusted.end(), s.key) != trusted.end() &&
        std::find(approvers.begin(), approvers.end(), s.key) == approvers.end())
      approvers.push_back(s.key);
  if (approvers.size() < required)
    return "the bundle has " + std::to_string(approvers.size()) + " signature(s) by trusted keys; " +
           std::to_string(required) + " required";
  return "";
}

std::string toHex(const unsigned char* data, size_t n) {
  static const char* const kHex = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) s += kHex[data[i] >> 4], s += kHex[data[i] & 0xF];
  return s;
}

template <size_t N>
bool fromHex(std::string_view text, std::array<unsigned char, N>& out) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  if (text.size() != 2 * N) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < N; ++i) {
    int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return true;
}

template bool fromHex<32>(std::string_view, std::array<unsigned char, 32>&);
template bool fromHex<64>(std::string_view, std::array<unsigned char, 64>&);

}  // namespace daliz

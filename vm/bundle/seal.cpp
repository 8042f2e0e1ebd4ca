#include "vm/bundle/seal.h"

#include <sodium.h>

#include <algorithm>

#include "vm/bundle/trailer_bytes.h"

namespace daliz {
namespace {

constexpr std::string_view kMagic = "DALIZSLD";
constexpr uint32_t kVersion = 1;
constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kKey = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr size_t kBox = crypto_box_SEALBYTES + kKey;
constexpr size_t kFixed = kMagic.size() + 4 + 4 + kNonce;  // the header without its boxes
static_assert(kKey == 32 && kBox == 80);

using bundle_bytes::appendU32;
using bundle_bytes::readU32;
using bundle_bytes::sodiumReady;
const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// The file key, wiped when it goes out of scope.
struct FileKey {
  std::array<unsigned char, kKey> k{};
  ~FileKey() { sodium_memzero(k.data(), k.size()); }
};

}  // namespace

bool generateHostKeyPair(HostPublicKey& pub, HostSecretKey& secret) {
  return sodiumReady() && crypto_box_keypair(pub.data(), secret.data()) == 0;
}

bool isSealed(std::string_view file) { return file.substr(0, kMagic.size()) == kMagic; }

std::optional<std::string> sealBundle(std::string_view file,
                                      const std::vector<HostPublicKey>& recipients,
                                      std::string& error) {
  if (!sodiumReady()) {
    error = "cannot initialise libsodium";
    return std::nullopt;
  }
  if (recipients.empty() || recipients.size() > kMaxSealRecipients) {
    error = "a sealed bundle has 1 to " + std::to_string(kMaxSealRecipients) + " recipients, not " +
            std::to_string(recipients.size());
    return std::nullopt;
  }
  for (size_t i = 0; i < recipients.size(); ++i)
    if (std::find(recipients.begin(), recipients.begin() + i, recipients[i]) !=
        recipients.begin() + i) {
      error = "a host key is named twice";
      return std::nullopt;
    }
  if (isSealed(file)) {
    error = "the bundle is sealed already";
    return std::nullopt;
  }
  if (file.size() > SIZE_MAX / 2 - kFixed - kBox * recipients.size() ||
      file.size() > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX) {
    error = "the bundle is too large to seal";
    return std::nullopt;
  }
  FileKey key;
  crypto_aead_xchacha20poly1305_ietf_keygen(key.k.data());
  std::string out(kMagic);
  appendU32(out, kVersion);
  appendU32(out, static_cast<uint32_t>(recipients.size()));
  const size_t noncePos = out.size();
  out.resize(noncePos + kNonce);
  randombytes_buf(bytes(out) + noncePos, kNonce);
  for (const HostPublicKey& r : recipients) {
    const size_t at = out.size();
    out.resize(at + kBox);
    if (crypto_box_seal(bytes(out) + at, key.k.data(), key.k.size(), r.data()) != 0) {
      error = "cannot seal the file key for a host key";
      return std::nullopt;
    }
  }
  const size_t headerSize = out.size();
  out.resize(headerSize + file.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(bytes(out) + headerSize, &written, bytes(file),
                                             file.size(), bytes(out), headerSize, nullptr,
                                             bytes(out) + noncePos, key.k.data());
  out.resize(headerSize + written);
  return out;
}

std::optional<std::string> openSealed(std::string_view sealed, const HostSecretKey& secret,
                                      std::string& error) {
  auto bad = [&](const std::string& why) -> std::optional<std::string> {
    error = "sealed bundle is malformed: " + why;
    return std::nullopt;
  };
  if (!sodiumReady()) {
    error = "cannot initialise libsodium";
    return std::nullopt;
  }
  if (!isSealed(sealed) || sealed.size() < kFixed)
    return bad("the file is shorter than its header");
  const uint32_t version = readU32(sealed.data() + kMagic.size());
  if (version != kVersion)
    return bad("format version " + std::to_string(version) + " (this daliz reads version " +
               std::to_string(kVersion) + ")");
  const uint32_t count = readU32(sealed.data() + kMagic.size() + 4);
  if (count == 0 || count > kMaxSealRecipients)
    return bad(std::to_string(count) + " recipients (1 to " + std::to_string(kMaxSealRecipients) +
               " allowed)");
  const size_t headerSize = kFixed + size_t{count} * kBox;
  if (sealed.size() < headerSize + crypto_aead_xchacha20poly1305_ietf_ABYTES)
    return bad("the file is cut short");
  HostPublicKey pub;
  crypto_scalarmult_base(pub.data(), secret.data());
  FileKey key;
  bool opened = false;
  for (uint32_t i = 0; i < count && !opened; ++i)
    opened = crypto_box_seal_open(key.k.data(), bytes(sealed) + kFixed + size_t{i} * kBox, kBox,
                                  pub.data(), secret.data()) == 0;
  sodium_memzero(pub.data(), pub.size());
  if (!opened) {
    error = std::string(kNotForThisHostError);
    return std::nullopt;
  }
  const std::string_view cipher = sealed.substr(headerSize);
  std::string plain(cipher.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          bytes(plain), &length, nullptr, bytes(cipher), cipher.size(), bytes(sealed), headerSize,
          bytes(sealed) + kMagic.size() + 8, key.k.data()) != 0) {
    return bad("the file was changed after sealing (it does not authenticate)");
  }
  plain.resize(length);
  return plain;
}

}  // namespace daliz

// daliz keygen / sign / verify: approving bundles with Ed25519 signatures (docs/approval.md).
#include <filesystem>
#include <iostream>

#include "cli/bundle_file.h"
#include "cli/commands.h"
#include "cli/files.h"
#include "vm/bundle/signature.h"

namespace daliz::cli {

int runKeygen(const Options& o) {
  PublicKey pub;
  SecretKey secret;
  if (!generateKeyPair(pub, secret)) {
    std::cerr << "daliz: error: cannot generate a key pair (no system randomness)\n";
    return 1;
  }
  std::string why;
  std::string secretPath = o.key + ".key", publicPath = o.key + ".pub";
  std::error_code ec;
  for (const std::string& path : {secretPath, publicPath})
    if (std::filesystem::exists(path, ec)) {
      std::cerr << "daliz: error: `" << path << "` already exists: keygen never overwrites a key\n";
      return 1;
    }
  // The secret key is the approver's alone from its first byte (mode 0600) and never replaces
  // an existing file: a lost approver's key cannot be undone.
  AtomicFile secretFile;
  if (!secretFile.open(secretPath, why, 0600) ||
      !secretFile.append(toHex(secret.data(), secret.size()) + "\n", why) || !secretFile.commit(why, false) ||
      !writeFileAtomically(publicPath, toHex(pub.data(), pub.size()) + "\n", why)) {
    std::cerr << "daliz: error: cannot write the key pair `" << o.key << "`: " << why << "\n";
    return 1;
  }
  std::cerr << "wrote " << secretPath << " (secret: keep it to the approver) and " << publicPath << "\n";
  return 0;
}

int runSign(const Options& o) {
  std::string why;
  auto keyText = readWholeFile(o.key, why);
  SecretKey secret;
  if (!keyText || !fromHex(*keyText, secret)) {
    std::cerr << "daliz: error: `" << o.key << "` is not a secret key file (one line of 128 hex digits)\n";
    return 1;
  }
  // Only a valid bundle is worth approving: load it first.
  Options plain = o;
  plain.trust.clear();
  if (!loadBundleFile(plain)) return 1;
  auto bytes = readWholeFile(o.bundle, why);
  auto signedFile = bytes ? addSignature(*bytes, secret, why) : std::nullopt;
  if (!signedFile || !writeFileAtomically(o.bundle, *signedFile, why)) {
    std::cerr << "daliz: error: cannot sign `" << o.bundle << "`: " << why << "\n";
    return 1;
  }
  std::string error;
  auto split = splitSignatures(*signedFile, error);
  std::cerr << "signed " << o.bundle << " (" << (split ? split->signatures.size() : 0) << " signature(s))\n";
  return 0;
}

int runVerify(const Options& o) {
  if (o.trust.empty()) {
    std::cerr << "daliz: error: verify needs --trust KEY.pub\n";
    return 1;
  }
  auto loaded = loadBundleFile(o);
  if (!loaded) return 1;
  std::cout << o.bundle << ": approved, bundle " << loaded->contentHash << "\n";
  return 0;
}

}  // namespace daliz::cli

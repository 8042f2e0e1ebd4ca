// daliz keygen / sign / verify: approving bundles with Ed25519 signatures (docs/approval.md).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "cli/bundle_file.h"
#include "cli/commands.h"
#include "cli/files.h"
#include "vm/bundle/signature.h"

namespace daliz::cli {
namespace {

// The secret key file is created with mode 0600 from the start (never readable by others, not
// even for a moment) and never replaces an existing file: an approver's lost key is not undoable.
bool writeSecretKeyFile(const std::string& path, const std::string& text, std::string& why) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    why = std::strerror(errno);
    return false;
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  bool ok = done == text.size() && ::fsync(fd) == 0;
  if (!ok) why = std::strerror(errno);
  ok = ::close(fd) == 0 && ok;
  if (!ok) ::unlink(path.c_str());
  return ok;
}

}  // namespace

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
  if (!writeSecretKeyFile(secretPath, toHex(secret.data(), secret.size()) + "\n", why) ||
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

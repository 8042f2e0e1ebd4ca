#include "cli/bundle_file.h"

#include "cli/diagnostics_output.h"
#include "cli/files.h"
#include "vm/jit/jit.h"

namespace daliz::cli {

namespace {

// --host-key FILE into policy.hostKey; prints why and returns false when it is not a key file.
bool readHostKey(const Options& o, TrustPolicy& policy) {
  if (o.hostKey.empty()) return true;
  std::string why;
  auto text = readWholeFile(o.hostKey, why);
  HostSecretKey key;
  if (!text || !fromHex(*text, key)) {
    printError(Diag::NotHostSecretKey, {o.hostKey});
    return false;
  }
  policy.hostKey = key;
  return true;
}

}  // namespace

std::optional<TrustPolicy> trustPolicy(const Options& o) {
  if (o.trust.empty()) {
    TrustPolicy policy = TrustPolicy::development();
    if (!readHostKey(o, policy)) return std::nullopt;
    return policy;
  }
  TrustPolicy policy;
  policy.required = o.require;
  if (!readHostKey(o, policy)) return std::nullopt;
  std::string why;
  for (const std::string& path : o.trust) {
    auto text = readWholeFile(path, why);
    PublicKey key;
    if (!text || !fromHex(*text, key)) {
      printError(Diag::NotPublicKey, {path});
      return std::nullopt;
    }
    policy.trusted.push_back(key);
  }
  return policy;
}

std::unique_ptr<LoadedProgram> loadBundleFile(const Options& o) {
  auto policy = trustPolicy(o);
  if (!policy) return nullptr;
  auto loaded = loadBundleFile(o.bundle, *policy);
  if (loaded && o.jit && !compileWithJit(*loaded)) return nullptr;
  return loaded;
}

std::unique_ptr<LoadedProgram> loadBundleFile(const std::string& path, const TrustPolicy& policy) {
  std::string why;
  auto bytes = readWholeFile(path, why);
  if (!bytes) {
    printError(Diag::CannotReadBundle, {path, why});
    return nullptr;
  }
  bool refused = false;
  auto loaded = loadProgram(*bytes, policy, why, &refused);
  if (!loaded) {
    if (why == kNoHostKeyError) why += " (--host-key)";
    printError(refused ? Diag::BundleRefused : Diag::InvalidBundle, {path, why});
  }
  return loaded;
}

bool compileWithJit(LoadedProgram& program) {
  JitReport report;
  bool ok = attachJit(program, report);
  // Functions the JIT could not compile still run (interpreted): warn, do not fail.
  for (const std::string& m : report.messages)
    printError(ok ? Diag::JitInterprets : Diag::JitFailed, {m});
  return ok;
}

}  // namespace daliz::cli

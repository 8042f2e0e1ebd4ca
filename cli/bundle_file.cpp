#include "cli/bundle_file.h"

#include <iostream>

#include "cli/files.h"
#include "vm/jit/jit.h"

namespace daliz::cli {

std::optional<TrustPolicy> trustPolicy(const Options& o) {
  if (o.trust.empty()) return TrustPolicy::development();
  TrustPolicy policy;
  policy.required = o.require;
  std::string why;
  for (const std::string& path : o.trust) {
    auto text = readWholeFile(path, why);
    PublicKey key;
    if (!text || !fromHex(*text, key)) {
      std::cerr << "daliz: error: `" << path
                << "` is not a public key file (one line of 64 hex digits)\n";
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
    std::cerr << "daliz: error: cannot read bundle `" << path << "`: " << why << "\n";
    return nullptr;
  }
  bool refused = false;
  auto loaded = loadProgram(*bytes, policy, why, &refused);
  if (!loaded)
    std::cerr << "daliz: error: `" << path
              << (refused ? "` is refused: " : "` is not a valid bundle: ") << why << "\n";
  return loaded;
}

bool compileWithJit(LoadedProgram& program) {
  JitReport report;
  bool ok = attachJit(program, report);
  // Functions the JIT could not compile still run (interpreted): warn, do not fail.
  for (const std::string& m : report.messages)
    std::cerr << "daliz: " << (ok ? "warning: " : "error: --jit: ") << m << "\n";
  return ok;
}

}  // namespace daliz::cli

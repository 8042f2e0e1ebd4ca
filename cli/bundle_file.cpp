#include "cli/bundle_file.h"

#include <iostream>

#include "cli/files.h"
#include "vm/bundle/bundle_reader.h"
#include "vm/bundle/signature.h"

namespace daliz::cli {

std::unique_ptr<LoadedProgram> loadBundleFile(const Options& o) {
  std::string why;
  auto bytes = readWholeFile(o.bundle, why);
  if (!bytes) {
    std::cerr << "daliz: error: cannot read bundle `" << o.bundle << "`: " << why << "\n";
    return nullptr;
  }
  auto file = splitSignatures(*bytes, why);
  if (!file) {
    std::cerr << "daliz: error: `" << o.bundle << "`: " << why << "\n";
    return nullptr;
  }
  if (!o.trust.empty()) {
    std::vector<PublicKey> trusted;
    for (const std::string& path : o.trust) {
      auto text = readWholeFile(path, why);
      PublicKey key;
      if (!text || !fromHex(*text, key)) {
        std::cerr << "daliz: error: `" << path << "` is not a public key file (one line of 64 hex digits)\n";
        return nullptr;
      }
      trusted.push_back(key);
    }
    std::string refused = checkApproval(*file, trusted, o.require);
    if (!refused.empty()) {
      std::cerr << "daliz: error: `" << o.bundle << "` is refused: " << refused << "\n";
      return nullptr;
    }
  }
  LoadResult r = readBundle(file->bundle);
  if (!r.program) {
    std::cerr << "daliz: error: `" << o.bundle << "` is not a valid bundle: " << r.error << "\n";
    return nullptr;
  }
  auto loaded = prepareProgram(std::move(*r.program), r.contentHash, why);
  if (!loaded) std::cerr << "daliz: error: `" << o.bundle << "`: " << why << "\n";
  return loaded;
}

}  // namespace daliz::cli

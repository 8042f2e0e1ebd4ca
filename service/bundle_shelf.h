#pragma once
// The bundles a service may run (docs/serve.md, "Bundles and reload"): a bundle file, or a
// directory of `*.bundle` files, read under the trust policy. Each scan loads what changed since
// the last one, and chooses the bundle that should be active:
//   - only bundles the policy accepts and that verify;
//   - only those whose effective-from time has come (a bundle without approval metadata is
//     effective at once, with sequence 0);
//   - the greatest sequence wins; under the development policy, ties go to the newest file.
// The active bundle is replaced only by one with a greater sequence (or, in development, by a
// different, newer file): an older approved bundle never replaces a newer one. A refused file is
// reported once per version of the file.
#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daliz/daliz.h"

namespace daliz::service {

struct ShelvedBundle {
  std::shared_ptr<const api::Engine> engine;
  std::string file;
  int64_t loadedAt = 0;  // Unix seconds
  uint64_t sequence() const { return engine->approval() ? engine->approval()->sequence : 0; }
};

struct ScanReport {
  std::optional<ShelvedBundle> activated;  // set when the active bundle changed
  std::vector<std::string> events;         // one line each: refused, waiting, kept, …
};

class BundleShelf {
 public:
  // `source`: a bundle file or a directory of them.
  BundleShelf(std::string source, api::TrustPolicy policy, api::EngineOptions options = {});

  // Loads new and changed files and decides which bundle is active now (`now`: Unix seconds).
  ScanReport scan(int64_t now);

  // The active bundle, if any.
  const std::optional<ShelvedBundle>& active() const { return active_; }
  const std::string& source() const { return source_; }
  bool isDirectory() const;

 private:
  struct FileState {
    int64_t mtimeNs = 0;
    uint64_t size = 0;
    std::shared_ptr<const api::Engine> engine;  // null when refused
    std::string refusal;
    bool reported = false;  // its refusal or wait was reported
  };
  std::vector<std::string> files() const;
  // Activates `file`, the best effective candidate, if it is newer than the active bundle.
  void choose(const std::string& file, bool conflict, int64_t now, ScanReport& report);

  std::string source_;
  api::TrustPolicy policy_;
  api::EngineOptions options_;
  std::map<std::string, FileState> known_;
  std::optional<ShelvedBundle> active_;
  int64_t activeMtimeNs_ = 0;
};

}  // namespace daliz::service

#include "service/bundle_shelf.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "vm/bundle/seal.h"

namespace daliz::service {
namespace {

bool statFile(const std::string& path, int64_t& mtimeNs, uint64_t& size) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  mtimeNs = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  size = static_cast<uint64_t>(st.st_size);
  return true;
}

std::string describe(const api::Engine& e, const std::string& file) {
  std::string s = "bundle " + e.contentHash() + " (";
  if (const auto& a = e.approval())
    s += "sequence " + std::to_string(a->sequence) + ", act " + a->act + " of " + a->actDate;
  else
    s += "no approval metadata";
  return s + ", file " + file + ")";
}

// Which approved set a bundle is: its content and its approval. The same content approved again
// with a greater sequence is a new set to activate.
bool sameSet(const api::Engine& a, const api::Engine& b) {
  const auto sequence = [](const api::Engine& e) {
    return e.approval() ? e.approval()->sequence : 0;
  };
  return a.contentHash() == b.contentHash() && sequence(a) == sequence(b);
}

}  // namespace

BundleShelf::BundleShelf(std::string source, api::TrustPolicy policy, api::EngineOptions options)
    : source_(std::move(source)), policy_(std::move(policy)), options_(options) {}

bool BundleShelf::isDirectory() const {
  std::error_code ec;
  return std::filesystem::is_directory(source_, ec);
}

std::vector<std::string> BundleShelf::files() const {
  std::vector<std::string> out;
  if (!isDirectory()) {
    out.push_back(source_);
    return out;
  }
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(source_, ec)) {
    const auto& p = entry.path();
    if (p.extension() == ".bundle" && p.filename().string().front() != '.')
      out.push_back(p.string());
  }
  std::sort(out.begin(), out.end());  // the same order on every scan: reports are deterministic
  return out;
}

ScanReport BundleShelf::scan(int64_t now) {
  ScanReport report;
  std::map<std::string, FileState> present;
  for (const std::string& file : files()) {
    FileState st;
    if (!statFile(file, st.mtimeNs, st.size)) continue;  // gone, or not a file: not a candidate
    auto known = known_.find(file);
    if (known != known_.end() && known->second.mtimeNs == st.mtimeNs &&
        known->second.size == st.size) {
      present[file] = std::move(known->second);
      continue;
    }
    std::string error;
    st.engine = api::Engine::loadFile(file, policy_, options_, error);
    st.refusal = st.engine ? "" : error;
    if (st.refusal == kNoHostKeyError) st.refusal += " (serve --host-key)";
    present[file] = std::move(st);
  }
  known_ = std::move(present);

  // Choose: the greatest sequence among the effective bundles (in development, then the newest).
  const std::string* best = nullptr;
  bool conflict = false;
  auto key = [&](const FileState& st) {
    const auto& a = st.engine->approval();
    return std::make_pair(a ? a->sequence : 0, policy_.allowUnsigned ? st.mtimeNs : 0);
  };
  for (auto& [file, st] : known_) {
    if (!st.engine) {
      if (!st.reported) report.events.push_back("refused " + file + ": " + st.refusal);
      st.reported = true;
      continue;
    }
    const auto& a = st.engine->approval();
    if (a && a->effectiveFrom > now) {
      if (!st.reported)
        report.events.push_back("waiting: " + describe(*st.engine, file) + " is effective from " +
                                a->effectiveFromText);
      st.reported = true;
      continue;
    }
    if (best == nullptr || key(st) > key(known_[*best])) {
      best = &file;
      conflict = false;
    } else if (key(st) == key(known_[*best]) && !sameSet(*st.engine, *known_[*best].engine)) {
      conflict = true;
    }
  }
  if (best != nullptr) choose(*best, conflict, now, report);
  // Every other bundle that is not newer than the active one is reported once, so that an
  // operator who dropped an older set into the folder learns why it does not run.
  for (auto& [file, st] : known_) {
    if (!st.engine || st.reported || !active_ || sameSet(*st.engine, *active_->engine)) continue;
    report.events.push_back("not activated: " + describe(*st.engine, file) +
                            " is not newer than the active " +
                            describe(*active_->engine, active_->file));
    st.reported = true;
  }
  return report;
}

void BundleShelf::choose(const std::string& file, bool conflict, int64_t now, ScanReport& report) {
  FileState& chosen = known_[file];
  const auto& a = chosen.engine->approval();
  const uint64_t sequence = a ? a->sequence : 0;
  if (active_ && sameSet(*chosen.engine, *active_->engine)) return;
  if (conflict) {
    if (!chosen.reported)
      report.events.push_back("refused to choose: two different bundles have sequence " +
                              std::to_string(sequence) + " (" + file +
                              " and another); approve one of them with a greater sequence");
    chosen.reported = true;
    return;
  }
  const bool newer =
      !active_ || sequence > active_->sequence() ||
      (policy_.allowUnsigned && sequence == active_->sequence() && chosen.mtimeNs > activeMtimeNs_);
  if (!newer) return;  // reported with the others below
  active_ = ShelvedBundle{chosen.engine, file, now};
  activeMtimeNs_ = chosen.mtimeNs;
  chosen.reported = true;
  report.activated = active_;
  report.events.push_back("activated " + describe(*chosen.engine, file));
}

}  // namespace daliz::service

#pragma once
// `daliz diff`: the impact of replacing one bundle by another, measured on a history of
// declarations (docs/backtest.md): where the declarations move between corridors, and which
// profiles move them.
#include <array>
#include <istream>
#include <string>
#include <vector>

#include "vm/exec/plan_check.h"
#include "analysis/replay.h"
#include "vm/exec/loaded_program.h"

namespace daliz::analysis {

struct DiffOptions {
  size_t samples = 10;   // sample declarations that change corridor
  unsigned threads = 0;  // 0: one per core
};

// Counts by [old corridor][new corridor], 0 green, 1 blue, 2 yellow, 3 red.
using Matrix = std::array<std::array<size_t, 4>, 4>;

// A profile whose hits differ between the bundles (matched by profile id).
struct ProfileDriver {
  std::string id, title;
  bool inOld = false, inNew = false;
  size_t added = 0;    // declarations it hits with the new bundle and not with the old
  size_t removed = 0;  // declarations it hits with the old bundle and not with the new
  Matrix addedMoves{}, removedMoves{};  // their corridors, old → new
  size_t moved = 0;    // of the added and removed, declarations that changed corridor
};

struct DiffSample {
  size_t line = 0;
  std::string id;
  uint8_t from = 0, to = 0;
  std::vector<std::string> added, removed;  // profile ids hitting only in new / only in old
};

struct DiffReport {
  std::string oldName, newName, oldHash, newHash, historyName;
  DiffOptions options;
  size_t lines = 0;      // non-blank lines read
  size_t compared = 0;   // decided by both bundles: the base of every figure
  size_t errors = 0;     // lines left out: an error decision from either bundle
  size_t errorsOld = 0, errorsNew = 0;
  std::vector<LineError> errorList;
  Matrix matrix{};
  CorridorCounts before{}, after{};
  size_t moved = 0;      // declarations whose corridor changed
  std::vector<std::string> profilesOnlyOld, profilesOnlyNew;  // by id
  std::vector<ProfileDriver> drivers;  // most moves first, then most changed hits, then id
  std::vector<DiffSample> samples;     // the first N moved declarations, in history order
  // The compared declarations against each bundle's own selection plans (empty: it has none).
  PlanComparison plansOld, plansNew;
  bool readFailed = false;

  size_t autoBefore() const { return before[0] + before[1]; }
  size_t autoAfter() const { return after[0] + after[1]; }
  double share(size_t n) const { return compared ? static_cast<double>(n) / static_cast<double>(compared) : 0.0; }
};

DiffReport runDiffReport(const LoadedProgram& oldProgram, const LoadedProgram& newProgram, std::istream& history,
                         const DiffOptions& options);

}  // namespace daliz::analysis

#pragma once
// `daliz backtest`: replays a history of past declarations with their control outcomes through
// a bundle and measures each profile's effectiveness (docs/backtest.md).
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/replay.h"
#include "vm/exec/loaded_program.h"
#include "vm/value/date.h"
#include "vm/value/decimal.h"

namespace daliz::analysis {

struct BacktestOptions {
  size_t minControls = 20;    // "hit rate under R" needs at least this many controlled hits
  double minHitRate = 0.05;   // R
  unsigned threads = 0;       // 0: one per core
};

struct ProfileFigures {
  std::string id, title, area;
  uint8_t level = 1, corridor = 0, status = 1;
  bool enabled = true;              // takes part in decisions (active, or a draft compiled in)
  bool itemScope = false;
  uint32_t sampleBasisPoints = 10000;
  bool random() const { return sampleBasisPoints < 10000; }

  size_t eligible = 0;    // evaluated declarations registered within its validity
  size_t fired = 0;       // declarations it hit
  size_t itemHits = 0;    // (profile, item) hits; equals `fired` for declaration scope
  size_t controlled = 0;  // declarations it hit that were controlled
  size_t violations = 0;  // of those, with a violation credited to it (docs/backtest.md)
  Decimal duties{0};      // additional duties of the credited violations
  size_t dominated = 0;   // declarations where each of its hits was also hit by a stronger profile
  std::vector<std::pair<std::string, size_t>> dominatedBy;  // those profiles, most often first

  double firedShare = 0;                 // fired ÷ evaluated declarations
  std::optional<double> hitRate;         // violations ÷ controlled; none when controlled == 0
  std::optional<double> detectionShare;  // violations ÷ all violations; none when there are none
  std::optional<double> lift;            // hitRate ÷ the random-selection baseline
  bool neverFired = false, lowHitRate = false, allDominated = false;
  bool flagged() const { return neverFired || lowHitRate || allDominated; }
  std::string note;  // why it cannot fire: "draft", "suspended", "not valid in the period"
};

struct BacktestReport {
  std::string bundleName, bundleHash, historyName;
  BacktestOptions options;
  size_t lines = 0;       // non-blank lines read
  size_t evaluated = 0;   // lines decided with a valid outcome: the base of every share
  size_t errors = 0;      // lines left out: error decisions and invalid or missing outcomes
  std::vector<LineError> errorList;  // the first kMaxListedErrors of them
  std::optional<Date> from, to;      // registration dates of the evaluated declarations
  CorridorCounts corridors{};
  size_t controlled = 0, violations = 0;
  size_t violationsUnattributed = 0;  // violations no profile is credited with
  Decimal duties{0};
  size_t sampleControlled = 0, sampleViolations = 0;  // declarations hit by random selection
  std::optional<double> baselineHitRate;              // sampleViolations ÷ sampleControlled
  std::vector<ProfileFigures> profiles;               // in bundle order (by id)
  bool readFailed = false;                            // the history could not be read to the end

  size_t autoReleased() const { return corridors[0] + corridors[1]; }
  double share(size_t n) const { return evaluated ? static_cast<double>(n) / static_cast<double>(evaluated) : 0.0; }
  size_t flaggedCount() const;
};

BacktestReport runBacktestReport(const LoadedProgram& program, std::istream& history, const BacktestOptions& options);

}  // namespace daliz::analysis

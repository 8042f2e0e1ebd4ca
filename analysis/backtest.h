#pragma once
// `daliz backtest`: replays a history of past declarations with their control outcomes through
// a bundle and measures each profile's effectiveness (docs/backtest.md).
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vm/exec/plan_check.h"
#include "analysis/replay.h"
#include "vm/exec/loaded_program.h"
#include "vm/value/date.h"
#include "vm/value/decimal.h"

namespace daliz::analysis {

struct BacktestOptions {
  size_t minControls = 20;    // controlled hits needed for "hit rate under R" and the level check
  double minHitRate = 0.05;   // R
  // The measured risk level: expected additional duties per controlled hit up to lowLevelMax
  // is low, up to mediumLevelMax medium, above it high (tenge; docs/backtest.md).
  Decimal lowLevelMax = Decimal::fromInt(500'000);
  Decimal mediumLevelMax = Decimal::fromInt(2'500'000);
  unsigned threads = 0;       // 0: one per core
};

// A share's confidence interval.
struct Interval {
  double low = 0, high = 0;
};

// The Wilson score interval of the proportion k of n (n > 0) at z standard deviations (1.96:
// 95%). Unlike the normal approximation it stays within [0, 1] and is not empty at 0 of n, which
// matters for profiles with a handful of controls.
Interval wilsonInterval(size_t k, size_t n, double z = 1.96);

// The risk level the law defines: how often non-compliance happens against the size of its
// damage, measured on a profile's controlled hits (docs/backtest.md).
struct MeasuredRisk {
  Interval hitRate;  // Wilson 95% interval of violations ÷ controlled
  // Expected additional duties per controlled hit: hit rate × duties per violation, which is
  // duties ÷ controlled, exact (rounded half-even to 6 fractional digits).
  Decimal damage{0};
  // The interval's bounds × duties per violation; none without violations, whose size is unknown.
  std::optional<Decimal> damageLow, damageHigh;
  uint8_t level = 0;                           // of damage: 0 low, 1 medium, 2 high
  std::optional<uint8_t> levelLow, levelHigh;  // of damageLow and damageHigh
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
  std::optional<MeasuredRisk> risk;      // none when controlled == 0
  bool neverFired = false, lowHitRate = false, allDominated = false;
  // Ineffective: the three flags above. A level mismatch is not ineffectiveness (a profile
  // declared low that finds costly violations works well): it is counted apart.
  bool flagged() const { return neverFired || lowHitRate || allDominated; }
  // The declared level is more than one step from the measured one (low against high), with at
  // least minControls controlled hits; never for random selection, which measures the baseline.
  bool levelMismatch = false;
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
  PlanComparison plans;  // the evaluated declarations against the selection plans; empty: none
  bool readFailed = false;                            // the history could not be read to the end

  size_t autoReleased() const { return corridors[0] + corridors[1]; }
  double share(size_t n) const { return evaluated ? static_cast<double>(n) / static_cast<double>(evaluated) : 0.0; }
  size_t flaggedCount() const;
  size_t levelMismatchCount() const;
};

// The level of an expected damage per controlled hit under the options' thresholds.
uint8_t riskLevel(Decimal damage, const BacktestOptions& options);

BacktestReport runBacktestReport(const LoadedProgram& program, std::istream& history, const BacktestOptions& options);

}  // namespace daliz::analysis

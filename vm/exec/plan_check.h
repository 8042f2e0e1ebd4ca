#pragma once
// Observed corridor shares against the selection plans (docs/backtest.md, "Selection plans"):
// the one comparison behind `daliz backtest`, `daliz diff` and serve's plan gauges. A
// declaration counts toward the plan that governs it (planFor): its office's own plan, else the
// general one; a declaration no plan governs is counted apart.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vm/bytecode/program.h"

namespace daliz {

// Where an observed share lies against a corridor's planned range.
enum class PlanVerdict : uint8_t {
  NotPlanned,  // the plan does not name the corridor
  NoData,      // no declaration falls under the plan: nothing to judge
  Inside,      // low <= share <= high
  Below,
  Above,
};
// "not_planned", "no_data", "inside", "below", "above": the JSON and metrics spelling.
const char* planVerdictName(PlanVerdict v);

struct CorridorCheck {
  bool given = false;
  uint32_t lowBasisPoints = 0, highBasisPoints = 0;  // of 10,000
  size_t count = 0;                                  // declarations in the corridor
  double share = 0;                                  // count ÷ the plan's declarations
  PlanVerdict verdict = PlanVerdict::NotPlanned;
  bool outside() const { return verdict == PlanVerdict::Below || verdict == PlanVerdict::Above; }
};

// One plan against the declarations it governs.
struct PlanCheck {
  std::string plan, office;  // office "": the general plan
  size_t declarations = 0;
  std::array<CorridorCheck, 4> corridors{};  // by corridor code, green .. red
  size_t outside() const;
};

struct PlanComparison {
  std::vector<PlanCheck> plans;  // in Program::plans order: the general plan first, then offices
  size_t ungoverned = 0;         // declarations of an office without a plan, and no general plan
  bool empty() const { return plans.empty(); }
  size_t outside() const;  // corridors outside their range, over all plans
  // The check of the plan for `office` ("" the general one); null when there is none.
  const PlanCheck* find(const std::string& office) const;
};

// The counts behind a comparison: declarations by governing plan and corridor.
class PlanTally {
 public:
  explicit PlanTally(const Program& program);
  // The index into Program::plans of the plan governing a declaration of `office`; -1: none.
  int planIndex(const std::optional<std::string>& office) const;
  // delta -1 takes a declaration back out (a rolling window's oldest).
  void add(int planIndex, uint8_t corridor, long delta = 1);
  void add(const std::optional<std::string>& office, uint8_t corridor) {
    add(planIndex(office), corridor);
  }
  PlanComparison compare() const;

 private:
  const Program& program_;
  std::vector<std::array<size_t, 4>> counts_;  // by plan, then corridor
  size_t ungoverned_ = 0;
};

// Whether a plan's ranges can hold together (`daliz lint`, LintPlanInfeasible): the minimum
// shares of the corridors it names must not add up to more than 100%, and, when it names all
// four, the maximums not to less.
struct PlanFeasibility {
  uint32_t lowSumBasisPoints = 0, highSumBasisPoints = 0;
  bool minimumsOver = false;   // lowSum > 10,000
  bool maximumsUnder = false;  // all four given and highSum < 10,000
  bool feasible() const { return !minimumsOver && !maximumsUnder; }
};
PlanFeasibility planFeasibility(const PlanSpec& plan);

// The pure comparison: `counts[i][c]` declarations governed by plan i in corridor c. A share is
// judged in integers (count × 10,000 against basis points × declarations), so 30 of 1,000 is
// exactly at a 3% bound and inside.
PlanComparison comparePlans(const Program& program,
                            const std::vector<std::array<size_t, 4>>& counts,
                            size_t ungoverned = 0);

}  // namespace daliz

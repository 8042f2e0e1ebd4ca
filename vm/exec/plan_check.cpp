#include "vm/exec/plan_check.h"

#include <algorithm>

#include "vm/exec/selection_plan.h"

namespace daliz {

const char* planVerdictName(PlanVerdict v) {
  static const char* const kNames[] = {"not_planned", "no_data", "inside", "below", "above"};
  return kNames[static_cast<size_t>(v)];
}

size_t PlanCheck::outside() const {
  return static_cast<size_t>(std::count_if(corridors.begin(), corridors.end(),
                                           [](const CorridorCheck& c) { return c.outside(); }));
}

size_t PlanComparison::outside() const {
  size_t n = 0;
  for (const PlanCheck& p : plans) n += p.outside();
  return n;
}

const PlanCheck* PlanComparison::find(const std::string& office) const {
  for (const PlanCheck& p : plans)
    if (p.office == office) return &p;
  return nullptr;
}

PlanTally::PlanTally(const Program& program)
    : program_(program), counts_(program.plans.size(), std::array<size_t, 4>{}) {}

int PlanTally::planIndex(const std::optional<std::string>& office) const {
  const PlanSpec* plan = planFor(program_, office);
  return plan ? static_cast<int>(plan - program_.plans.data()) : -1;
}

void PlanTally::add(int planIndex, uint8_t corridor, long delta) {
  size_t& slot = planIndex < 0
                     ? ungoverned_
                     : counts_[static_cast<size_t>(planIndex)][std::min<uint8_t>(corridor, 3)];
  slot = static_cast<size_t>(static_cast<long>(slot) + delta);
}

PlanComparison PlanTally::compare() const { return comparePlans(program_, counts_, ungoverned_); }

PlanFeasibility planFeasibility(const PlanSpec& plan) {
  PlanFeasibility f;
  bool all = true;
  for (const CorridorPlanSpec& c : plan.corridors) {
    if (!c.given) {
      all = false;
      continue;
    }
    f.lowSumBasisPoints += c.lowBasisPoints;
    f.highSumBasisPoints += c.highBasisPoints;
  }
  f.minimumsOver = f.lowSumBasisPoints > 10000;
  f.maximumsUnder = all && f.highSumBasisPoints < 10000;
  return f;
}

PlanComparison comparePlans(const Program& program,
                            const std::vector<std::array<size_t, 4>>& counts, size_t ungoverned) {
  PlanComparison out;
  out.ungoverned = ungoverned;
  for (size_t i = 0; i < program.plans.size(); ++i) {
    const PlanSpec& spec = program.plans[i];
    PlanCheck check;
    check.plan = spec.id;
    check.office = spec.office;
    const std::array<size_t, 4> none{};
    const std::array<size_t, 4>& n = i < counts.size() ? counts[i] : none;
    for (size_t c : n) check.declarations += c;
    for (size_t c = 0; c < 4; ++c) {
      const CorridorPlanSpec& range = spec.corridors[c];
      CorridorCheck& k = check.corridors[c];
      k.given = range.given;
      k.lowBasisPoints = range.lowBasisPoints;
      k.highBasisPoints = range.highBasisPoints;
      k.count = n[c];
      k.share = check.declarations
                    ? static_cast<double>(n[c]) / static_cast<double>(check.declarations)
                    : 0.0;
      if (!range.given)
        k.verdict = PlanVerdict::NotPlanned;
      else if (check.declarations == 0)
        k.verdict = PlanVerdict::NoData;
      else if (n[c] * 10000 < range.lowBasisPoints * check.declarations)
        k.verdict = PlanVerdict::Below;
      else if (n[c] * 10000 > range.highBasisPoints * check.declarations)
        k.verdict = PlanVerdict::Above;
      else
        k.verdict = PlanVerdict::Inside;
    }
    out.plans.push_back(std::move(check));
  }
  return out;
}

}  // namespace daliz

#include "analysis/backtest.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "analysis/history.h"

namespace daliz::analysis {

size_t BacktestReport::flaggedCount() const {
  return static_cast<size_t>(std::count_if(profiles.begin(), profiles.end(), [](const ProfileFigures& p) { return p.flagged(); }));
}

size_t BacktestReport::levelMismatchCount() const {
  return static_cast<size_t>(std::count_if(
      profiles.begin(), profiles.end(), [](const ProfileFigures& p) { return p.levelMismatch; }));
}

Interval wilsonInterval(size_t k, size_t n, double z) {
  const double nn = static_cast<double>(n), p = static_cast<double>(k) / nn, z2 = z * z;
  const double denominator = 1 + z2 / nn;
  const double centre = (p + z2 / (2 * nn)) / denominator;
  const double half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denominator;
  // At 0 of n and n of n a bound is exactly 0 or 1; rounding must not leave it a hair off.
  return Interval{k == 0 ? 0.0 : std::max(0.0, centre - half),
                  k == n ? 1.0 : std::min(1.0, centre + half)};
}

uint8_t riskLevel(Decimal damage, const BacktestOptions& options) {
  if (damage <= options.lowLevelMax) return 0;
  return damage <= options.mediumLevelMax ? 1 : 2;
}

namespace {

constexpr size_t kChunk = 8192;

// The share as a decimal, rounded to the 6 fractional digits the reports print, so the damage
// bounds are exact products of what the report shows.
Decimal shareDecimal(double share) {
  return Decimal{static_cast<__int128>(std::llround(share * 1e6))};
}

std::optional<MeasuredRisk> measureRisk(const ProfileFigures& f, const BacktestOptions& opt) {
  if (f.controlled == 0) return std::nullopt;
  MeasuredRisk m;
  m.hitRate = wilsonInterval(f.violations, f.controlled);
  m.damage =
      div(f.duties, Decimal::fromInt(static_cast<int64_t>(f.controlled))).value_or(Decimal{0});
  m.level = riskLevel(m.damage, opt);
  if (f.violations > 0) {
    const Decimal perViolation =
        div(f.duties, Decimal::fromInt(static_cast<int64_t>(f.violations))).value_or(Decimal{0});
    m.damageLow = mul(perViolation, shareDecimal(m.hitRate.low));
    m.damageHigh = mul(perViolation, shareDecimal(m.hitRate.high));
    if (m.damageLow) m.levelLow = riskLevel(*m.damageLow, opt);
    if (m.damageHigh) m.levelHigh = riskLevel(*m.damageHigh, opt);
  }
  return m;
}

Decimal plus(Decimal a, Decimal b) { return add(a, b).value_or(a); }

class Accumulator {
 public:
  Accumulator(const LoadedProgram& lp, BacktestReport& r)
      : p_(lp.program), r_(r), plans_(lp.program) {
    const size_t n = p_.profiles.size();
    for (const ProfileSpec& s : p_.profiles) {
      ProfileFigures f;
      f.id = s.id;
      f.title = s.title;
      f.area = s.area;
      f.level = s.level;
      f.corridor = s.corridor;
      f.status = s.status;
      f.itemScope = s.itemScope;
      f.sampleBasisPoints = s.sampleBasisPoints;
      r_.profiles.push_back(std::move(f));
    }
    for (size_t i = 0; i < n; ++i) r_.profiles[i].enabled = i < lp.enabled.size() && lp.enabled[i];
    dominators_.resize(n);
    for (size_t m = 0; m < p_.measures.size(); ++m) measureIndex_[p_.measures[m].name] = static_cast<uint32_t>(m);
  }

  void error(size_t line, std::string id, std::string message) {
    ++r_.errors;
    if (r_.errorList.size() < kMaxListedErrors) r_.errorList.push_back(LineError{line, std::move(id), std::move(message)});
  }

  void add(const Replayed& d, const HistoryFields& f) {
    const Outcome& o = f.outcome;
    ++r_.evaluated;
    if (f.registered) {
      ++byDate_[f.registered->days];
      if (!r_.from || *f.registered < *r_.from) r_.from = f.registered;
      if (!r_.to || *f.registered > *r_.to) r_.to = f.registered;
    }
    ++r_.corridors[d.corridor < 4 ? d.corridor : 3];
    if (!p_.plans.empty()) plans_.add(d.office, d.corridor);
    if (o.controlled) ++r_.controlled;
    if (o.violation) {
      ++r_.violations;
      if (o.duties) r_.duties = plus(r_.duties, *o.duties);
    }
    // Which measure found the violation: a violation is credited to the profiles that hit the
    // declaration and demanded that measure; when no measure is given, or the bundle does not
    // know it, to every profile that hit it.
    std::optional<uint32_t> foundBy;
    if (o.violation && !o.measure.empty()) {
      auto it = measureIndex_.find(o.measure);
      if (it != measureIndex_.end()) foundBy = it->second;
    }
    auto credited = [&](uint32_t profile) {
      if (!o.violation) return false;
      if (!foundBy) return true;
      const auto& ms = p_.profiles[profile].measures;
      return std::find(ms.begin(), ms.end(), *foundBy) != ms.end();
    };

    bool anyCredited = false, sampled = false, sampleCredited = false;
    groupHits(d.hits);
    for (const Group& g : groups_) {
      ProfileFigures& fig = r_.profiles[g.profile];
      ++fig.fired;
      fig.itemHits += g.end - g.begin;
      if (o.controlled) ++fig.controlled;
      const bool cred = credited(g.profile);
      if (cred) {
        ++fig.violations;
        if (o.duties) fig.duties = plus(fig.duties, *o.duties);
        anyCredited = true;
      }
      if (fig.random()) {
        sampled = true;
        sampleCredited = sampleCredited || cred;
      }
      if (dominated(d.hits, g)) {
        ++fig.dominated;
        for (const Group& q : groups_)
          if (q.strength > g.strength && (!q.itemScope || !g.itemScope || shareItem(d.hits, g, q)))
            ++dominators_[g.profile][q.profile];
      }
    }
    if (o.violation && !anyCredited) ++r_.violationsUnattributed;
    if (sampled && o.controlled) {
      ++r_.sampleControlled;
      if (sampleCredited) ++r_.sampleViolations;
    }
  }

  void finish(const BacktestOptions& opt) {
    auto ratio = [](size_t a, size_t b) -> std::optional<double> {
      if (b == 0) return std::nullopt;
      return static_cast<double>(a) / static_cast<double>(b);
    };
    r_.baselineHitRate = ratio(r_.sampleViolations, r_.sampleControlled);
    r_.plans = plans_.compare();
    for (size_t i = 0; i < r_.profiles.size(); ++i) {
      ProfileFigures& f = r_.profiles[i];
      const ProfileSpec& s = p_.profiles[i];
      for (const auto& [days, count] : byDate_)
        if (!s.hasValid || (days >= s.validFrom && days <= s.validTo)) f.eligible += count;
      f.firedShare = r_.share(f.fired);
      f.hitRate = ratio(f.violations, f.controlled);
      f.detectionShare = ratio(f.violations, r_.violations);
      if (f.hitRate && r_.baselineHitRate && *r_.baselineHitRate > 0) f.lift = *f.hitRate / *r_.baselineHitRate;
      for (const auto& [q, count] : dominators_[i]) f.dominatedBy.emplace_back(p_.profiles[q].id, count);
      std::stable_sort(f.dominatedBy.begin(), f.dominatedBy.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
      if (!f.enabled) {
        f.note = statusName(f.status);
      } else if (f.eligible == 0 && r_.evaluated > 0) {
        f.note = "not valid in the period";
      }
      f.neverFired = f.enabled && f.eligible > 0 && f.fired == 0;
      f.lowHitRate = !f.random() && f.controlled >= opt.minControls && f.hitRate && *f.hitRate < opt.minHitRate;
      f.allDominated = f.fired > 0 && f.dominated == f.fired;
      f.risk = measureRisk(f, opt);
      f.levelMismatch = !f.random() && f.controlled >= opt.minControls && f.risk &&
                        std::abs(int{f.risk->level} - std::min(int{f.level}, 2)) > 1;
    }
  }

 private:
  // The hits of one profile on the current declaration: hits[begin, end), items ascending.
  struct Group {
    uint32_t profile;
    size_t begin, end;
    int strength;  // level, then corridor: "stronger" compares these
    bool itemScope;
  };

  void groupHits(const std::vector<ReplayHit>& hits) {
    groups_.clear();
    itemMax_.clear();
    declMax_ = -1;
    anyMax_ = -1;
    for (size_t i = 0; i < hits.size();) {
      size_t j = i;
      while (j < hits.size() && hits[j].profile == hits[i].profile) ++j;
      const ProfileSpec& ps = p_.profiles[hits[i].profile];
      const int strength = ps.level * 4 + ps.corridor;
      groups_.push_back(Group{hits[i].profile, i, j, strength, ps.itemScope});
      anyMax_ = std::max(anyMax_, strength);
      if (!ps.itemScope) declMax_ = std::max(declMax_, strength);
      else
        for (size_t h = i; h < j; ++h) {
          auto [it, fresh] = itemMax_.try_emplace(hits[h].item, strength);
          if (!fresh) it->second = std::max(it->second, strength);
        }
      i = j;
    }
  }

  // Each hit of the group also hit by a stronger profile (higher level, or the same level and a
  // more severe corridor) on the same declaration — on the same item when both are item-scope.
  bool dominated(const std::vector<ReplayHit>& hits, const Group& g) const {
    if (!g.itemScope) return anyMax_ > g.strength;
    if (declMax_ > g.strength) return true;
    for (size_t h = g.begin; h < g.end; ++h)
      if (itemMax_.at(hits[h].item) <= g.strength) return false;
    return true;
  }

  static bool shareItem(const std::vector<ReplayHit>& hits, const Group& a, const Group& b) {
    size_t i = a.begin, j = b.begin;
    while (i < a.end && j < b.end) {
      if (hits[i].item == hits[j].item) return true;
      if (hits[i].item < hits[j].item) ++i;
      else ++j;
    }
    return false;
  }

  const Program& p_;
  BacktestReport& r_;
  PlanTally plans_;
  std::map<std::string, uint32_t> measureIndex_;
  std::map<int32_t, size_t> byDate_;
  std::vector<std::map<uint32_t, size_t>> dominators_;
  std::vector<Group> groups_;
  std::unordered_map<int64_t, int> itemMax_;
  int declMax_ = -1, anyMax_ = -1;
};

}  // namespace

BacktestReport runBacktestReport(const LoadedProgram& program, std::istream& history, const BacktestOptions& options) {
  BacktestReport r;
  r.options = options;
  r.bundleHash = program.contentHash;
  Accumulator acc(program, r);
  Replayer replayer(program, options.threads ? options.threads : defaultThreads());
  HistoryFieldReader fields;
  LineReader reader(history);
  std::vector<std::string> lines;
  std::vector<size_t> numbers;
  std::vector<std::string_view> views;
  std::vector<Replayed> decided;
  while (reader.next(kChunk, lines, numbers)) {
    views.assign(lines.begin(), lines.end());
    replayer.decide(views, decided);
    for (size_t i = 0; i < lines.size(); ++i) {
      ++r.lines;
      const Replayed& d = decided[i];
      if (!d.ok) {
        acc.error(numbers[i], d.id, d.error);
        continue;
      }
      HistoryFields f = fields.read(lines[i]);
      if (!f.hasOutcome) {
        acc.error(numbers[i], d.id, "no \"outcome\" object: a history line needs the outcome of its control");
        continue;
      }
      if (!f.outcomeError.empty()) {
        acc.error(numbers[i], d.id, f.outcomeError);
        continue;
      }
      acc.add(d, f);
    }
  }
  r.readFailed = reader.failed();
  acc.finish(options);
  return r;
}

}  // namespace daliz::analysis

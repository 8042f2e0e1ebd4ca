// JSON renderings of the backtest and diff reports: keys in a fixed order (docs/backtest.md),
// counts as integers, shares and ratios as numbers with 6 fractional digits (null for n/a),
// money as strings with 2 fractional digits.
#include <string>

#include "analysis/format.h"
#include "analysis/report.h"
#include "vm/exec/decision.h"

namespace daliz::analysis {

namespace {

using fmt::jsonNumber;
using fmt::jsonString;

std::string n(size_t v) { return std::to_string(v); }

std::string corridorCounts(const CorridorCounts& c, size_t base) {
  std::string out = "{";
  for (uint8_t i = 0; i < 4; ++i) {
    if (i) out += ", ";
    std::optional<double> share;
    if (base) share = static_cast<double>(c[i]) / static_cast<double>(base);
    out += jsonString(fmt::corridor(i)) + ": {\"count\": " + n(c[i]) + ", \"share\": " + jsonNumber(share) + "}";
  }
  return out + "}";
}

std::string matrixJson(const Matrix& m) {
  std::string out = "[";
  for (int f = 0; f < 4; ++f) {
    out += f ? ", [" : "[";
    for (int t = 0; t < 4; ++t) out += (t ? ", " : "") + n(m[f][t]);
    out += "]";
  }
  return out + "]";
}

std::string errorsJson(const std::vector<LineError>& list) {
  std::string out = "[";
  for (size_t i = 0; i < list.size(); ++i) {
    out += i ? ",\n    " : "\n    ";
    out += "{\"line\": " + n(list[i].line) + ", \"id\": " + (list[i].id.empty() ? "null" : jsonString(list[i].id)) +
           ", \"message\": " + jsonString(list[i].message) + "}";
  }
  return out + (list.empty() ? "]" : "\n  ]");
}

std::string stringList(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + jsonString(v[i]);
  return out + "]";
}

std::optional<double> shareOf(size_t a, size_t b) {
  if (!b) return std::nullopt;
  return static_cast<double>(a) / static_cast<double>(b);
}

std::string moneyOrNull(const std::optional<Decimal>& d) {
  return d ? jsonString(fmt::money(*d)) : "null";
}

std::string levelOrNull(const std::optional<uint8_t>& level) {
  return level ? jsonString(levelText(*level)) : "null";
}

// The measured risk level: every key always present, null without controlled hits (all) or
// without violations (the interval's damage and levels).
std::string riskJson(const ProfileFigures& p) {
  const std::optional<MeasuredRisk>& m = p.risk;
  std::string o =
      "{\"hit_rate_low\": " + jsonNumber(m ? std::optional(m->hitRate.low) : std::nullopt);
  o += ", \"hit_rate_high\": " + jsonNumber(m ? std::optional(m->hitRate.high) : std::nullopt);
  o += ", \"expected_damage\": " + moneyOrNull(m ? std::optional(m->damage) : std::nullopt);
  o += ", \"expected_damage_low\": " + moneyOrNull(m ? m->damageLow : std::nullopt);
  o += ", \"expected_damage_high\": " + moneyOrNull(m ? m->damageHigh : std::nullopt);
  o += ", \"level\": " + levelOrNull(m ? std::optional(m->level) : std::nullopt);
  o += ", \"level_low\": " + levelOrNull(m ? m->levelLow : std::nullopt);
  o += ", \"level_high\": " + levelOrNull(m ? m->levelHigh : std::nullopt);
  return o + ", \"level_mismatch\": " + (p.levelMismatch ? "true" : "false") + "}";
}

// A bundle's plan comparison: one object per plan, every key always present.
std::string plansJson(const PlanComparison& pc) {
  std::string o = "[";
  for (size_t i = 0; i < pc.plans.size(); ++i) {
    const PlanCheck& p = pc.plans[i];
    o += i ? ",\n    " : "\n    ";
    o += "{\"plan\": ";
    o += jsonString(p.plan);
    o += ", \"office\": ";
    o += p.office.empty() ? std::string("null") : jsonString(p.office);
    o += ", \"declarations\": ";
    o += n(p.declarations);
    o += ", \"corridors\": {";
    for (uint8_t c = 0; c < 4; ++c) {
      const CorridorCheck& k = p.corridors[c];
      if (c) o += ", ";
      o += jsonString(fmt::corridor(c));
      o += ": {\"count\": ";
      o += n(k.count);
      o += ", \"share\": ";
      o += jsonNumber(p.declarations ? std::optional(k.share) : std::nullopt);
      o += ", \"low\": ";
      o += jsonNumber(k.given ? std::optional(k.lowBasisPoints / 10000.0) : std::nullopt);
      o += ", \"high\": ";
      o += jsonNumber(k.given ? std::optional(k.highBasisPoints / 10000.0) : std::nullopt);
      o += ", \"verdict\": ";
      o += jsonString(planVerdictName(k.verdict));
      o += "}";
    }
    o += "}, \"outside\": ";
    o += n(p.outside());
    o += "}";
  }
  o += pc.plans.empty() ? "]" : "\n  ]";
  return o;
}

}  // namespace

std::string backtestJson(const BacktestReport& r) {
  std::string o = "{\n";
  o += "  \"report\": \"backtest\",\n";
  o += "  \"bundle\": {\"name\": " + jsonString(r.bundleName) + ", \"hash\": " + jsonString(r.bundleHash) + "},\n";
  o += "  \"history\": " + jsonString(r.historyName) + ",\n";
  o += "  \"options\": {\"min_controls\": " + n(r.options.minControls) +
       ", \"min_hit_rate\": " + jsonNumber(r.options.minHitRate) +
       ", \"level_thresholds\": {\"low_max\": " + jsonString(fmt::money(r.options.lowLevelMax)) +
       ", \"medium_max\": " + jsonString(fmt::money(r.options.mediumLevelMax)) + "}},\n";
  o += "  \"declarations\": {\"lines\": " + n(r.lines) + ", \"evaluated\": " + n(r.evaluated) + ", \"errors\": " +
       n(r.errors) + ", \"from\": " + (r.from ? jsonString(toString(*r.from)) : "null") +
       ", \"to\": " + (r.to ? jsonString(toString(*r.to)) : "null") + "},\n";
  o += "  \"corridors\": " + corridorCounts(r.corridors, r.evaluated) + ",\n";
  o += "  \"auto_release\": {\"count\": " + n(r.autoReleased()) + ", \"share\": " +
       jsonNumber(shareOf(r.autoReleased(), r.evaluated)) + "},\n";
  o += "  \"control\": {\"controlled\": " + n(r.controlled) + ", \"violations\": " + n(r.violations) +
       ", \"unattributed_violations\": " + n(r.violationsUnattributed) +
       ", \"additional_duties\": " + jsonString(fmt::money(r.duties)) + "},\n";
  o += "  \"baseline\": {\"controlled\": " + n(r.sampleControlled) + ", \"violations\": " + n(r.sampleViolations) +
       ", \"hit_rate\": " + jsonNumber(r.baselineHitRate) + "},\n";
  o += "  \"profiles\": [";
  for (size_t i = 0; i < r.profiles.size(); ++i) {
    const ProfileFigures& p = r.profiles[i];
    o += i ? ",\n    " : "\n    ";
    o += "{\"id\": " + jsonString(p.id) + ", \"title\": " + jsonString(p.title) + ", \"area\": " + jsonString(p.area);
    o += ", \"level\": " + jsonString(levelText(p.level)) + ", \"corridor\": " + jsonString(fmt::corridor(p.corridor));
    o += ", \"status\": " + jsonString(statusName(p.status)) + ", \"enabled\": " + (p.enabled ? "true" : "false");
    o += ", \"scope\": " + std::string(p.itemScope ? "\"item\"" : "\"declaration\"");
    o += ", \"sample\": " + (p.random() ? jsonNumber(p.sampleBasisPoints / 10000.0) : std::string("null"));
    o += ", \"eligible\": " + n(p.eligible) + ", \"fired\": " + n(p.fired) +
         ", \"fired_share\": " + jsonNumber(p.firedShare) + ", \"item_hits\": " + n(p.itemHits);
    o += ", \"controlled\": " + n(p.controlled) + ", \"violations\": " + n(p.violations);
    o += ", \"hit_rate\": " + jsonNumber(p.hitRate) + ", \"detection_share\": " + jsonNumber(p.detectionShare) +
         ", \"lift\": " + jsonNumber(p.lift);
    o += ", \"additional_duties\": " + jsonString(fmt::money(p.duties));
    o += ", \"risk\": " + riskJson(p);
    o += ", \"dominated\": " + n(p.dominated) + ", \"dominated_by\": [";
    for (size_t k = 0; k < p.dominatedBy.size(); ++k)
      o += (k ? ", " : "") + std::string("{\"profile\": ") + jsonString(p.dominatedBy[k].first) +
           ", \"declarations\": " + n(p.dominatedBy[k].second) + "}";
    o += "], \"flags\": [";
    std::string flags;
    if (p.neverFired) flags += "\"never_fired\"";
    if (p.lowHitRate) flags += std::string(flags.empty() ? "" : ", ") + "\"low_hit_rate\"";
    if (p.allDominated) flags += std::string(flags.empty() ? "" : ", ") + "\"dominated\"";
    o += flags + "], \"note\": " + (p.note.empty() ? std::string("null") : jsonString(p.note)) + "}";
  }
  o += r.profiles.empty() ? "],\n" : "\n  ],\n";
  o += "  \"flagged\": " + n(r.flaggedCount()) + ",\n";
  o += "  \"level_mismatches\": " + n(r.levelMismatchCount()) + ",\n";
  // Only for a bundle with plans, so the report of one without is what it was before plans.
  if (!r.plans.empty()) {
    o += "  \"plans\": " + plansJson(r.plans) + ",\n";
    o += "  \"plans_ungoverned\": " + n(r.plans.ungoverned) + ",\n";
  }
  o += "  \"errors\": " + errorsJson(r.errorList) + "\n";
  o += "}\n";
  return o;
}

std::string diffJson(const DiffReport& r) {
  std::string o = "{\n";
  o += "  \"report\": \"diff\",\n";
  o += "  \"old\": {\"name\": " + jsonString(r.oldName) + ", \"hash\": " + jsonString(r.oldHash) + "},\n";
  o += "  \"new\": {\"name\": " + jsonString(r.newName) + ", \"hash\": " + jsonString(r.newHash) + "},\n";
  o += "  \"history\": " + jsonString(r.historyName) + ",\n";
  o += "  \"declarations\": {\"lines\": " + n(r.lines) + ", \"compared\": " + n(r.compared) + ", \"errors\": " +
       n(r.errors) + ", \"errors_old\": " + n(r.errorsOld) + ", \"errors_new\": " + n(r.errorsNew) + "},\n";
  o += "  \"corridors\": [\"green\", \"blue\", \"yellow\", \"red\"],\n";
  o += "  \"matrix\": " + matrixJson(r.matrix) + ",\n";
  o += "  \"before\": " + corridorCounts(r.before, r.compared) + ",\n";
  o += "  \"after\": " + corridorCounts(r.after, r.compared) + ",\n";
  o += "  \"auto_release\": {\"before\": {\"count\": " + n(r.autoBefore()) + ", \"share\": " +
       jsonNumber(shareOf(r.autoBefore(), r.compared)) + "}, \"after\": {\"count\": " + n(r.autoAfter()) +
       ", \"share\": " + jsonNumber(shareOf(r.autoAfter(), r.compared)) + "}},\n";
  o += "  \"moved\": " + n(r.moved) + ",\n";
  o += "  \"profiles_added\": " + stringList(r.profilesOnlyNew) + ",\n";
  o += "  \"profiles_removed\": " + stringList(r.profilesOnlyOld) + ",\n";
  o += "  \"drivers\": [";
  for (size_t i = 0; i < r.drivers.size(); ++i) {
    const ProfileDriver& d = r.drivers[i];
    o += i ? ",\n    " : "\n    ";
    o += "{\"profile\": " + jsonString(d.id) + ", \"title\": " + jsonString(d.title) +
         ", \"in_old\": " + (d.inOld ? "true" : "false") + ", \"in_new\": " + (d.inNew ? "true" : "false") +
         ", \"gained\": " + n(d.added) + ", \"lost\": " + n(d.removed) + ", \"moved\": " + n(d.moved) +
         ", \"gained_moves\": " + matrixJson(d.addedMoves) + ", \"lost_moves\": " + matrixJson(d.removedMoves) + "}";
  }
  o += r.drivers.empty() ? "],\n" : "\n  ],\n";
  o += "  \"samples\": [";
  for (size_t i = 0; i < r.samples.size(); ++i) {
    const DiffSample& s = r.samples[i];
    o += i ? ",\n    " : "\n    ";
    o += "{\"line\": " + n(s.line) + ", \"id\": " + jsonString(s.id) + ", \"old\": " + jsonString(fmt::corridor(s.from)) +
         ", \"new\": " + jsonString(fmt::corridor(s.to)) + ", \"added\": " + stringList(s.added) +
         ", \"removed\": " + stringList(s.removed) + "}";
  }
  o += r.samples.empty() ? "],\n" : "\n  ],\n";
  if (!r.plansOld.empty() || !r.plansNew.empty()) {
    o += "  \"plans_old\": " + plansJson(r.plansOld) + ",\n";
    o += "  \"plans_new\": " + plansJson(r.plansNew) + ",\n";
  }
  o += "  \"errors\": " + errorsJson(r.errorList) + "\n";
  o += "}\n";
  return o;
}

}  // namespace daliz::analysis

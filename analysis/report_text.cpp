// Terminal renderings of the backtest and diff reports.
#include <string>

#include "analysis/format.h"
#include "analysis/report.h"
#include "vm/exec/decision.h"

namespace daliz::analysis {

namespace {

std::string count(size_t n) { return std::to_string(n); }

std::string flagLetters(const ProfileFigures& p) {
  std::string s;
  auto add = [&](const char* f) {
    if (!s.empty()) s += ' ';
    s += f;
  };
  if (p.neverFired) add("N");
  if (p.lowHitRate) add("H");
  if (p.allDominated) add("D");
  if (p.levelMismatch) add("L");
  if (!p.note.empty()) add(("(" + p.note + ")").c_str());
  return s;
}

std::string dominators(const ProfileFigures& p, size_t max) {
  std::string s;
  for (size_t i = 0; i < p.dominatedBy.size() && i < max; ++i) {
    if (i) s += ", ";
    s += p.dominatedBy[i].first + " (" + std::to_string(p.dominatedBy[i].second) + ")";
  }
  if (p.dominatedBy.size() > max) s += ", …";
  return s;
}

std::string errors(const std::vector<LineError>& list, size_t total) {
  if (total == 0) return {};
  std::string out = "\nError lines: " + count(total);
  if (list.size() < total) out += " (the first " + count(list.size()) + " listed)";
  out += "\n";
  fmt::Table t("lll");
  for (const LineError& e : list) t.row({"line " + count(e.line), e.id.empty() ? "-" : e.id, e.message});
  return out + t.render("  ");
}

std::string plural(size_t n, const char* word) {
  std::string s = count(n);
  s += ' ';
  s += word;
  if (n != 1) s += 's';
  return s;
}

// The selection-plan part of a backtest: "" without plans, so the report of a bundle without
// plans is what it was before plans existed.
std::string plansText(const PlanComparison& pc) {
  if (pc.empty()) return {};
  std::string out = "\nSelection plans: ";
  out += plural(pc.outside(), "corridor share");
  out += " outside the planned range\n";
  fmt::Table t("llrlrll");
  t.row({"Plan", "Office", "Declarations", "Corridor", "Observed", "Planned", "Flag"});
  for (const PlanCheck& p : pc.plans)
    for (uint8_t c = 0; c < 4; ++c) {
      const CorridorCheck& k = p.corridors[c];
      t.row({c ? "" : p.plan, c ? "" : fmt::planOffice(p), c ? "" : count(p.declarations),
             fmt::corridor(c), fmt::planObserved(k, p.declarations), fmt::planRange(k),
             fmt::planFlag(k)});
    }
  out += t.render("  ");
  out += "  A declaration counts toward its office's plan, else the general plan.\n";
  if (pc.ungoverned) {
    out += "  ";
    out += plural(pc.ungoverned, "declaration");
    out += " of offices without a plan, and no general plan: not compared.\n";
  }
  return out;
}

// The same for a diff: each bundle's declarations against its own plans, side by side, flags
// for the new bundle.
std::string plansDiffText(const DiffReport& r) {
  if (r.plansOld.empty() && r.plansNew.empty()) return {};
  std::string out = "\nSelection plans: ";
  out += plural(r.plansNew.outside(), "corridor share");
  out += " outside the planned range with the new bundle (";
  out += count(r.plansOld.outside());
  out += " with the old)\n";
  fmt::Table t("llrlrlrll");
  t.row(
      {"Plan", "Office", "Declarations", "Corridor", "Old", "Old plan", "New", "New plan", "Flag"});
  for (const auto& [o, n] : fmt::planPairs(r.plansOld, r.plansNew)) {
    const PlanCheck& any = n ? *n : *o;
    std::string plan = o && n && o->plan != n->plan ? o->plan : any.plan;
    if (o && n && o->plan != n->plan) {
      plan += " → ";
      plan += n->plan;
    }
    if (!n)
      plan += " (old only)";
    else if (!o)
      plan += " (new)";
    std::string declarations = o ? count(o->declarations) : "-";
    declarations += " → ";
    declarations += n ? count(n->declarations) : "-";
    for (uint8_t c = 0; c < 4; ++c) {
      t.row({c ? "" : plan, c ? "" : fmt::planOffice(any), c ? "" : declarations, fmt::corridor(c),
             o ? fmt::planObserved(o->corridors[c], o->declarations) : "-",
             o ? fmt::planRange(o->corridors[c]) : "-",
             n ? fmt::planObserved(n->corridors[c], n->declarations) : "-",
             n ? fmt::planRange(n->corridors[c]) : "-", n ? fmt::planFlag(n->corridors[c]) : ""});
    }
  }
  out += t.render("  ");
  out +=
      "  A declaration counts toward its office's plan, else the general plan; flags: the new "
      "bundle.\n";
  return out;
}

}  // namespace

std::string backtestText(const BacktestReport& r) {
  std::string out = "daliz backtest\n";
  fmt::Table head("ll");
  head.row({"bundle", (r.bundleName.empty() ? std::string() : r.bundleName + " ") + "(" + fmt::shortHash(r.bundleHash) + ")"});
  if (!r.historyName.empty()) head.row({"history", r.historyName});
  if (r.from) head.row({"period", toString(*r.from) + " .. " + toString(*r.to)});
  out += head.render("  ") + "\n";

  fmt::Table sum("ll");
  sum.row({"Declarations", count(r.lines) + " lines: " + count(r.evaluated) + " evaluated, " + count(r.errors) +
                               " error line" + (r.errors == 1 ? "" : "s")});
  std::string corridors;
  for (uint8_t c = 0; c < 4; ++c) {
    if (c) corridors += "   ";
    corridors += std::string(fmt::corridor(c)) + " " + count(r.corridors[c]) + " (" + fmt::percent(r.share(r.corridors[c])) + ")";
  }
  sum.row({"Corridors", corridors});
  sum.row({"Auto-release", count(r.autoReleased()) + " of " + count(r.evaluated) + " (" +
                               fmt::percent(r.share(r.autoReleased())) + "), green + blue"});
  sum.row({"Control", count(r.controlled) + " controlled (" + fmt::percent(r.share(r.controlled)) + "), " +
                          count(r.violations) + " violations found, additional duties " + fmt::money(r.duties)});
  if (r.violationsUnattributed)
    sum.row({"", count(r.violationsUnattributed) + " of the violations are credited to no profile"});
  sum.row({"Baseline", "random selection hit rate " + fmt::percent(r.baselineHitRate) + " (" + count(r.sampleViolations) +
                           " of " + count(r.sampleControlled) + " controlled declarations hit by `sample` profiles)"});
  out += sum.render() + "\n";

  fmt::Table t("lllrrrrrrrrrrll");
  t.row({"Profile", "Level", "Corridor", "Fired", "Share", "Ctrl", "Viol", "Hit rate",
         "95% interval", "Detect", "Lift", "Duties", "Risk", "Measured", "Flags"});
  for (const ProfileFigures& p : r.profiles) {
    t.row({p.id + (p.random() ? "*" : ""), levelText(p.level), fmt::corridor(p.corridor),
           count(p.fired), fmt::percent(p.firedShare), count(p.controlled), count(p.violations),
           fmt::percent(p.hitRate),
           fmt::percentRange(p.risk ? std::optional(p.risk->hitRate) : std::nullopt),
           fmt::percent(p.detectionShare), fmt::ratio(p.lift), fmt::money(p.duties),
           fmt::money(p.risk ? std::optional(p.risk->damage) : std::nullopt), fmt::measuredLevel(p),
           flagLetters(p)});
  }
  out += t.render();
  out += "\n* random selection (`sample`).  Flags: N never fired; H hit rate under " +
         fmt::percent(r.options.minHitRate) + " with at least " + count(r.options.minControls) +
         " controlled hits; D every hit also hit by a stronger profile; L declared level more than "
         "one step from the "
         "measured one, with at least " +
         count(r.options.minControls) + " controlled hits.\n";
  out +=
      "95% interval: Wilson, of the hit rate.  Risk: expected additional duties per controlled hit "
      "(hit rate × "
      "duties per violation).  Measured: its level, low up to " +
      fmt::money(r.options.lowLevelMax) + ", medium up to " + fmt::money(r.options.mediumLevelMax) +
      ", high above.\n";

  const size_t flagged = r.flaggedCount();
  out += "\nIneffective profiles: " + count(flagged) + " of " + count(r.profiles.size()) + "\n";
  for (const ProfileFigures& p : r.profiles) {
    if (!p.flagged()) continue;
    out += "  " + p.id + "  " + p.title + "\n";
    if (p.neverFired) out += "      never fired (" + count(p.eligible) + " declarations in its validity)\n";
    if (p.lowHitRate)
      out += "      hit rate " + fmt::percent(p.hitRate) + " (" + count(p.violations) + " of " + count(p.controlled) +
             " controlled hits) is under " + fmt::percent(r.options.minHitRate) + "\n";
    if (p.allDominated)
      out += "      every hit (" + count(p.fired) + " declaration" + (p.fired == 1 ? "" : "s") +
             ") also hit by a stronger profile: " + dominators(p, 3) + "\n";
  }

  out += "\nRisk level disagreements: " + count(r.levelMismatchCount()) + " of " +
         count(r.profiles.size()) + "\n";
  for (const ProfileFigures& p : r.profiles) {
    if (!p.levelMismatch) continue;
    const MeasuredRisk& m = *p.risk;
    out += "  " + p.id + "  " + p.title + "\n";
    out += "      declared " + std::string(levelText(p.level)) + ", measured " +
           levelText(m.level) + ": " + fmt::money(m.damage) +
           " expected additional duties per controlled hit\n";
    out += "      (" + fmt::riskEvidence(p) + ")\n";
  }
  out += plansText(r.plans);
  out += errors(r.errorList, r.errors);
  return out;
}

std::string diffText(const DiffReport& r) {
  std::string out = "daliz diff\n";
  fmt::Table head("ll");
  head.row({"old", (r.oldName.empty() ? std::string() : r.oldName + " ") + "(" + fmt::shortHash(r.oldHash) + ")"});
  head.row({"new", (r.newName.empty() ? std::string() : r.newName + " ") + "(" + fmt::shortHash(r.newHash) + ")"});
  if (!r.historyName.empty()) head.row({"history", r.historyName});
  out += head.render("  ") + "\n";

  fmt::Table sum("ll");
  sum.row({"Declarations", count(r.lines) + " lines: " + count(r.compared) + " compared, " + count(r.errors) +
                               " error line" + (r.errors == 1 ? "" : "s") + " (old bundle " + count(r.errorsOld) +
                               ", new bundle " + count(r.errorsNew) + ")"});
  const long long delta = static_cast<long long>(r.autoAfter()) - static_cast<long long>(r.autoBefore());
  sum.row({"Auto-release", fmt::percent(r.share(r.autoBefore())) + " → " + fmt::percent(r.share(r.autoAfter())) + " (" +
                               count(r.autoBefore()) + " → " + count(r.autoAfter()) + ", " + (delta > 0 ? "+" : "") +
                               std::to_string(delta) + ")"});
  sum.row({"Moved", count(r.moved) + " declarations (" + fmt::percent(r.share(r.moved)) + ") change corridor"});
  if (!r.profilesOnlyNew.empty() || !r.profilesOnlyOld.empty()) {
    auto join = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
      return s.empty() ? std::string("none") : s;
    };
    sum.row({"Profiles", "added " + join(r.profilesOnlyNew) + "; removed " + join(r.profilesOnlyOld)});
  }
  out += sum.render() + "\n";

  out += "Corridor transitions (rows: old bundle, columns: new bundle)\n";
  fmt::Table m("lrrrrr");
  m.row({"old \\ new", "green", "blue", "yellow", "red", "total"});
  for (uint8_t f = 0; f < 4; ++f) {
    std::vector<std::string> row{fmt::corridor(f)};
    for (uint8_t t = 0; t < 4; ++t) row.push_back(count(r.matrix[f][t]));
    row.push_back(count(r.before[f]));
    m.row(std::move(row));
  }
  std::vector<std::string> total{"total"};
  for (uint8_t t = 0; t < 4; ++t) total.push_back(count(r.after[t]));
  total.push_back(count(r.compared));
  m.row(std::move(total));
  out += m.render("  ") + "\n";

  out += "Profiles that drive the moves: " + count(r.drivers.size()) + "\n";
  if (!r.drivers.empty()) {
    fmt::Table d("lrrrl");
    d.row({"Profile", "Gained", "Lost", "Moved", "Corridor moves (old→new)"});
    for (const ProfileDriver& p : r.drivers) {
      std::string mv;
      if (p.added) mv += "gained: " + fmt::moves(p.addedMoves);
      if (p.removed) mv += std::string(mv.empty() ? "" : "; ") + "lost: " + fmt::moves(p.removedMoves);
      std::string id = p.id + (!p.inOld ? " (new)" : !p.inNew ? " (removed)" : "");
      d.row({id, count(p.added), count(p.removed), count(p.moved), mv});
    }
    out += d.render("  ");
    out += "  Gained: declarations it hits only with the new bundle; Lost: only with the old one; Moved: of those, the ones\n"
           "  whose corridor changed.\n";
  }
  out += "\nSample declarations that change corridor: " + count(r.samples.size()) + " of " + count(r.moved) + "\n";
  if (!r.samples.empty()) {
    fmt::Table s("rlll");
    s.row({"Line", "Declaration", "Old → new", "Profiles"});
    for (const DiffSample& x : r.samples) {
      std::string prof;
      for (const auto& a : x.added) prof += (prof.empty() ? "" : " ") + ("+" + a);
      for (const auto& a : x.removed) prof += (prof.empty() ? "" : " ") + ("-" + a);
      s.row({count(x.line), x.id, std::string(fmt::corridor(x.from)) + " → " + fmt::corridor(x.to), prof});
    }
    out += s.render("  ");
  }
  out += plansDiffText(r);
  out += errors(r.errorList, r.errors);
  return out;
}

}  // namespace daliz::analysis

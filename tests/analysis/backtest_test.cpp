// daliz backtest (analysis/backtest.h, docs/backtest.md) on generated histories whose right
// answers are known by construction: hit rate and detection share of a profile that fires
// exactly on the violations, the random-selection baseline and lift, the three flags of
// ineffective profiles, credit by the measure that found a violation, exact duties, error lines,
// and the text / JSON / HTML renderings of the same figures.
#include <catch2/catch.hpp>
#include <simdjson.h>

#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "analysis/backtest.h"
#include "analysis/format.h"
#include "analysis/report.h"
#include "tests/support/engine_fixture.h"
#include "vm/exec/evaluator.h"

namespace daliz::testing {
namespace {

using analysis::BacktestOptions;
using analysis::BacktestReport;
using analysis::ProfileFigures;

std::string id(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "D-%03d", i);
  return buf;
}

// A history line: the declaration with an outcome.
std::string historyLine(Json d, bool controlled, bool violation, const std::string& measure = "",
                        const Json& duties = Json()) {
  Json o = Json::object({{"controlled", controlled}, {"violation", violation}});
  if (!measure.empty()) o.set("measure", measure);
  if (duties.kind() != Json::Kind::Null) o.set("additional_duties", duties);
  d.set("outcome", o);
  return d.dump();
}

BacktestReport backtest(const LoadedProgram& p, const std::string& history, BacktestOptions opt = {}) {
  std::istringstream in(history);
  return analysis::runBacktestReport(p, in, opt);
}

const ProfileFigures& fig(const BacktestReport& r, const std::string& profile) {
  for (const ProfileFigures& f : r.profiles)
    if (f.id == profile) return f;
  FAIL("no profile " << profile << " in the report");
  return r.profiles.front();
}

// ---- History A: P-EXACT fires exactly on the 20 violating declarations of 200 ----------------
const char* const kExact = R"(
profile "P-EXACT" {
  title "Exactly the bad ones"
  level high
  when  declaration.consignee.name == "Bad LLP"
  measures documentary_check
}
profile "P-RANDOM" {
  title "Random documentary check"
  level low
  sample 50%
  when  declaration.direction == "IM"
  measures documentary_check
}
)";

bool bad(int i) { return i % 10 == 0; }
bool controlledA(int i) { return bad(i) || i % 4 == 1; }

std::string historyA(bool withErrors) {
  std::string h;
  for (int i = 0; i < 200; ++i) {
    Json d = baseDeclaration(id(i));
    d.set("registered", i < 100 ? "2025-03-01" : "2025-09-30");
    if (bad(i)) d.set("consignee.name", "Bad LLP");
    h += historyLine(d, controlledA(i), bad(i), "", bad(i) ? Json("1000.50") : Json()) + "\n";
    if (withErrors && i == 49) {
      h += "\n";                                                                // line 51: blank, skipped
      h += "{\"id\": \"CUT\", \"registered\": \"2025-03-0\n";                   // line 52: not JSON
      h += baseDeclaration("NO-OUTCOME").dump() + "\n";                         // line 53
      h += historyLine(baseDeclaration("ODD"), false, true) + "\n";             // line 54
    }
  }
  return h;
}

TEST_CASE("a profile that fires exactly on the violating declarations has hit rate and detection share 100%",
          "[analysis]") {
  auto p = compileProgram(kExact);
  BacktestReport r = backtest(*p, historyA(false));
  REQUIRE(r.errors == 0);
  REQUIRE(r.evaluated == 200);
  const ProfileFigures& e = fig(r, "P-EXACT");
  CHECK(e.fired == 20);
  CHECK(e.firedShare == Approx(0.1));
  CHECK(e.controlled == 20);
  CHECK(e.violations == 20);
  REQUIRE(e.hitRate);
  CHECK(*e.hitRate == 1.0);
  REQUIRE(e.detectionShare);
  CHECK(*e.detectionShare == 1.0);
  CHECK(toMoneyString(e.duties) == "20010.00");
  CHECK(toMoneyString(r.duties) == "20010.00");
  CHECK(r.violations == 20);
  CHECK(r.violationsUnattributed == 0);
  CHECK(!e.flagged());
  CHECK(r.from == parseDate("2025-03-01"));
  CHECK(r.to == parseDate("2025-09-30"));

  // The random-selection baseline and the lift, from the documented sampling hash.
  size_t sampled = 0, sampleControlled = 0, sampleViolations = 0, yellow = 0;
  for (int i = 0; i < 200; ++i) {
    const bool s = Evaluator::sampled(0, "P-RANDOM", id(i), 0, 5000);
    sampled += s;
    if (s && controlledA(i)) ++sampleControlled;
    if (s && bad(i)) ++sampleViolations;
    if (s || bad(i)) ++yellow;
  }
  REQUIRE(sampleViolations > 0);
  const ProfileFigures& rnd = fig(r, "P-RANDOM");
  CHECK(rnd.random());
  CHECK(rnd.fired == sampled);
  CHECK(r.sampleControlled == sampleControlled);
  CHECK(r.sampleViolations == sampleViolations);
  REQUIRE(r.baselineHitRate);
  const double baseline = double(sampleViolations) / double(sampleControlled);
  CHECK(*r.baselineHitRate == Approx(baseline));
  REQUIRE(e.lift);
  CHECK(*e.lift == Approx(1.0 / baseline));
  CHECK(*rnd.lift == Approx(1.0));
  CHECK(*rnd.detectionShare == Approx(double(sampleViolations) / 20.0));

  // Corridor shares add up; auto-release is green + blue.
  CHECK(r.corridors[2] == yellow);
  CHECK(r.corridors[0] == 200 - yellow);
  CHECK(r.corridors[0] + r.corridors[1] + r.corridors[2] + r.corridors[3] == r.evaluated);
  CHECK(r.share(r.corridors[0]) + r.share(r.corridors[1]) + r.share(r.corridors[2]) + r.share(r.corridors[3]) ==
        Approx(1.0));
  CHECK(r.autoReleased() == r.corridors[0] + r.corridors[1]);
  CHECK(r.controlled == 20 + 50);  // the bad ones, and i % 4 == 1 (odd, so never bad)
}

TEST_CASE("backtest: error lines are counted and listed with their line numbers, and left out of every figure",
          "[analysis]") {
  auto p = compileProgram(kExact);
  BacktestReport r = backtest(*p, historyA(true));
  CHECK(r.lines == 203);
  CHECK(r.evaluated == 200);
  CHECK(r.errors == 3);
  REQUIRE(r.errorList.size() == 3);
  CHECK(r.errorList[0].line == 52);
  CHECK(r.errorList[0].message.find("not JSON") != std::string::npos);
  CHECK(r.errorList[1].line == 53);
  CHECK(r.errorList[1].id == "NO-OUTCOME");
  CHECK(r.errorList[1].message.find("outcome") != std::string::npos);
  CHECK(r.errorList[2].line == 54);
  CHECK(r.errorList[2].message == "outcome.violation is true but outcome.controlled is false");
  CHECK(*fig(r, "P-EXACT").hitRate == 1.0);
  CHECK(r.corridors[0] + r.corridors[1] + r.corridors[2] + r.corridors[3] == 200);
}

TEST_CASE("backtest: malformed outcomes are error lines with a clear message", "[analysis]") {
  auto p = compileProgram(kExact);
  auto one = [&](const std::string& outcomeJson) {
    std::string line = baseDeclaration("X").dump();
    line.pop_back();
    line += ",\"outcome\":" + outcomeJson + "}";
    BacktestReport r = backtest(*p, line + "\n");
    REQUIRE(r.lines == 1);
    return r.errorList.empty() ? std::string() : r.errorList[0].message;
  };
  CHECK(one(R"({"controlled": true})").empty());
  CHECK(one(R"({"controlled": true, "violation": null, "measure": null, "additional_duties": null})").empty());
  CHECK(one(R"({"violation": false})") == "outcome.controlled is missing");
  CHECK(one(R"({"controlled": "yes"})") == "outcome.controlled: expected true or false");
  CHECK(one(R"([1])") == "outcome: expected an object");
  CHECK(one(R"({"controlled": true, "violation": true, "measure": 7})") ==
        "outcome.measure: expected a measure name (a string)");
  CHECK(one(R"({"controlled": true, "violation": true, "additional_duties": "12,5"})")
            .find("outcome.additional_duties: not a number") == 0);
  CHECK(one(R"({"controlled": true, "violation": true, "additional_duties": -5})") ==
        "outcome.additional_duties: must not be negative");
  CHECK(one(R"({"controlled": true, "violation": false, "additional_duties": "10"})") ==
        "outcome.additional_duties is given without a violation");
  CHECK(one(R"({"controlled": true, "violation": true, "additional_duties": true})") ==
        "outcome.additional_duties: expected an amount (a number or a string)");
}

// ---- History B: the three flags, and what is not flagged -----------------------------------
const char* const kFlags = R"(
profile "P-STRONG" {
  level high
  when  declaration.consignee.name == "Bad LLP"
  measures documentary_check
}
profile "P-WEAK" {
  level low
  when  declaration.consignee.name == "Bad LLP"
  measures customs_examination
}
profile "P-BLUE" {
  level high
  when  declaration.consignee.name == "Bad LLP"
  measures post_release_audit
}
profile "P-NEVER" {
  level medium
  when  declaration.consignee.name == "Nobody LLP"
  measures documentary_check
}
profile "P-SUSPENDED" {
  level medium
  status suspended
  when  true
  measures documentary_check
}
profile "P-OLD" {
  level medium
  valid 2020-01-01 .. 2020-12-31
  when  true
  measures documentary_check
}
profile "P-LOW" {
  level medium
  when  declaration.consignee.name == "Low LLP"
  measures customs_examination
}
profile "P-FEW" {
  level medium
  when  declaration.consignee.name == "Few LLP"
  measures documentary_check
}
profile "P-RANDOM-LOW" {
  level low
  sample 99%
  when  declaration.consignee.name == "Low LLP"
  measures documentary_check
}
profile "P-ITEM-ANY" {
  level low
  scope item i
  when  declaration.consignee.name == "Items LLP" and i.hs_code in { "61" }
  measures documentary_check
}
profile "P-ITEM-TWO" {
  level low
  scope item i
  when  declaration.consignee.name == "Items LLP" and i.no == 2
  measures documentary_check
}
profile "P-ITEM-HIGH" {
  level high
  scope item i
  when  declaration.consignee.name == "Items LLP" and i.no == 2
  measures customs_examination
}
profile "P-DECL-LOW" {
  level low
  when  declaration.consignee.name == "Items LLP"
  measures documentary_check
}
)";

std::string historyB() {
  std::string h;
  for (int i = 0; i < 120; ++i) {
    Json d = baseDeclaration(id(i));
    if (i < 10) {  // 10 bad: all three of P-STRONG, P-WEAK, P-BLUE fire
      d.set("consignee.name", "Bad LLP");
      h += historyLine(d, true, true) + "\n";
    } else if (i < 35) {  // 25 controlled, 1 violation: P-LOW hit rate 4%
      d.set("consignee.name", "Low LLP");
      h += historyLine(d, true, i == 10, i == 10 ? "customs_examination" : "") + "\n";
    } else if (i < 45) {  // 10 controlled, no violation: too few controls to judge
      d.set("consignee.name", "Few LLP");
      h += historyLine(d, true, false) + "\n";
    } else if (i < 50) {  // two items: P-ITEM-ANY on both, P-ITEM-TWO and P-ITEM-HIGH on item 2
      d.set("consignee.name", "Items LLP");
      d.set("items[1]", baseItem(2));
      h += historyLine(d, false, false) + "\n";
    } else {
      h += historyLine(d, i % 3 == 0, false) + "\n";
    }
  }
  return h;
}

TEST_CASE("backtest flags: never fired, low hit rate with enough controls, dominated by a stronger profile",
          "[analysis]") {
  auto p = compileProgram(kFlags);
  BacktestReport r = backtest(*p, historyB());
  REQUIRE(r.errors == 0);
  REQUIRE(r.evaluated == 120);

  SECTION("never fired") {
    const ProfileFigures& n = fig(r, "P-NEVER");
    CHECK(n.fired == 0);
    CHECK(n.eligible == 120);
    CHECK(n.neverFired);
    CHECK(!n.lowHitRate);
    CHECK(!n.allDominated);
    // A suspended profile and one not valid in the history's period cannot fire: not flagged.
    const ProfileFigures& s = fig(r, "P-SUSPENDED");
    CHECK(!s.enabled);
    CHECK(s.note == "suspended");
    CHECK(!s.flagged());
    const ProfileFigures& o = fig(r, "P-OLD");
    CHECK(o.eligible == 0);
    CHECK(o.note == "not valid in the period");
    CHECK(!o.flagged());
  }
  SECTION("low hit rate, only with enough controlled hits and only for targeted profiles") {
    const ProfileFigures& l = fig(r, "P-LOW");
    CHECK(l.controlled == 25);
    CHECK(l.violations == 1);
    CHECK(*l.hitRate == Approx(0.04));
    CHECK(l.lowHitRate);
    const ProfileFigures& f = fig(r, "P-FEW");
    CHECK(f.controlled == 10);
    CHECK(*f.hitRate == 0.0);
    CHECK(!f.lowHitRate);
    // Random selection is the baseline, not a targeted profile: not judged by its hit rate. Its
    // hits were not credited with the violation found by customs_examination.
    const ProfileFigures& rl = fig(r, "P-RANDOM-LOW");
    CHECK(rl.random());
    CHECK(rl.controlled >= 20);
    CHECK(rl.violations == 0);
    CHECK(!rl.lowHitRate);
    // The thresholds are options.
    BacktestOptions strict;
    strict.minControls = 26;
    CHECK(!fig(backtest(*p, historyB(), strict), "P-LOW").lowHitRate);
    strict.minControls = 25;
    strict.minHitRate = 0.04;
    CHECK(!fig(backtest(*p, historyB(), strict), "P-LOW").lowHitRate);
    strict.minHitRate = 0.0401;
    CHECK(fig(backtest(*p, historyB(), strict), "P-LOW").lowHitRate);
  }
  SECTION("dominated: a higher level, or the same level and a more severe corridor") {
    const ProfileFigures& w = fig(r, "P-WEAK");  // low, red: P-STRONG and P-BLUE are of a higher level
    CHECK(w.fired == 10);
    CHECK(w.dominated == 10);
    CHECK(w.allDominated);
    REQUIRE(w.dominatedBy.size() == 2);
    CHECK(w.dominatedBy[0] == std::pair<std::string, size_t>{"P-BLUE", 10});
    CHECK(w.dominatedBy[1] == std::pair<std::string, size_t>{"P-STRONG", 10});
    const ProfileFigures& b = fig(r, "P-BLUE");  // high, blue: P-STRONG is high and yellow
    CHECK(b.allDominated);
    REQUIRE(b.dominatedBy.size() == 1);
    CHECK(b.dominatedBy[0].first == "P-STRONG");
    CHECK(!fig(r, "P-STRONG").allDominated);  // nothing is stronger
    CHECK(*fig(r, "P-STRONG").hitRate == 1.0);
  }
  SECTION("dominated, item scope: the same item") {
    const ProfileFigures& any = fig(r, "P-ITEM-ANY");  // item 1 is hit by nothing stronger
    CHECK(any.fired == 5);
    CHECK(any.itemHits == 10);
    CHECK(any.dominated == 0);
    CHECK(!any.allDominated);
    const ProfileFigures& two = fig(r, "P-ITEM-TWO");  // item 2 only, and P-ITEM-HIGH hits item 2
    CHECK(two.itemHits == 5);
    CHECK(two.allDominated);
    // A declaration-scope profile is dominated by a stronger hit anywhere in the declaration.
    CHECK(fig(r, "P-DECL-LOW").allDominated);
    CHECK(!fig(r, "P-ITEM-HIGH").allDominated);
  }
  SECTION("only these are flagged") {
    std::set<std::string> flagged;
    for (const ProfileFigures& f : r.profiles)
      if (f.flagged()) flagged.insert(f.id);
    // P-RANDOM-LOW (low) only ever selects declarations that P-LOW (medium) already sends to red.
    CHECK(flagged == std::set<std::string>{"P-BLUE", "P-DECL-LOW", "P-ITEM-TWO", "P-LOW", "P-NEVER", "P-RANDOM-LOW",
                                           "P-WEAK"});
    CHECK(r.flaggedCount() == 7);
  }
}

// ---- Credit by measure, and exact duties ---------------------------------------------------
const char* const kCredit = R"(
profile "P-Y" {
  level medium
  when  declaration.consignee.name == "Both LLP"
  measures documentary_check
}
profile "P-R" {
  level medium
  when  declaration.consignee.name == "Both LLP"
  measures customs_examination
}
)";

TEST_CASE("backtest: a violation is credited to the profiles that demanded the measure that found it",
          "[analysis]") {
  auto p = compileProgram(kCredit);
  auto both = [](int i) {
    Json d = baseDeclaration(id(i));
    d.set("consignee.name", "Both LLP");
    return d;
  };
  std::string h;
  h += historyLine(both(1), true, true, "customs_examination", Json::number("12500.5")) + "\n";  // P-R only
  h += historyLine(both(2), true, true, "documentary_check", Json("0.10")) + "\n";               // P-Y only
  h += historyLine(both(3), true, true, "x_ray_scan", Json::number("1e2")) + "\n";               // unknown: both
  h += historyLine(both(4), true, true, "", Json::number("0.01")) + "\n";                        // not given: both
  h += historyLine(both(5), true, false) + "\n";
  h += historyLine(baseDeclaration(id(6)), true, true, "post_release_audit", Json("7")) + "\n";  // nobody
  BacktestReport r = backtest(*p, h);
  REQUIRE(r.errors == 0);
  const ProfileFigures& y = fig(r, "P-Y");
  const ProfileFigures& red = fig(r, "P-R");
  CHECK(y.controlled == 5);
  CHECK(y.violations == 3);
  CHECK(red.violations == 3);
  CHECK(toMoneyString(red.duties) == "12600.51");
  CHECK(toMoneyString(y.duties) == "100.11");
  CHECK(toMoneyString(r.duties) == "12607.61");
  CHECK(r.violations == 5);
  CHECK(r.violationsUnattributed == 1);
  CHECK(*y.detectionShare == Approx(0.6));
  CHECK(*red.hitRate == Approx(0.6));
  CHECK(r.corridors[3] == 5);
  CHECK(r.corridors[0] == 1);
}

TEST_CASE("backtest: dominance on a declaration with many goods items", "[analysis]") {
  auto p = compileProgram(R"(
profile "P-ALL-LOW" { level low  scope item i  when i.no > 0  measures documentary_check }
profile "P-ALL-HIGH" { level high  scope item i  when i.no > 1  measures customs_examination }
profile "P-DECL" { level medium  when len(declaration.items) > 1  measures documentary_check }
)");
  Json d = baseDeclaration("BIG");
  for (int i = 2; i <= 20000; ++i) d.set("items[" + std::to_string(i - 1) + "]", baseItem(i));
  Json one = baseDeclaration("ONE");
  one.set("items[0]", baseItem(2));
  BacktestReport r = backtest(*p, historyLine(d, true, false) + "\n" + historyLine(one, true, false) + "\n");
  REQUIRE(r.evaluated == 2);
  // BIG: item 1 is hit by P-ALL-LOW only among item profiles, but P-DECL (medium) covers the
  // whole declaration. ONE: item 2, P-ALL-HIGH is stronger on it.
  CHECK(fig(r, "P-ALL-LOW").itemHits == 20001);
  CHECK(fig(r, "P-ALL-LOW").dominated == 2);
  CHECK(fig(r, "P-ALL-LOW").dominatedBy ==
        std::vector<std::pair<std::string, size_t>>{{"P-ALL-HIGH", 2}, {"P-DECL", 1}});
  CHECK(fig(r, "P-DECL").dominated == 1);  // high, item 2 of BIG: anywhere in the declaration
  CHECK(fig(r, "P-ALL-HIGH").dominated == 0);
}

TEST_CASE("backtest: the result is the same for any number of threads", "[analysis]") {
  auto p = compileProgram(kExact);
  BacktestOptions one, four;
  one.threads = 1;
  four.threads = 4;
  std::string h = historyA(true);
  for (int k = 0; k < 3; ++k) h += h;  // 1624 lines: enough to split between threads
  CHECK(analysis::backtestJson(backtest(*p, h, one)) == analysis::backtestJson(backtest(*p, h, four)));
}

// ---- The risk level the law defines: frequency × damage, against the declared level ---------
TEST_CASE("Wilson score interval at 95% against values computed independently", "[analysis]") {
  // Expected: the closed form (2k + z² ± z·√(z² + 4k(n−k)/n)) ÷ 2(n + z²), z = 1.96, computed
  // apart from the code (and 5/10, 50/100 as published: 0.2366–0.7634, 0.4038–0.5962).
  auto check = [](size_t k, size_t n, double low, double high) {
    CAPTURE(k, n);
    const analysis::Interval i = analysis::wilsonInterval(k, n);
    CHECK(i.low == Approx(low).margin(1e-6));
    CHECK(i.high == Approx(high).margin(1e-6));
  };
  check(0, 10, 0.0, 0.277540);
  check(5, 10, 0.236590, 0.763410);
  check(50, 100, 0.403830, 0.596170);
  check(10, 20, 0.299295, 0.700705);
  check(1, 20, 0.008881, 0.236136);
  check(10, 10, 0.722460, 1.0);
  // The bounds at 0 of n and n of n are exact, not a rounding error away.
  CHECK(analysis::wilsonInterval(0, 10).low == 0.0);
  CHECK(analysis::wilsonInterval(10, 10).high == 1.0);
  CHECK(analysis::wilsonInterval(1, 1000000).low > 0.0);
}

const char* const kLevels = R"(
profile "P-UNDER" {
  level low
  when  declaration.consignee.name == "Costly LLP"
  measures documentary_check
}
profile "P-UNDER-FEW" {
  level low
  when  declaration.consignee.name == "Costly Few LLP"
  measures documentary_check
}
profile "P-OVER" {
  level high
  when  declaration.consignee.name == "Cheap LLP"
  measures documentary_check
}
profile "P-CLOSE" {
  level medium
  when  declaration.consignee.name == "Close LLP"
  measures documentary_check
}
profile "P-CLEAN" {
  level low
  when  declaration.consignee.name == "Clean LLP"
  measures documentary_check
}
profile "P-RANDOM" {
  level low
  sample 99%
  when  declaration.consignee.name == "Costly LLP"
  measures documentary_check
}
)";

// Costly LLP and Close LLP: 20 controlled, 10 of them a violation with 10 000 000 of duties
// (damage 5 000 000 per controlled hit: high). Costly Few LLP: 5 controlled, 3 violations.
// Cheap LLP: 20 controlled, one violation with 100 (damage 5: low). Clean LLP: 20 controlled, none.
std::string historyLevels() {
  std::string h;
  int i = 0;
  // `count` controlled declarations of the consignee, the first `violations` of them violating.
  auto add = [&](const char* consignee, int count, int violations, const char* duties) {
    for (int k = 0; k < count; ++k) {
      Json d = baseDeclaration(id(i++));
      d.set("consignee.name", consignee);
      h += historyLine(d, true, k < violations, "", k < violations ? Json(duties) : Json());
      h += "\n";
    }
  };
  add("Costly LLP", 20, 10, "10000000.00");
  add("Costly Few LLP", 5, 3, "10000000.00");
  add("Close LLP", 20, 10, "10000000.00");
  add("Cheap LLP", 20, 1, "100");
  add("Clean LLP", 20, 0, "");
  for (int k = 0; k < 15; ++k) {
    h += historyLine(baseDeclaration(id(i++)), false, false);
    h += "\n";
  }
  return h;
}

TEST_CASE("backtest: the measured risk level against the declared one, given enough controls",
          "[analysis]") {
  auto p = compileProgram(kLevels);
  BacktestReport r = backtest(*p, historyLevels());
  REQUIRE(r.errors == 0);
  REQUIRE(r.evaluated == 100);

  SECTION("declared low, its controls find costly violations: measured high, flagged") {
    const ProfileFigures& u = fig(r, "P-UNDER");
    REQUIRE(u.controlled == 20);
    REQUIRE(u.violations == 10);
    REQUIRE(u.risk);
    CHECK(toMoneyString(u.risk->damage) == "5000000.00");  // 50% × 10 000 000 per violation
    CHECK(u.risk->level == 2);
    CHECK(u.risk->hitRate.low == Approx(0.299295).margin(1e-6));
    CHECK(u.risk->hitRate.high == Approx(0.700705).margin(1e-6));
    REQUIRE(u.risk->damageLow);
    CHECK(toMoneyString(*u.risk->damageLow) == "2992950.00");  // 0.299295 × 10 000 000
    CHECK(toMoneyString(*u.risk->damageHigh) == "7007050.00");
    CHECK(u.risk->levelLow == 2);  // the whole interval is high
    CHECK(u.risk->levelHigh == 2);
    CHECK(u.levelMismatch);
    CHECK(!u.flagged());  // it is not ineffective: it is under-rated
  }
  SECTION("declared high, its violations are cheap: measured low, flagged") {
    const ProfileFigures& o = fig(r, "P-OVER");
    REQUIRE(o.risk);
    CHECK(toMoneyString(o.risk->damage) == "5.00");
    CHECK(o.risk->level == 0);
    CHECK(toMoneyString(*o.risk->damageLow) == "0.89");  // 0.008881 × 100
    CHECK(toMoneyString(*o.risk->damageHigh) == "23.61");
    CHECK(o.levelMismatch);
  }
  SECTION("not flagged: too few controls, one step apart, agreeing, random selection") {
    const ProfileFigures& few = fig(r, "P-UNDER-FEW");
    CHECK(few.controlled == 5);
    CHECK(few.risk->level == 2);
    CHECK(toMoneyString(few.risk->damage) == "6000000.00");
    CHECK(!few.levelMismatch);
    CHECK(fig(r, "P-CLOSE").risk->level == 2);  // medium against high: one step
    CHECK(!fig(r, "P-CLOSE").levelMismatch);
    const ProfileFigures& clean = fig(r, "P-CLEAN");  // no violation: no damage, its size unknown
    REQUIRE(clean.risk);
    CHECK(toMoneyString(clean.risk->damage) == "0.00");
    CHECK(clean.risk->level == 0);
    CHECK(!clean.risk->damageLow);
    CHECK(!clean.risk->levelHigh);
    CHECK(!clean.levelMismatch);
    const ProfileFigures& rnd = fig(r, "P-RANDOM");
    CHECK(rnd.random());
    CHECK(rnd.controlled >= 10);
    CHECK(rnd.risk->level == 2);
    CHECK(!rnd.levelMismatch);
    std::set<std::string> flagged;
    for (const ProfileFigures& f : r.profiles)
      if (f.levelMismatch) flagged.insert(f.id);
    CHECK(flagged == std::set<std::string>{"P-OVER", "P-UNDER"});
    CHECK(r.levelMismatchCount() == 2);
  }
  SECTION("a profile without controlled hits has no measured level") {
    auto q = compileProgram(kLevels);
    BacktestReport none = backtest(*q, historyLine(baseDeclaration("X"), false, false) + "\n");
    CHECK(!fig(none, "P-UNDER").risk);
    CHECK(!fig(none, "P-UNDER").levelMismatch);
  }
  SECTION("the thresholds and the minimum of controls are options") {
    BacktestOptions opt;
    opt.minControls = 5;
    CHECK(fig(backtest(*p, historyLevels(), opt), "P-UNDER-FEW").levelMismatch);
    opt = {};
    opt.lowLevelMax = Decimal::fromInt(5);  // a damage equal to LOW_MAX is still low
    opt.mediumLevelMax = Decimal::fromInt(5'000'000);
    BacktestReport t = backtest(*p, historyLevels(), opt);
    CHECK(fig(t, "P-OVER").risk->level == 0);
    CHECK(fig(t, "P-UNDER").risk->level == 1);
    CHECK(!fig(t, "P-UNDER").levelMismatch);
    CHECK(fig(t, "P-OVER").levelMismatch);
    CHECK(analysis::riskLevel(Decimal::fromInt(5), opt) == 0);
    CHECK(analysis::riskLevel(Decimal{Decimal::fromInt(5).units + 1}, opt) == 1);
    CHECK(analysis::riskLevel(Decimal{Decimal::fromInt(5'000'000).units + 1}, opt) == 2);
  }
}

TEST_CASE("backtest reports show the measured risk level, its interval and the disagreements",
          "[analysis]") {
  auto p = compileProgram(kLevels);
  BacktestReport r = backtest(*p, historyLevels());

  SECTION("JSON: structured fields") {
    const std::string json = analysis::backtestJson(r);
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);
    CHECK(std::string_view(doc["options"]["level_thresholds"]["low_max"]) == "500000.00");
    CHECK(std::string_view(doc["options"]["level_thresholds"]["medium_max"]) == "2500000.00");
    CHECK(int64_t(doc["level_mismatches"]) == 2);
    CHECK(int64_t(doc["flagged"]) == 1);  // P-CLEAN's 0%: disagreements are not ineffectiveness
    std::map<std::string, simdjson::dom::element> risk;
    for (simdjson::dom::element f : simdjson::dom::array(doc["profiles"]))
      risk[std::string(std::string_view(f["id"]))] = f["risk"];
    simdjson::dom::element u = risk.at("P-UNDER");
    CHECK(double(u["hit_rate_low"]) == Approx(0.299295).margin(1e-6));
    CHECK(double(u["hit_rate_high"]) == Approx(0.700705).margin(1e-6));
    CHECK(std::string_view(u["expected_damage"]) == "5000000.00");
    CHECK(std::string_view(u["expected_damage_low"]) == "2992950.00");
    CHECK(std::string_view(u["expected_damage_high"]) == "7007050.00");
    CHECK(std::string_view(u["level"]) == "high");
    CHECK(std::string_view(u["level_low"]) == "high");
    CHECK(std::string_view(u["level_high"]) == "high");
    CHECK(bool(u["level_mismatch"]));
    simdjson::dom::element c = risk.at("P-CLEAN");
    CHECK(std::string_view(c["level"]) == "low");
    CHECK(c["expected_damage_low"].is_null());
    CHECK(c["level_high"].is_null());
    CHECK(!bool(c["level_mismatch"]));
    BacktestReport none = backtest(*p, historyLine(baseDeclaration("X"), false, false) + "\n");
    REQUIRE(parser.parse(analysis::backtestJson(none)).get(doc) == simdjson::SUCCESS);
    simdjson::dom::element n = doc["profiles"].at(0)["risk"];
    CHECK(n["hit_rate_low"].is_null());
    CHECK(n["expected_damage"].is_null());
    CHECK(n["level"].is_null());
    CHECK(!bool(n["level_mismatch"]));
    // The same bytes every time.
    CHECK(analysis::backtestJson(backtest(*p, historyLevels())) == json);
  }
  SECTION("text: the columns, the L flag and the disagreements explained") {
    const std::string text = analysis::backtestText(r);
    CHECK(text.find("95% interval") != std::string::npos);
    std::string under;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
      if (line.rfind("P-UNDER ", 0) == 0) under = line;
    CAPTURE(under);
    CHECK(under.find("29.9–70.1%") != std::string::npos);
    CHECK(under.find("5000000.00  high      L") != std::string::npos);
    CHECK(text.find("Risk level disagreements: 2 of 6") != std::string::npos);
    CHECK(text.find("  P-OVER  \n      declared high, measured low: 5.00 expected additional "
                    "duties per controlled "
                    "hit\n      (1 of 20 controlled hits, hit rate 5.0%, 95% interval 0.9–23.6%: "
                    "0.89 .. 23.61, low)") != std::string::npos);
    CHECK(text.find("declared low, measured high: 5000000.00") != std::string::npos);
    CHECK(text.find("low up to 500000.00, medium up to 2500000.00, high above") !=
          std::string::npos);
  }
  SECTION("HTML: the interval as a whisker on the hit-rate chart, the disagreements listed") {
    const std::string html = analysis::backtestHtml(r);
    // One whisker per profile with controlled hits (all six).
    size_t whiskers = 0;
    for (size_t at = html.find("class=\"whisker\""); at != std::string::npos;
         at = html.find("class=\"whisker\"", at + 1))
      ++whiskers;
    CHECK(whiskers == 6);
    // P-UNDER: 29.9295% .. 70.0705% of the 420-pixel bar that starts at x = 120.
    CHECK(html.find("<path class=\"whisker\" d=\"M245.7 ") != std::string::npos);
    CHECK(html.find(" H414.3 M414.3 ") != std::string::npos);
    CHECK(html.find("50.0% (10/20), 95% 29.9–70.1%") != std::string::npos);
    CHECK(html.find("<h2>Risk level disagreements</h2>") != std::string::npos);
    CHECK(html.find("<span class=\"flag\">level low, measured high</span>") != std::string::npos);
    CHECK(html.find("<span class=\"flag\">level high, measured low</span>") != std::string::npos);
    CHECK(html.find("declared low, measured high: 5000000.00 expected additional duties per "
                    "controlled hit") != std::string::npos);
    CHECK(html.find("<td class=\"n\">5000000.00</td><td>high</td>") != std::string::npos);
  }
}

// ---- Renderings ---------------------------------------------------------------------------
TEST_CASE("backtest JSON parses and holds the figures", "[analysis]") {
  auto p = compileProgram(kExact);
  BacktestReport r = backtest(*p, historyA(true));
  r.bundleName = "exact.bundle";
  r.historyName = "history.jsonl";
  const std::string json = analysis::backtestJson(r);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);
  CHECK(std::string_view(doc["report"]) == "backtest");
  CHECK(std::string_view(doc["bundle"]["name"]) == "exact.bundle");
  CHECK(int64_t(doc["declarations"]["lines"]) == 203);
  CHECK(int64_t(doc["declarations"]["evaluated"]) == 200);
  CHECK(int64_t(doc["declarations"]["errors"]) == 3);
  CHECK(std::string_view(doc["declarations"]["from"]) == "2025-03-01");
  int64_t sum = 0;
  double shares = 0;
  for (const char* c : {"green", "blue", "yellow", "red"}) {
    sum += int64_t(doc["corridors"][c]["count"]);
    shares += double(doc["corridors"][c]["share"]);
  }
  CHECK(sum == 200);
  CHECK(shares == Approx(1.0).epsilon(1e-5));
  CHECK(int64_t(doc["auto_release"]["count"]) == int64_t(r.autoReleased()));
  CHECK(std::string_view(doc["control"]["additional_duties"]) == "20010.00");
  simdjson::dom::array profiles = doc["profiles"];
  REQUIRE(profiles.size() == 2);
  simdjson::dom::element e = profiles.at(0);
  CHECK(std::string_view(e["id"]) == "P-EXACT");
  CHECK(int64_t(e["fired"]) == 20);
  CHECK(double(e["hit_rate"]) == 1.0);
  CHECK(double(e["detection_share"]) == 1.0);
  CHECK(double(e["lift"]) == Approx(*r.profiles[0].lift).epsilon(1e-5));
  CHECK(e["sample"].is_null());
  CHECK(double(profiles.at(1)["sample"]) == 0.5);
  CHECK(simdjson::dom::array(e["flags"]).size() == 0);
  simdjson::dom::array errors = doc["errors"];
  CHECK(errors.size() == 3);
  CHECK(int64_t(errors.at(0)["line"]) == 52);
  CHECK(errors.at(0)["id"].is_null());
  // The key order is fixed.
  CHECK(json.find("\"report\"") < json.find("\"bundle\""));
  CHECK(json.find("\"corridors\"") < json.find("\"profiles\""));

  // A flagged profile lists its flags by name; n/a is null.
  auto pf = compileProgram(kFlags);
  const std::string flags = analysis::backtestJson(backtest(*pf, historyB()));
  REQUIRE(parser.parse(flags).get(doc) == simdjson::SUCCESS);
  bool sawNever = false;
  for (simdjson::dom::element f : simdjson::dom::array(doc["profiles"])) {
    if (std::string_view(f["id"]) != "P-NEVER") continue;
    sawNever = true;
    CHECK(f["hit_rate"].is_null());
    CHECK(f["lift"].is_null());
    simdjson::dom::array fl = f["flags"];
    REQUIRE(fl.size() == 1);
    CHECK(std::string_view(fl.at(0)) == "never_fired");
  }
  CHECK(sawNever);
  CHECK(int64_t(doc["flagged"]) == 7);
}

TEST_CASE("backtest text report: a fixed-width table sorted by profile id, the flags explained", "[analysis]") {
  auto p = compileProgram(kFlags);
  BacktestReport r = backtest(*p, historyB());
  const std::string text = analysis::backtestText(r);
  CHECK(text.find("Declarations  120 lines: 120 evaluated, 0 error lines") != std::string::npos);
  CHECK(text.find("Auto-release") != std::string::npos);
  // Header and rows share their column positions.
  std::istringstream in(text);
  std::string line;
  size_t header = std::string::npos;
  std::vector<std::string> rows;
  while (std::getline(in, line)) {
    if (line.rfind("Profile ", 0) == 0) header = line.find("Hit rate");
    else if (header != std::string::npos && line.rfind("P-", 0) == 0) rows.push_back(line);
    else if (header != std::string::npos && line.empty() && !rows.empty()) break;
  }
  REQUIRE(header != std::string::npos);
  REQUIRE(rows.size() == r.profiles.size());
  for (size_t i = 1; i < rows.size(); ++i) CHECK(rows[i - 1] < rows[i]);
  for (const std::string& row : rows) {
    CAPTURE(row);
    // "Hit rate" is right-aligned: its column ends at the same position in every row.
    CHECK(row.size() > header + 8);
    CHECK(row[header + 7] != ' ');
  }
  CHECK(text.find("Ineffective profiles: 7 of 13") != std::string::npos);
  CHECK(text.find("hit rate 4.0% (1 of 25 controlled hits) is under 5.0%") != std::string::npos);
  CHECK(text.find("also hit by a stronger profile: P-BLUE (10), P-STRONG (10)") != std::string::npos);
  CHECK(text.find("never fired (120 declarations in its validity)") != std::string::npos);
}

TEST_CASE("backtest HTML report is self-contained and holds the figures", "[analysis]") {
  auto p = compileProgram(kExact);
  BacktestReport r = backtest(*p, historyA(true));
  r.bundleName = "a <b>&\"c\".bundle";
  const std::string html = analysis::backtestHtml(r);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("a &lt;b&gt;&amp;&quot;c&quot;.bundle") != std::string::npos);
  CHECK(html.find("<b>&") == std::string::npos);
  // Two inline SVG charts: corridor shares and hit rate per profile.
  CHECK(html.find("aria-label=\"Corridor shares\"") != std::string::npos);
  CHECK(html.find("aria-label=\"Hit rate per profile\"") != std::string::npos);
  // The figures.
  const std::string autoShare = analysis::fmt::percent(r.share(r.autoReleased()));
  CHECK(html.find(autoShare) != std::string::npos);
  CHECK(html.find("auto-release (green + blue) " + autoShare) != std::string::npos);
  CHECK(html.find("<td class=\"id\">P-EXACT</td>") != std::string::npos);
  CHECK(html.find("100.0% (20/20)") != std::string::npos);
  CHECK(html.find("20010.00") != std::string::npos);
  CHECK(html.find(analysis::fmt::percent(r.share(r.corridors[2])) + " (" + std::to_string(r.corridors[2]) + ")") !=
        std::string::npos);
  CHECK(html.find("outcome.violation is true but outcome.controlled is false") != std::string::npos);
  CHECK(html.find("</html>") != std::string::npos);
}

}  // namespace
}  // namespace daliz::testing

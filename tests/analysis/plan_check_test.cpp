// Observed corridor shares against the selection plans (analysis/plan_check.h, docs/backtest.md
// "Selection plans"), in `daliz backtest` and `daliz diff`, on histories whose shares are known
// by construction: 1,000 declarations of office 55301 of which exactly 30 are red (3.0%, inside
// 1%..3%) or 40 (4.0%, above), and 100 of office 55302, which has a plan of its own.
#include <simdjson.h>
#include <catch2/catch.hpp>

#include <cstdio>
#include <sstream>

#include "analysis/backtest.h"
#include "analysis/diff.h"
#include "vm/exec/plan_check.h"
#include "analysis/report.h"
#include "tests/support/engine_fixture.h"

namespace daliz::testing {
namespace {


constexpr uint8_t kGreen = 0, kBlue = 1, kYellow = 2, kRed = 3;

const char* const kProfiles = R"(
profile "P-RED" {
  level high
  when  declaration.consignee.name == "Red LLP"
  measures customs_inspection
}
profile "P-YELLOW" {
  level medium
  when  declaration.consignee.name == "Yellow LLP"
  measures documentary_check
}
)";
// The new bundle of the diff: one more red profile, for 10 more red declarations.
const char* const kMoreRed = R"(
profile "P-RED-TOO" {
  level high
  when  declaration.consignee.name == "Also Red LLP"
  measures customs_inspection
}
)";

CorridorPlanSpec range(uint32_t low, uint32_t high) {
  CorridorPlanSpec c;
  c.given = true;
  c.lowBasisPoints = low;
  c.highBasisPoints = high;
  return c;
}

// plan "2026" { red 1% .. 3%  yellow 15% .. 25%  green 60% .. 80% } (blue not planned) and
// plan "2026-55302" office "55302" { red 5% .. 10% }; no random rates, so the profiles alone
// decide the corridors. Built by hand until the language has the syntax.
std::vector<PlanSpec> plans() {
  PlanSpec general;
  general.id = "2026";
  general.corridors[kRed] = range(100, 300);
  general.corridors[kYellow] = range(1500, 2500);
  general.corridors[kGreen] = range(6000, 8000);
  PlanSpec office;
  office.id = "2026-55302";
  office.office = "55302";
  office.corridors[kRed] = range(500, 1000);
  return {general, office};
}

std::shared_ptr<const LoadedProgram> withPlans(const std::string& source) {
  Program program = compileProgram(source)->program;
  program.plans = plans();
  std::string error;
  std::shared_ptr<const LoadedProgram> lp = prepareProgram(std::move(program), "", error);
  REQUIRE(lp);
  return lp;
}

std::string id(const char* prefix, int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s-%04d", prefix, i);
  return buf;
}

// 1,000 declarations of office 55301: `red` red ones, then 10 that only the new bundle sends to
// red, 200 yellow, the rest green; then 100 of office 55302, 4 of them red.
std::string history(int red) {
  std::string h;
  auto line = [&](Json d) {
    d.set("outcome", Json::object({{"controlled", false}, {"violation", false}}));
    h += d.dump();
    h += '\n';
  };
  for (int i = 0; i < 1000; ++i) {
    Json d = baseDeclaration(id("A", i));
    if (i < red)
      d.set("consignee.name", "Red LLP");
    else if (i < red + 10)
      d.set("consignee.name", "Also Red LLP");
    else if (i < red + 10 + 200)
      d.set("consignee.name", "Yellow LLP");
    line(d);
  }
  for (int i = 0; i < 100; ++i) {
    Json d = baseDeclaration(id("B", i)).set("customs_office", "55302");
    if (i < 4) d.set("consignee.name", "Red LLP");
    line(d);
  }
  return h;
}

analysis::BacktestReport backtest(const LoadedProgram& p, const std::string& h,
                                  unsigned threads = 1) {
  std::istringstream in(h);
  analysis::BacktestOptions opt;
  opt.threads = threads;
  return analysis::runBacktestReport(p, in, opt);
}

TEST_CASE("plan check: a share is judged against its range in integers", "[analysis][plan]") {
  Program p;
  p.plans = plans();
  // 30 of 1,000 red is exactly the 3% bound: inside. 31 is above, 9 below 1%.
  PlanComparison c = comparePlans(p, {{770, 0, 200, 30}, {0, 0, 0, 0}}, 7);
  REQUIRE(c.plans.size() == 2);
  const PlanCheck& g = c.plans[0];
  CHECK(g.plan == "2026");
  CHECK(g.office.empty());
  CHECK(g.declarations == 1000);
  CHECK(g.corridors[kRed].verdict == PlanVerdict::Inside);
  CHECK(g.corridors[kRed].share == Approx(0.03));
  CHECK(g.corridors[kYellow].verdict == PlanVerdict::Inside);
  CHECK(g.corridors[kGreen].verdict == PlanVerdict::Inside);
  CHECK(g.corridors[kBlue].verdict == PlanVerdict::NotPlanned);
  CHECK(g.outside() == 0);
  CHECK(c.plans[1].declarations == 0);
  CHECK(c.plans[1].corridors[kRed].verdict == PlanVerdict::NoData);
  CHECK(c.ungoverned == 7);

  c = comparePlans(p, {{769, 0, 200, 31}});
  CHECK(c.plans[0].corridors[kRed].verdict == PlanVerdict::Above);
  c = comparePlans(p, {{801, 0, 190, 9}});
  CHECK(c.plans[0].corridors[kRed].verdict == PlanVerdict::Below);      // 0.9% < 1%
  CHECK(c.plans[0].corridors[kGreen].verdict == PlanVerdict::Above);    // 80.1% > 80%
  CHECK(c.plans[0].corridors[kYellow].verdict == PlanVerdict::Inside);  // 19%
  CHECK(c.outside() == 2);
}

TEST_CASE("plan tally: a declaration counts toward its office's plan, else the general one",
          "[analysis][plan]") {
  Program p;
  p.plans = plans();
  PlanTally t(p);
  CHECK(t.planIndex(std::string("55302")) == 1);
  CHECK(t.planIndex(std::string("55301")) == 0);
  CHECK(t.planIndex(std::nullopt) == 0);
  t.add(std::string("55302"), kRed);
  t.add(std::string("55301"), kGreen);
  t.add(std::nullopt, kGreen);
  PlanComparison c = t.compare();
  CHECK(c.plans[0].declarations == 2);
  CHECK(c.plans[1].declarations == 1);
  CHECK(c.plans[1].corridors[kRed].count == 1);

  Program officeOnly;
  officeOnly.plans = {plans()[1]};
  PlanTally u(officeOnly);
  CHECK(u.planIndex(std::string("55301")) == -1);
  u.add(std::string("55301"), kGreen);
  CHECK(u.compare().ungoverned == 1);
}

TEST_CASE("backtest compares the observed corridor shares with the plans, overall and per office",
          "[analysis][plan]") {
  auto p = withPlans(kProfiles);
  analysis::BacktestReport r = backtest(*p, history(30));
  REQUIRE(r.errors == 0);
  REQUIRE(r.evaluated == 1100);
  REQUIRE(r.plans.plans.size() == 2);
  const PlanCheck& g = r.plans.plans[0];
  CHECK(g.declarations == 1000);
  CHECK(g.corridors[kRed].count == 30);
  CHECK(g.corridors[kRed].verdict == PlanVerdict::Inside);
  CHECK(g.corridors[kYellow].count == 200);
  CHECK(g.corridors[kGreen].count == 770);
  CHECK(g.outside() == 0);
  const PlanCheck& o = r.plans.plans[1];
  CHECK(o.office == "55302");
  CHECK(o.declarations == 100);
  CHECK(o.corridors[kRed].count == 4);
  CHECK(o.corridors[kRed].verdict == PlanVerdict::Below);
  CHECK(r.plans.outside() == 1);

  const std::string text = analysis::backtestText(r);
  CHECK(text.find("Selection plans: 1 corridor share outside the planned range") !=
        std::string::npos);
  CHECK(text.find("3.0% (30)") != std::string::npos);
  CHECK(text.find("1%..3%") != std::string::npos);
  CHECK(text.find("below") != std::string::npos);

  // 40 red of 1,000: above 3%.
  analysis::BacktestReport above = backtest(*p, history(40));
  CHECK(above.plans.plans[0].corridors[kRed].count == 40);
  CHECK(above.plans.plans[0].corridors[kRed].verdict == PlanVerdict::Above);
  CHECK(analysis::backtestText(above).find("4.0% (40)") != std::string::npos);

  // JSON: the plans with their verdicts.
  const std::string json = analysis::backtestJson(r);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);
  simdjson::dom::array list;
  REQUIRE(doc["plans"].get(list) == simdjson::SUCCESS);
  CHECK(list.size() == 2);
  std::string_view verdict;
  REQUIRE(doc["plans"].at(1)["corridors"]["red"]["verdict"].get(verdict) == simdjson::SUCCESS);
  CHECK(verdict == "below");
  uint64_t count = 0;
  REQUIRE(doc["plans"].at(0)["corridors"]["red"]["count"].get(count) == simdjson::SUCCESS);
  CHECK(count == 30);
  CHECK(analysis::backtestHtml(r).find("<h2>Selection plans</h2>") != std::string::npos);
}

TEST_CASE("the plan part of a backtest is the same bytes whatever the thread count",
          "[analysis][plan]") {
  auto p = withPlans(kProfiles);
  const std::string h = history(40);
  analysis::BacktestReport one = backtest(*p, h, 1), four = backtest(*p, h, 4);
  CHECK(analysis::backtestText(one) == analysis::backtestText(four));
  CHECK(analysis::backtestJson(one) == analysis::backtestJson(four));
  CHECK(analysis::backtestHtml(one) == analysis::backtestHtml(four));
}

TEST_CASE("a bundle without plans gets no plan part in its reports", "[analysis][plan]") {
  auto p = compileProgram(kProfiles);
  analysis::BacktestReport r = backtest(*p, history(30));
  CHECK(r.plans.empty());
  CHECK(analysis::backtestText(r).find("Selection plans") == std::string::npos);
  CHECK(analysis::backtestJson(r).find("\"plans\"") == std::string::npos);
  CHECK(analysis::backtestHtml(r).find("Selection plans") == std::string::npos);
  std::istringstream in(history(30));
  analysis::DiffReport d = analysis::runDiffReport(*p, *p, in, {});
  CHECK(analysis::diffText(d).find("Selection plans") == std::string::npos);
  CHECK(analysis::diffJson(d).find("\"plans_") == std::string::npos);
  CHECK(analysis::diffHtml(d).find("Selection plans") == std::string::npos);
}

TEST_CASE("diff compares both bundles with their plans side by side, flags for the new one",
          "[analysis][plan]") {
  auto before = withPlans(kProfiles);
  auto after = withPlans(std::string(kProfiles) + kMoreRed);
  std::istringstream in(history(30));
  analysis::DiffReport d = analysis::runDiffReport(*before, *after, in, {});
  REQUIRE(d.compared == 1100);
  CHECK(d.plansOld.plans[0].corridors[kRed].count == 30);
  CHECK(d.plansOld.plans[0].corridors[kRed].verdict == PlanVerdict::Inside);
  CHECK(d.plansNew.plans[0].corridors[kRed].count == 40);
  CHECK(d.plansNew.plans[0].corridors[kRed].verdict == PlanVerdict::Above);
  CHECK(d.plansNew.outside() == 2);  // red above in the general plan, below in 55302's
  CHECK(d.plansOld.outside() == 1);

  const std::string text = analysis::diffText(d);
  CHECK(text.find("Selection plans: 2 corridor shares outside the planned range with the new "
                  "bundle (1 with the old)") != std::string::npos);
  CHECK(text.find("3.0% (30)") != std::string::npos);
  CHECK(text.find("4.0% (40)") != std::string::npos);
  CHECK(text.find("above") != std::string::npos);

  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  const std::string json = analysis::diffJson(d);
  REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);
  std::string_view verdict;
  REQUIRE(doc["plans_new"].at(0)["corridors"]["red"]["verdict"].get(verdict) == simdjson::SUCCESS);
  CHECK(verdict == "above");
  REQUIRE(doc["plans_old"].at(0)["corridors"]["red"]["verdict"].get(verdict) == simdjson::SUCCESS);
  CHECK(verdict == "inside");
  CHECK(analysis::diffHtml(d).find("<h2>Selection plans</h2>") != std::string::npos);

  // A new bundle with plans against an old one without: the old columns are empty.
  auto plain = compileProgram(kProfiles);
  std::istringstream again(history(30));
  analysis::DiffReport added = analysis::runDiffReport(*plain, *after, again, {});
  CHECK(added.plansOld.empty());
  CHECK(added.plansNew.outside() == 2);
  CHECK(analysis::diffText(added).find("2026 (new)") != std::string::npos);
}

}  // namespace
}  // namespace daliz::testing

namespace daliz::testing {
namespace {

TEST_CASE("a plan whose minimum shares add up to more than 100% cannot hold", "[analysis][plan]") {
  PlanSpec p = plans()[0];  // minimums 1 + 15 + 60 = 76%: feasible (blue not named)
  PlanFeasibility f = planFeasibility(p);
  CHECK(f.feasible());
  CHECK(f.lowSumBasisPoints == 7600);
  p.corridors[kGreen] = range(8500, 9000);  // 1 + 15 + 85 = 101%
  f = planFeasibility(p);
  CHECK(f.minimumsOver);
  CHECK(f.lowSumBasisPoints == 10100);
  // Maximums are judged only when all four corridors are named: 3 + 25 + 10 + 60 = 98%.
  p.corridors[kGreen] = range(5000, 6000);
  CHECK(planFeasibility(p).feasible());
  p.corridors[kBlue] = range(0, 1000);
  f = planFeasibility(p);
  CHECK(f.maximumsUnder);
  CHECK(f.highSumBasisPoints == 9800);
}

}  // namespace
}  // namespace daliz::testing

namespace daliz::testing {
namespace {

TEST_CASE("plans written in the language give the backtest the same comparison",
          "[analysis][plan]") {
  auto p = compileProgram(std::string(kProfiles) + R"(
plan "2026" {
  red    1% .. 3%
  yellow 15% .. 25%
  green  60% .. 80%
}
plan "2026-55302" office "55302" { red 5% .. 10% }
)");
  analysis::BacktestReport source = backtest(*p, history(40));
  analysis::BacktestReport built = backtest(*withPlans(kProfiles), history(40));
  CHECK(analysis::backtestJson(source) == analysis::backtestJson(built));
  CHECK(source.plans.plans[0].corridors[kRed].verdict == PlanVerdict::Above);
  CHECK(source.plans.plans[1].corridors[kRed].verdict == PlanVerdict::Below);
}

}  // namespace
}  // namespace daliz::testing

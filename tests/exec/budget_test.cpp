// The execution budget (vm/limits.def, WorkPerDeclaration): a declaration whose evaluation
// needs more work than the budget gets an error decision naming the profile, never a corridor,
// and the declarations after it are decided as usual. The budget is set per runner, per
// embedding session, per C ABI session, for `daliz run --budget` and for `serve --budget`.
#include <catch2/catch.hpp>

#include <chrono>

#include "daliz/daliz.h"
#include "tests/support/cli_run.h"
#include "tests/support/engine_fixture.h"
#include "vm/bundle/bundle_writer.h"
#include "vm/bundle/verifier.h"
#include "vm/exec/batch.h"
#include "vm/exec/categorize_batch.h"

namespace daliz::testing {
namespace {

// Items³ work: three nested quantifiers over the same list.
const char* kCubic = R"dlz(
profile "CUBIC-1" {
  level low
  when any(a in declaration.items: any(b in declaration.items: any(c in declaration.items:
         a.customs_value + b.customs_value + c.customs_value < 0)))
  measures post_release_audit
}
profile "CHEAP-1" {
  level high
  scope item i
  when i.origin == "AF"
  measures documentary_check
}
)dlz";

std::string declaration(const std::string& id, int items, const char* origin = "CN") {
  Json d = baseDeclaration(id);
  Json list = Json::array();
  for (int k = 1; k <= items; ++k) list.push(baseItem(k).set("origin", origin));
  d.set("items", list);
  return d.dump();
}

TEST_CASE("budget: past it, an error decision naming the profile, and the next declaration goes on",
          "[vm][budget]") {
  // Both back ends (the fixture's programs carry the JIT's code where the build has it).
  const auto backend = GENERATE(Evaluator::Backend::Interpreter, Evaluator::Backend::Default);
  auto program = compileProgram(kCubic);
  BatchRunner runner(*program, 2, backend);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> inputs = {declaration("B-1", 400), declaration("B-2", 3, "AF"),
                                     declaration("B-3", 400, "AF")};
  std::vector<std::string_view> views(inputs.begin(), inputs.end());
  std::vector<std::string> out;
  BatchCounts counts;
  runner.run(views, out, counts);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(out.size() == 3);
  INFO(out[0]);
  CHECK(out[0].find("\"status\":\"error\"") != std::string::npos);
  CHECK(out[0].find("budget exceeded in profile CUBIC-1") != std::string::npos);
  CHECK(out[0].find("corridor") == std::string::npos);  // fail closed: never released
  CHECK(out[1].find("\"corridor\":\"yellow\"") != std::string::npos);
  CHECK(out[2].find("budget exceeded in profile CUBIC-1") != std::string::npos);
  CHECK(counts.errors == 2);
  CHECK(counts.ok == 1);
  CHECK(seconds < 60);  // 400³ iterations would take minutes unbudgeted; a guard, not a speed test

  // A larger budget lets the same declaration through; a small one stops even small ones.
  BatchRunner generous(*program, 1, backend);
  generous.setBudget(uint64_t{1} << 40);
  bool ok = false;
  CHECK(generous.decideOne(declaration("B-4", 40), ok).find("\"status\":\"ok\"") !=
        std::string::npos);
  CHECK(ok);
  BatchRunner tight(*program, 1, backend);
  tight.setBudget(50);
  std::string line = tight.decideOne(declaration("B-5", 3, "AF"), ok);
  CHECK_FALSE(ok);
  CHECK(line.find("budget exceeded in profile") != std::string::npos);
  CHECK(tight.lastDecision().overBudget);
  // The budget is per declaration: the next one starts afresh.
  tight.setBudget(100000);
  CHECK(tight.decideOne(declaration("B-6", 3, "AF"), ok).find("\"corridor\":\"yellow\"") !=
        std::string::npos);
}

TEST_CASE("budget: a categorisation rule past it gives an error line, not the next rule",
          "[vm][budget][categorize]") {
  auto program = compileProgram(R"dlz(
categorize "C-1" {
  rule "loops" high when participant.declarations_36m > 0 and participant.declarations_12m > 0 reason "active"
  default low reason "no rule applies"
}
)dlz");
  CategorizeBatch batch(*program, 1);
  batch.setBudget(3);
  bool ok = true;
  std::string line = batch.categorizeOne(
      R"({"id":"P-1","registered":"2015-06-01","declarations_12m":1,"declarations_36m":1,"violations_12m":0,"violations_36m":0,"unpaid_debt":0,"aeo":"none"})",
      ok);
  CHECK_FALSE(ok);
  CHECK(line.find("budget exceeded in rule loops") != std::string::npos);
  CHECK(line.find("\"category\"") == std::string::npos);
}

TEST_CASE("budget: through the embedding API and daliz run --budget", "[vm][budget][cli]") {
  TempDir dir;
  const std::string bundle = dir.write("c.bundle", writeBundle(compileProgram(kCubic)->program));
  std::string error;
  auto engine = api::Engine::loadFile(bundle, api::TrustPolicy::development(), error);
  REQUIRE(engine);
  api::Session session(engine);
  CHECK(api::Session::defaultBudget() == 50000000);
  api::Decision d = session.decide(declaration("E-1", 400));
  CHECK_FALSE(d.ok);
  CHECK(d.overBudget);
  CHECK(d.corridor.empty());
  CHECK(d.error.find("budget exceeded in profile CUBIC-1") != std::string::npos);
  session.setBudget(uint64_t{1} << 42);
  CHECK(session.decide(declaration("E-2", 60)).ok);

  dir.write("in.jsonl", declaration("R-1", 60) + "\n" + declaration("R-2", 2, "AF") + "\n");
  Run tight = daliz(dir, "run c.bundle --in in.jsonl --budget 1000");
  CHECK(tight.exit == 2);
  auto out = lines(tight.out);
  REQUIRE(out.size() == 2);
  CHECK(out[0].find("budget exceeded in profile CUBIC-1: more than 1000 units") !=
        std::string::npos);
  CHECK(out[1].find("\"corridor\":\"yellow\"") !=
        std::string::npos);  // two items fit in 1000 units
  Run fine = daliz(dir, "run c.bundle --in in.jsonl");
  CHECK(fine.exit == 0);
  CHECK(daliz(dir, "run c.bundle --in in.jsonl --budget 0").exit != 0);  // not a budget
}

TEST_CASE(
    "the static cost bound: loops over independent lists multiply, parts of an element do not",
    "[vm][budget]") {
  auto program = compileProgram(R"dlz(
profile "D0" { level low  when declaration.total_customs_value > 1  measures post_release_audit }
profile "D1" { level low  when any(i in declaration.items: i.customs_value > 1)  measures post_release_audit }
profile "D1-DOCS" { level low  when all(i in declaration.items: any(d in i.documents: d.kind == "x"))  measures post_release_audit }
profile "D2" { level low  when any(a in declaration.items: count(b in declaration.items: b.no > a.no) > 3)  measures post_release_audit }
)dlz");
  std::map<std::string, uint32_t> degree;
  for (const ProfileSpec& p : program->program.profiles) degree[p.id] = costDegree(p.code);
  CHECK(degree["D0"] == 0);
  CHECK(degree["D1"] == 1);
  CHECK(degree["D1-DOCS"] == 1);
  CHECK(degree["D2"] == 2);
}

}  // namespace
}  // namespace daliz::testing

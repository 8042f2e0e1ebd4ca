// `daliz categorize` end to end, through the daliz binary built with the tests (DALIZ_BINARY):
// the same bytes for any thread count, bad lines, exit codes, a bundle without a categorize
// block, and the sample participants, whose categories are known by construction
// (samples/generate_participants.py).
#include <sys/wait.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>

#include "tests/support/cli_run.h"
#include "tests/support/engine_fixture.h"

namespace daliz::testing {
namespace {


const char* const kSource = R"(
categorize "PC-T" {
  rule "debt" high when participant.unpaid_debt > 0 reason "debt {participant.unpaid_debt}"
  rule "aeo"  low  when participant.aeo != none reason "AEO {participant.aeo}"
  default medium reason "no rule applies"
}
)";

std::string participantLine(int i) {
  return "{\"id\":\"P-" + std::to_string(i) +
         "\",\"registered\":\"2020-01-01\",\"declarations_12m\":1,\"declarations_36m\":3,"
         "\"violations_12m\":0,"
         "\"violations_36m\":0,\"unpaid_debt\":\"" +
         std::to_string(i % 3 == 0 ? i : 0) + "\",\"aeo\":\"" + (i % 4 == 0 ? "type1" : "none") +
         "\"}";
}

TEST_CASE(
    "daliz categorize: the same bytes for 1 and 2 threads; bad lines give error lines and exit 2",
    "[categorize][cli]") {
  TempDir dir;
  dir.write("k.dlz", kSource);
  REQUIRE(daliz(dir, "compile k.dlz -o k.bundle").exit == 0);
  std::string input;
  for (int i = 0; i < 200; ++i)
    input +=
        (i == 77 ? std::string("{\"id\":\"P-77\",\"aeo\":\"none\"}") : participantLine(i)) + "\n";
  input += "\n";  // a blank line gets no output line
  dir.write("participants.jsonl", input);
  Run one = daliz(dir, "categorize k.bundle --in participants.jsonl --threads 1");
  Run two = daliz(dir, "categorize k.bundle --in participants.jsonl --threads 2");
  CHECK(one.exit == 2);
  CHECK(two.exit == 2);
  CHECK(one.out == two.out);
  CHECK(one.err == "daliz: 1 of 200 participants could not be categorised (status \"error\")\n");
  const auto out = lines(one.out);
  REQUIRE(out.size() == 200);
  const std::string bundle = out[0].substr(out[0].find(",\"bundle\":\""));
  CHECK(bundle.size() == std::string(",\"bundle\":\"\"}").size() + 32);
  CHECK(out[0] ==
        "{\"participant\":\"P-0\",\"status\":\"ok\",\"category\":\"low\",\"rule\":\"aeo\","
        "\"reason\":\"AEO "
        "type1\"" +
            bundle);
  CHECK(out[1] ==
        "{\"participant\":\"P-1\",\"status\":\"ok\",\"category\":\"medium\",\"rule\":\"default\","
        "\"reason\":"
        "\"no rule applies\"" +
            bundle);
  CHECK(out[3] ==
        "{\"participant\":\"P-3\",\"status\":\"ok\",\"category\":\"high\",\"rule\":\"debt\","
        "\"reason\":"
        "\"debt 3.00\"" +
            bundle);
  CHECK(out[77].rfind("{\"participant\":\"P-77\",\"status\":\"error\",\"error\":\"", 0) == 0);
  CHECK(out[78].find("\"participant\":\"P-78\",\"status\":\"ok\"") != std::string::npos);
}

TEST_CASE("daliz categorize: --out, exit 0, and refusals", "[categorize][cli]") {
  TempDir dir;
  dir.write("k.dlz", kSource);
  dir.write(
      "p.dlz",
      R"(profile "P" { level high  when declaration.container  measures documentary_check })");
  REQUIRE(daliz(dir, "compile k.dlz -o k.bundle").exit == 0);
  REQUIRE(daliz(dir, "compile p.dlz -o p.bundle").exit == 0);
  dir.write("ok.jsonl", participantLine(1) + "\n" + participantLine(3) + "\n");
  Run r = daliz(dir, "categorize k.bundle --in ok.jsonl --out categories.jsonl");
  CHECK(r.exit == 0);
  CHECK(r.out.empty());
  CHECK(lines(readFile(dir.file("categories.jsonl"))).size() == 2);
  Run none = daliz(dir, "categorize p.bundle --in ok.jsonl");
  CHECK(none.exit == 1);
  CHECK(none.out.empty());
  CHECK(
      none.err ==
      "daliz: error: `p.bundle` has no categorize block: compile sources that declare `categorize "
      "\"ID\" { … }`\n");
  Run missing = daliz(dir, "categorize k.bundle --in nowhere.jsonl");
  CHECK(missing.exit == 1);
  CHECK(missing.err == "daliz: error: cannot read `nowhere.jsonl`\n");
  CHECK(daliz(dir, "categorize nowhere.bundle --in ok.jsonl").exit == 1);
}

TEST_CASE("daliz categorize: the sample participants get the category they were built for",
          "[categorize][cli]") {
  TempDir dir;
  std::string samples = DALIZ_SOURCE_DIR;
  samples += "/samples";  // (not a + of temporaries: GCC 12 warns falsely about it)
  REQUIRE(
      daliz(dir, "compile " + shellQuote(samples) + "/*.dlz --ref " + shellQuote(samples) + " -o s.bundle")
          .exit == 0);
  Run r = daliz(
      dir, "categorize s.bundle --in " + shellQuote(samples + "/participants.jsonl") + " --threads 2");
  CHECK(r.exit == 2);  // three lines are bad on purpose
  std::map<std::string, int> byRule;
  int errors = 0;
  for (const std::string& line : lines(r.out)) {
    if (line.find("\"status\":\"error\"") != std::string::npos) {
      ++errors;
      continue;
    }
    const size_t at = line.find("\"rule\":\"") + 8;
    byRule[line.substr(at, line.find('"', at) - at)]++;
  }
  CHECK(errors == 3);
  // samples/generate_participants.py, ARCHETYPES: one rule per archetype.
  const std::map<std::string, int> built = {
      {"criminal", 3}, {"debt", 5},     {"repeat", 3},   {"share", 4}, {"tax", 3},
      {"aeo", 6},      {"newcomer", 6}, {"findings", 4}, {"clean", 6}, {"default", 7}};
  CHECK(byRule == built);
}

TEST_CASE("daliz test runs categorize tests, and a failing one keeps compile from writing a bundle",
          "[categorize][cli]") {
  TempDir dir;
  std::string source = kSource;
  source += R"(
test "debt decides" {
  given participant { id: "P-1", registered: 2020-01-01, declarations_12m: 1, declarations_36m: 3,
                      violations_12m: 0, violations_36m: 0, unpaid_debt: 10, aeo: type1 }
  expect category high
  expect rule "debt"
}
test "an AEO without debt is low" {
  given participant { id: "P-2", registered: 2020-01-01, declarations_12m: 1, declarations_36m: 3,
                      violations_12m: 0, violations_36m: 0, unpaid_debt: 0, aeo: type1 }
  expect category low
  expect rule "aeo"
}
)";
  dir.write("k.dlz", source);
  Run ok = daliz(dir, "test k.dlz");
  CHECK(ok.exit == 0);
  CHECK(ok.out.find("PASS  debt decides") != std::string::npos);
  CHECK(ok.out.find("2 passed, 0 failed") != std::string::npos);
  CHECK(daliz(dir, "compile k.dlz -o k.bundle").exit == 0);

  std::string wrong = source;
  wrong += R"(
test "no AEO is low" {
  given participant { id: "P-3", registered: 2020-01-01, declarations_12m: 1, declarations_36m: 3,
                      violations_12m: 0, violations_36m: 0, unpaid_debt: 0, aeo: none }
  expect category low
  expect rule "aeo"
}
)";
  dir.write("w.dlz", wrong);
  Run failed = daliz(dir, "test w.dlz");
  CHECK(failed.exit == 1);
  CHECK(failed.out.find("expected category low, got category medium by rule \"default\"") !=
        std::string::npos);
  CHECK(failed.out.find("expected rule \"aeo\", got category medium by rule \"default\"") !=
        std::string::npos);
  Run compile = daliz(dir, "compile w.dlz -o w.bundle");
  CHECK(compile.exit == 1);
  CHECK_FALSE(std::filesystem::exists(dir.file("w.bundle")));
}

}  // namespace
}  // namespace daliz::testing

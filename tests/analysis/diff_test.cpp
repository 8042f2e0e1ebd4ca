// daliz diff (analysis/diff.h, docs/backtest.md) on generated histories: a bundle against itself
// moves nothing; removing a profile moves exactly its declarations; the renderings; and both
// commands end to end through the daliz binary (exit codes, --format, --out, option checks).
#include <catch2/catch.hpp>
#include <simdjson.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>

#include "analysis/diff.h"
#include "analysis/report.h"
#include "tests/support/cli_run.h"
#include "tests/support/engine_fixture.h"

namespace daliz::testing {
namespace {

using analysis::DiffOptions;
using analysis::DiffReport;

std::string id(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "D-%03d", i);
  return buf;
}

const char* const kExact = R"(
profile "P-EXACT" {
  title "Exactly the bad ones"
  level high
  when  declaration.consignee.name == "Bad LLP"
  measures documentary_check
}
)";
const char* const kOther = R"(
profile "P-OTHER" {
  title "The others"
  level high
  when  declaration.consignee.name == "Other LLP"
  measures customs_examination
}
profile "P-AUDIT" {
  level low
  when  declaration.consignee.name == "Audit LLP"
  measures post_release_audit
}
)";

bool bad(int i) { return i % 6 == 0; }    // P-EXACT: yellow
bool other(int i) { return i % 6 == 1; }  // P-OTHER: red
bool audit(int i) { return i % 6 == 2; }  // P-AUDIT: blue

// 60 declarations, with outcomes (diff ignores them) and one error line (line 31).
std::string history() {
  std::string h;
  for (int i = 0; i < 60; ++i) {
    Json d = baseDeclaration(id(i));
    if (bad(i)) d.set("consignee.name", "Bad LLP");
    if (other(i)) d.set("consignee.name", "Other LLP");
    if (audit(i)) d.set("consignee.name", "Audit LLP");
    d.set("outcome", Json::object({{"controlled", bad(i)}, {"violation", bad(i)}}));
    h += d.dump() + "\n";
    if (i == 29) h += baseDeclaration("BROKEN").set("registered", "2025-02-30").dump() + "\n";
  }
  return h;
}

DiffReport diff(const LoadedProgram& a, const LoadedProgram& b, DiffOptions opt = {}) {
  std::istringstream in(history());
  return analysis::runDiffReport(a, b, in, opt);
}

TEST_CASE("diff of a bundle against itself moves nothing", "[analysis]") {
  CompileOptions co;
  co.moreSources = {{"other.dlz", kOther}};
  auto p = compileProgram(kExact, co);
  DiffReport r = diff(*p, *p);
  CHECK(r.lines == 61);
  CHECK(r.compared == 60);
  CHECK(r.errors == 1);
  CHECK(r.errorsOld == 1);
  CHECK(r.errorsNew == 1);
  REQUIRE(r.errorList.size() == 1);
  CHECK(r.errorList[0].line == 31);
  CHECK(r.errorList[0].id == "BROKEN");
  size_t diagonal = 0;
  for (int f = 0; f < 4; ++f)
    for (int t = 0; t < 4; ++t) {
      if (f == t) diagonal += r.matrix[f][t];
      else CHECK(r.matrix[f][t] == 0);
    }
  CHECK(diagonal == 60);
  CHECK(r.matrix[0][0] == 30);
  CHECK(r.matrix[1][1] == 10);
  CHECK(r.matrix[2][2] == 10);
  CHECK(r.matrix[3][3] == 10);
  CHECK(r.moved == 0);
  CHECK(r.before == r.after);
  CHECK(r.autoBefore() == 40);
  CHECK(r.drivers.empty());
  CHECK(r.samples.empty());
  CHECK(r.profilesOnlyOld.empty());
  CHECK(r.profilesOnlyNew.empty());
}

TEST_CASE("diff where one profile is removed moves exactly its declarations", "[analysis]") {
  CompileOptions co;
  co.moreSources = {{"other.dlz", kOther}};
  auto before = compileProgram(kExact, co);
  auto after = compileProgram(kOther);
  DiffReport r = diff(*before, *after);
  REQUIRE(r.compared == 60);
  CHECK(r.moved == 10);
  CHECK(r.matrix[2][0] == 10);  // P-EXACT's yellow declarations go green
  CHECK(r.matrix[0][0] == 30);
  CHECK(r.matrix[1][1] == 10);
  CHECK(r.matrix[3][3] == 10);
  CHECK(r.matrix[2][2] == 0);
  CHECK(r.autoBefore() == 40);
  CHECK(r.autoAfter() == 50);
  CHECK(r.profilesOnlyOld == std::vector<std::string>{"P-EXACT"});
  CHECK(r.profilesOnlyNew.empty());
  REQUIRE(r.drivers.size() == 1);
  const analysis::ProfileDriver& d = r.drivers[0];
  CHECK(d.id == "P-EXACT");
  CHECK(d.inOld);
  CHECK(!d.inNew);
  CHECK(d.removed == 10);
  CHECK(d.added == 0);
  CHECK(d.moved == 10);
  CHECK(d.removedMoves[2][0] == 10);
  REQUIRE(r.samples.size() == 10);
  std::set<std::string> ids;
  for (const analysis::DiffSample& s : r.samples) {
    CHECK(s.from == 2);
    CHECK(s.to == 0);
    CHECK(s.removed == std::vector<std::string>{"P-EXACT"});
    CHECK(s.added.empty());
    ids.insert(s.id);
  }
  std::set<std::string> expected;
  for (int i = 0; i < 60; ++i)
    if (bad(i)) expected.insert(id(i));
  CHECK(ids == expected);
  // The sample line numbers skip past the error line.
  CHECK(r.samples[4].line == 25);
  CHECK(r.samples[5].line == 32);

  SECTION("the other way round, the profile is added, with --samples") {
    DiffOptions opt;
    opt.samples = 3;
    DiffReport back = diff(*after, *before, opt);
    CHECK(back.matrix[0][2] == 10);
    CHECK(back.moved == 10);
    CHECK(back.profilesOnlyNew == std::vector<std::string>{"P-EXACT"});
    REQUIRE(back.drivers.size() == 1);
    CHECK(back.drivers[0].added == 10);
    CHECK(back.drivers[0].addedMoves[0][2] == 10);
    REQUIRE(back.samples.size() == 3);
    CHECK(back.samples[0].added == std::vector<std::string>{"P-EXACT"});
  }
}

TEST_CASE("diff: a changed condition shows gains and losses of the same profile", "[analysis]") {
  auto a = compileProgram(R"(profile "P" { level high  when declaration.consignee.name == "Bad LLP"  measures documentary_check })");
  auto b = compileProgram(R"(profile "P" { level high  when declaration.consignee.name == "Other LLP"  measures documentary_check })");
  DiffReport r = diff(*a, *b);
  REQUIRE(r.drivers.size() == 1);
  CHECK(r.drivers[0].inOld);
  CHECK(r.drivers[0].inNew);
  CHECK(r.drivers[0].removed == 10);
  CHECK(r.drivers[0].added == 10);
  CHECK(r.drivers[0].moved == 20);
  CHECK(r.matrix[2][0] == 10);
  CHECK(r.matrix[0][2] == 10);
  CHECK(r.autoBefore() == r.autoAfter());
}

TEST_CASE("diff renderings: JSON parses and holds the matrix, HTML is self-contained", "[analysis]") {
  CompileOptions co;
  co.moreSources = {{"other.dlz", kOther}};
  auto before = compileProgram(kExact, co);
  auto after = compileProgram(kOther);
  DiffReport r = diff(*before, *after);
  r.oldName = "old.bundle";
  r.newName = "new.bundle";

  const std::string json = analysis::diffJson(r);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);
  CHECK(std::string_view(doc["report"]) == "diff");
  CHECK(int64_t(doc["declarations"]["compared"]) == 60);
  CHECK(int64_t(doc["declarations"]["errors"]) == 1);
  simdjson::dom::array matrix = doc["matrix"];
  REQUIRE(matrix.size() == 4);
  CHECK(int64_t(matrix.at(2).at(0)) == 10);
  CHECK(int64_t(matrix.at(0).at(0)) == 30);
  CHECK(int64_t(doc["auto_release"]["before"]["count"]) == 40);
  CHECK(int64_t(doc["auto_release"]["after"]["count"]) == 50);
  CHECK(double(doc["auto_release"]["after"]["share"]) == Approx(50.0 / 60.0).epsilon(1e-5));
  CHECK(int64_t(doc["moved"]) == 10);
  simdjson::dom::array drivers = doc["drivers"];
  REQUIRE(drivers.size() == 1);
  CHECK(std::string_view(drivers.at(0)["profile"]) == "P-EXACT");
  CHECK(int64_t(drivers.at(0)["lost"]) == 10);
  CHECK(int64_t(drivers.at(0)["lost_moves"].at(2).at(0)) == 10);
  CHECK(simdjson::dom::array(doc["samples"]).size() == 10);
  CHECK(std::string_view(doc["samples"].at(0)["old"]) == "yellow");
  CHECK(std::string_view(doc["profiles_removed"].at(0)) == "P-EXACT");

  const std::string html = analysis::diffHtml(r);
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("66.7% → 83.3%") != std::string::npos);  // auto-release before → after
  CHECK(html.find("<td class=\"id\">P-EXACT</td>") != std::string::npos);
  CHECK(html.find("lost: yellow → green 10") != std::string::npos);
  CHECK(html.find("<td class=\"n\" style=\"background:rgba(46,125,50,0.75)\">10</td>") != std::string::npos);

  const std::string text = analysis::diffText(r);
  CHECK(text.find("Auto-release  66.7% → 83.3% (40 → 50, +10)") != std::string::npos);
  CHECK(text.find("Moved         10 declarations (16.7%) change corridor") != std::string::npos);
  CHECK(text.find("\n  yellow        10     0       0    0     10\n") != std::string::npos);
  CHECK(text.find("lost: yellow→green 10") != std::string::npos);
}

// ---- The command line ---------------------------------------------------------------------

TEST_CASE("daliz backtest and daliz diff on the command line", "[analysis]") {
  TempDir dir;
  dir.write("exact.dlz", kExact);
  dir.write("other.dlz", kOther);
  REQUIRE(daliz(dir, "compile exact.dlz other.dlz -o old.bundle").exit == 0);
  REQUIRE(daliz(dir, "compile other.dlz -o new.bundle").exit == 0);
  std::string full = history();
  dir.write("history.jsonl", full);
  std::string clean;
  {
    std::istringstream in(full);
    std::string line;
    while (std::getline(in, line))
      if (line.find("BROKEN") == std::string::npos) clean += line + "\n";
  }
  dir.write("clean.jsonl", clean);

  SECTION("backtest: text by default; exit 2 when some lines were left out, 0 when none") {
    Run r = daliz(dir, "backtest old.bundle --history history.jsonl");
    CHECK(r.exit == 2);
    CHECK(r.out.find("Declarations  61 lines: 60 evaluated, 1 error line") != std::string::npos);
    CHECK(r.out.find("line 31") != std::string::npos);
    CHECK(r.err.find("1 of 61 history lines could not be used") != std::string::npos);
    Run c = daliz(dir, "backtest old.bundle --history clean.jsonl --threads 2");
    CHECK(c.exit == 0);
    CHECK(c.err.empty());
    CHECK(c.out.find("P-EXACT") != std::string::npos);
  }
  SECTION("backtest --format json --out, with the thresholds") {
    Run r = daliz(dir,
                  "backtest old.bundle --history clean.jsonl --format json --out report.json "
                  "--min-controls 5 --min-hit-rate 50% --level-thresholds 1000,20000.5");
    REQUIRE(r.exit == 0);
    CHECK(r.out.empty());
    const std::string json = readFile(dir.file("report.json"));
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);
    CHECK(int64_t(doc["options"]["min_controls"]) == 5);
    CHECK(double(doc["options"]["min_hit_rate"]) == 0.5);
    CHECK(std::string_view(doc["options"]["level_thresholds"]["low_max"]) == "1000.00");
    CHECK(std::string_view(doc["options"]["level_thresholds"]["medium_max"]) == "20000.50");
    CHECK(std::string_view(doc["bundle"]["name"]) == "old.bundle");
    CHECK(std::string_view(doc["history"]) == "clean.jsonl");
    CHECK(int64_t(doc["declarations"]["evaluated"]) == 60);
    simdjson::dom::element audit = doc["profiles"].at(0);  // by id: P-AUDIT, P-EXACT, P-OTHER
    CHECK(std::string_view(audit["id"]) == "P-AUDIT");
    CHECK(int64_t(audit["fired"]) == 10);
    CHECK(audit["hit_rate"].is_null());  // never controlled
    CHECK(simdjson::dom::array(audit["flags"]).size() == 0);
    CHECK(double(doc["profiles"].at(1)["hit_rate"]) == 1.0);
    CHECK(int64_t(doc["flagged"]) == 0);
  }
  SECTION("backtest --format html") {
    Run r = daliz(dir, "backtest old.bundle --history clean.jsonl --format html --out report.html");
    REQUIRE(r.exit == 0);
    const std::string html = readFile(dir.file("report.html"));
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("https://") == std::string::npos);
  }
  SECTION("diff: text, json, html") {
    Run self = daliz(dir, "diff old.bundle old.bundle --history clean.jsonl");
    CHECK(self.exit == 0);
    CHECK(self.out.find("Moved         0 declarations (0.0%) change corridor") != std::string::npos);
    Run r = daliz(dir, "diff old.bundle new.bundle --history history.jsonl --samples 2 --format json");
    CHECK(r.exit == 2);
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    REQUIRE(parser.parse(r.out).get(doc) == simdjson::SUCCESS);
    CHECK(int64_t(doc["moved"]) == 10);
    CHECK(simdjson::dom::array(doc["samples"]).size() == 2);
    Run h = daliz(dir, "diff old.bundle new.bundle --history clean.jsonl --format html --out diff.html");
    CHECK(h.exit == 0);
    CHECK(readFile(dir.file("diff.html")).find("Corridor transitions") != std::string::npos);
  }
  SECTION("errors: unreadable bundle or history, bad options") {
    CHECK(daliz(dir, "backtest missing.bundle --history clean.jsonl").exit == 1);
    Run nohist = daliz(dir, "backtest old.bundle --history missing.jsonl");
    CHECK(nohist.exit == 1);
    CHECK(nohist.err.find("cannot read the history `missing.jsonl`") != std::string::npos);
    CHECK(daliz(dir, "diff old.bundle missing.bundle --history clean.jsonl").exit == 1);
    Run rate = daliz(dir, "backtest old.bundle --history clean.jsonl --min-hit-rate 1.5");
    CHECK(rate.exit == 1);
    CHECK(rate.err.find("--min-hit-rate") != std::string::npos);
    for (const char* bad : {"5,1", "1000", "-1,5", "a,b", "5,5"}) {
      CAPTURE(bad);
      std::string cmd = "backtest old.bundle --history clean.jsonl --level-thresholds=";
      cmd += bad;
      Run levels = daliz(dir, cmd);
      CHECK(levels.exit == 1);
      CHECK(levels.err.find("--level-thresholds") != std::string::npos);
    }
    CHECK(daliz(dir, "backtest old.bundle --history clean.jsonl --format pdf").exit != 0);
    CHECK(daliz(dir, "backtest old.bundle").exit != 0);  // --history is required
  }
}

}  // namespace
}  // namespace daliz::testing

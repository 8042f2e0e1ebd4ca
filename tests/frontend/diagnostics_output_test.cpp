// `daliz check --format json|sarif` and `daliz check --fix` (docs/cli.md), end to end through
// the CLI, and the fix-it planner (compiler/diag/fixits.h) on its own.
#include <simdjson.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/diag/fixits.h"
#include "compiler/diag/json_renderer.h"
#include "tests/support/cli_run.h"
#include "tests/support/engine_fixture.h"

namespace daliz::testing {
namespace {

namespace fs = std::filesystem;
using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

const fs::path kCorpus = fs::path(DALIZ_SOURCE_DIR) / "tests" / "frontend" / "diagnostics";

// Three mistakes: `<>` (a fix-it), a `let` used before its definition (a note, no fix-it),
// and a misspelt field (a fix-it).
const char* kMistakes = R"(profile "A-01" {
  level high
  when declaration.procedure <> "40"
  measures documentary_check
}

profile "A-02" {
  level high
  let a = b and declaration.container
  let b = declaration.procedure == "40"
  when a
  measures documentary_check
}

profile "A-03" {
  level high
  when declaration.procedur == "40"
  measures documentary_check
}
)";

const char* kClean = R"(profile "C-01" {
  level high
  when declaration.procedure != "40"
  measures documentary_check
}
)";

std::string str(element e) { return std::string(std::string_view(e)); }
int64_t num(element e) { return int64_t(e); }

bool has(object o, const char* key) {
  element e;
  return o[key].get(e) == simdjson::SUCCESS;
}

// {line, column} of a JSON position.
std::pair<int64_t, int64_t> pos(element e) { return {num(e["line"]), num(e["column"])}; }

TEST_CASE("check --format json: every diagnostic with id, severity, ranges, notes, help, fix-its",
          "[frontend][diagnostics][cli]") {
  TempDir dir;
  dir.write("a.dlz", kMistakes);
  Run r = daliz(dir, "check --format json a.dlz");
  CHECK(r.exit == 1);  // as for text: errors exit 1
  CHECK(r.err.empty());
  simdjson::dom::parser parser;
  element doc;
  REQUIRE(parser.parse(r.out).get(doc) == simdjson::SUCCESS);
  CHECK(str(doc["tool"]) == "daliz");
  CHECK(num(doc["errors"]) == 3);
  array diags = doc["diagnostics"];
  REQUIRE(diags.size() == 3);
  std::map<std::string, object> byId;
  for (element d : diags) {
    object o = d;
    for (const char* key :
         {"id", "severity", "message", "file", "ranges", "notes", "help", "fixits"})
      CHECK(has(o, key));
    CHECK(str(o["file"]) == "a.dlz");
    CHECK(array(o["ranges"]).size() == 1);
    byId[str(o["id"])] = o;
  }
  REQUIRE(byId.count("ForeignOperator"));
  object op = byId["ForeignOperator"];
  CHECK(str(op["severity"]) == "error");
  CHECK(str(op["message"]) == "`<>` is not an operator in this language");
  element range = array(op["ranges"]).at(0);
  CHECK(pos(range["start"]) == std::pair<int64_t, int64_t>{3, 30});
  CHECK(pos(range["end"]) == std::pair<int64_t, int64_t>{3, 32});
  CHECK(str(op["help"]) == "write `!=`");
  array fixits = op["fixits"];
  REQUIRE(fixits.size() == 1);
  CHECK(str(fixits.at(0)["replacement"]) == "!=");
  CHECK(str(fixits.at(0)["file"]) == "a.dlz");
  CHECK(pos(fixits.at(0)["range"]["start"]) == std::pair<int64_t, int64_t>{3, 30});
  CHECK(num(fixits.at(0)["range"]["length"]) == 2);

  REQUIRE(byId.count("LetBeforeDefinition"));
  object let = byId["LetBeforeDefinition"];
  CHECK(array(let["fixits"]).size() == 0);
  array notes = let["notes"];
  REQUIRE(notes.size() == 1);
  CHECK(str(notes.at(0)["id"]) == "NoteDefinedHere");
  CHECK(str(notes.at(0)["severity"]) == "note");
  CHECK(pos(array(notes.at(0)["ranges"]).at(0)["start"]) == std::pair<int64_t, int64_t>{10, 7});

  REQUIRE(byId.count("UnknownField"));
  CHECK(str(array(byId["UnknownField"]["fixits"]).at(0)["replacement"]) == "procedure");

  dir.write("clean.dlz", kClean);
  Run clean = daliz(dir, "check --format json clean.dlz");
  CHECK(clean.exit == 0);
  REQUIRE(parser.parse(clean.out).get(doc) == simdjson::SUCCESS);
  CHECK(array(doc["diagnostics"]).size() == 0);
  CHECK(num(doc["errors"]) == 0);

  // An unreadable file: a diagnostic without a location.
  Run missing = daliz(dir, "check --format json nowhere.dlz");
  CHECK(missing.exit == 1);
  REQUIRE(parser.parse(missing.out).get(doc) == simdjson::SUCCESS);
  object cannot = array(doc["diagnostics"]).at(0);
  CHECK(str(cannot["id"]) == "CannotReadFile");
  CHECK(cannot["file"].is_null());
  CHECK(array(cannot["ranges"]).size() == 0);

  Run bad = daliz(dir, "check --format xml a.dlz");
  CHECK(bad.exit == 1);
}

TEST_CASE("check --format sarif: a SARIF 2.1.0 log with rules, results, related locations, fixes",
          "[frontend][diagnostics][cli]") {
  TempDir dir;
  dir.write("my profiles.dlz", kMistakes);
  Run r = daliz(dir, "check --format sarif 'my profiles.dlz'");
  CHECK(r.exit == 1);
  simdjson::dom::parser parser;
  element doc;
  REQUIRE(parser.parse(r.out).get(doc) == simdjson::SUCCESS);
  CHECK(str(doc["version"]) == "2.1.0");
  CHECK(str(doc["$schema"]).find("sarif-2.1.0") != std::string::npos);
  array runs = doc["runs"];
  REQUIRE(runs.size() == 1);
  element run = runs.at(0);
  object driver = run["tool"]["driver"];
  CHECK(str(driver["name"]) == "daliz");
  CHECK(has(driver, "version"));
  std::vector<std::string> rules;
  for (element rule : array(driver["rules"])) rules.push_back(str(rule["id"]));
  CHECK(rules.size() > 100);
  CHECK(std::find(rules.begin(), rules.end(), "UnknownField") != rules.end());
  CHECK(std::find(rules.begin(), rules.end(), "HelpWrite") ==
        rules.end());  // help rows are no rules
  CHECK(str(run["columnKind"]) == "unicodeCodePoints");
  array results = run["results"];
  REQUIRE(results.size() == 3);
  size_t withFix = 0, withRelated = 0;
  for (element res : results) {
    std::string id = str(res["ruleId"]);
    int64_t index = num(res["ruleIndex"]);
    REQUIRE(index >= 0);
    REQUIRE(static_cast<size_t>(index) < rules.size());
    CHECK(rules[static_cast<size_t>(index)] == id);
    CHECK(str(res["level"]) == "error");
    CHECK(!str(res["message"]["text"]).empty());
    element loc = array(res["locations"]).at(0)["physicalLocation"];
    CHECK(str(loc["artifactLocation"]["uri"]) == "my%20profiles.dlz");
    for (const char* k : {"startLine", "startColumn", "endLine", "endColumn"})
      CHECK(num(loc["region"][k]) >= 1);
    element fixes;
    if (res["fixes"].get(fixes) == simdjson::SUCCESS) {
      ++withFix;
      element change = array(array(fixes).at(0)["artifactChanges"]).at(0);
      CHECK(str(change["artifactLocation"]["uri"]) == "my%20profiles.dlz");
      element rep = array(change["replacements"]).at(0);
      CHECK(num(rep["deletedRegion"]["startLine"]) >= 1);
      CHECK(has(object(rep["insertedContent"]), "text"));
      if (id == "ForeignOperator") {
        CHECK(str(rep["insertedContent"]["text"]) == "!=");
        CHECK(num(rep["deletedRegion"]["startColumn"]) == 30);
        CHECK(num(rep["deletedRegion"]["endColumn"]) == 32);
      }
    }
    element related;
    if (res["relatedLocations"].get(related) == simdjson::SUCCESS) {
      ++withRelated;
      CHECK(id == "LetBeforeDefinition");
      element note = array(related).at(0);
      CHECK(str(note["message"]["text"]) == "`b` is defined here");
      CHECK(num(note["physicalLocation"]["region"]["startLine"]) == 10);
    }
  }
  CHECK(withFix == 2);
  CHECK(withRelated == 1);

  // lint takes --format too.
  dir.write("clean.dlz", kClean);
  Run lint = daliz(dir, "lint --format sarif --today 2025-06-01 clean.dlz");
  CHECK(lint.exit == 0);
  REQUIRE(parser.parse(lint.out).get(doc) == simdjson::SUCCESS);
  CHECK(array(doc["runs"].at(0)["results"]).size() == 0);
}

// `check --fix` on the corpus's analysts' mistakes: every fix-it is applied, and what is left
// is exactly the mistakes that have none.
TEST_CASE("check --fix: the corpus's mistakes with a fix-it check clean afterwards",
          "[frontend][diagnostics][cli]") {
  TempDir dir;
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("mistakes_", 0) != 0) continue;
    fs::copy_file(entry.path(), dir.path() / name);
    if (entry.path().extension() == ".dlz") files.push_back(name);
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 4);
  simdjson::dom::parser parser;
  std::multiset<std::string> unfixable;  // ids of the corpus's errors without a fix-it
  size_t fixable = 0;
  for (const std::string& f : files) {
    INFO(f);
    Run before = daliz(dir, "check --ref . --format json " + f);
    element doc;
    REQUIRE(parser.parse(before.out).get(doc) == simdjson::SUCCESS);
    std::multiset<std::string> left;
    size_t fixes = 0;
    for (element d : array(doc["diagnostics"])) {
      if (str(d["severity"]) != "error") continue;
      if (array(d["fixits"]).size() == 0)
        left.insert(str(d["id"]));
      else
        ++fixes;
    }
    REQUIRE(fixes > 0);
    struct stat st {};
    REQUIRE(::chmod(dir.file(f).c_str(), 0640) == 0);
    Run fix = daliz(dir, "check --ref . --fix " + f);
    INFO(fix.err);
    CHECK(fix.err.find("wrote " + f + ": " + std::to_string(fixes) + " fixes") !=
          std::string::npos);
    CHECK(fix.exit == (left.empty() ? 0 : 1));
    REQUIRE(::stat(dir.file(f).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);  // the rewritten file keeps its permissions

    Run after = daliz(dir, "check --ref . --format json " + f);
    REQUIRE(parser.parse(after.out).get(doc) == simdjson::SUCCESS);
    std::multiset<std::string> still;
    for (element d : array(doc["diagnostics"]))
      if (str(d["severity"]) == "error") still.insert(str(d["id"]));
    CHECK(still == left);  // the fixed mistakes are gone, and no new error appeared
    unfixable.insert(left.begin(), left.end());
    fixable += fixes;
  }
  // No temporary file is left behind.
  for (const auto& entry : fs::directory_iterator(dir.path()))
    CHECK(entry.path().filename().string().find(".tmp.") == std::string::npos);
  if (unfixable.size() + fixable > 0) {
    // The mistakes without one edit that fixes them, which are few and expected: the help
    // says what to do, but the change is the analyst's to choose (a Latin name, a measure,
    // where to move a `let`, what a quantifier tests).
    const std::set<std::string> expected = {"NonLatinIdentifier",   "NullValue",
                                            "QuantifierNeedsBody",  "LetBeforeDefinition",
                                            "QuantifierVarOutside", "CorridorAsMeasure"};
    for (const std::string& id : unfixable) CHECK(expected.count(id) == 1);
    CHECK(unfixable.size() * 10 <= fixable);
  }
}

TEST_CASE("check --fix: the mistakes of a file fixed at once; a clean file untouched",
          "[frontend][diagnostics][cli]") {
  TempDir dir;
  // `<>` and `procedur`: two fixes, far apart, in one file; and a clean file.
  dir.write("two.dlz", kMistakes);
  dir.write("clean.dlz", kClean);
  Run r = daliz(dir, "check --fix two.dlz clean.dlz");
  CHECK(r.exit == 1);  // the `let` is still used before its definition
  CHECK(r.err.find("two.dlz:3:30: fixed [ForeignOperator]: write `!=`") != std::string::npos);
  CHECK(r.err.find("two.dlz:17:20: fixed [UnknownField]") != std::string::npos);
  CHECK(r.err.find("wrote two.dlz: 2 fixes") != std::string::npos);
  CHECK(r.err.find("wrote clean.dlz") == std::string::npos);
  CHECK(r.err.find("1 error") != std::string::npos);
  CHECK(readFile(dir.file("clean.dlz")) == kClean);
  std::string fixed = readFile(dir.file("two.dlz"));
  CHECK(fixed.find("declaration.procedure != \"40\"") != std::string::npos);
  CHECK(fixed.find("declaration.procedure == \"40\"\n  measures") != std::string::npos);

  Run again = daliz(dir, "check --fix clean.dlz");
  CHECK(again.exit == 0);
  CHECK(again.err.find("no fix-its to apply") != std::string::npos);
}

// The planner: identical edits once, overlapping ones refuse the file, edits applied in order.
TEST_CASE("fix-its: planning and applying edits", "[frontend][diagnostics]") {
  SourceManager sources;
  uint32_t f = sources.add("f.dlz", "when a <> b AND c");
  auto diag = [&](uint32_t begin, uint32_t end, std::string with) {
    Diagnostic d{};
    d.id = Diag::ForeignOperator;
    d.severity = Severity::Error;
    d.range = {f, begin, end};
    d.withHelp(Diag::HelpWrite, {with}, {{{f, begin, end}, with}});
    return d;
  };
  Diagnostic ne = diag(7, 9, "!="), same = diag(7, 9, "!="), andLower = diag(12, 15, "and");
  std::vector<FilePlan> plans = planFixes(sources, {&andLower, &ne, &same});
  REQUIRE(plans.size() == 1);
  CHECK(plans[0].skipped.empty());
  REQUIRE(plans[0].edits.size() == 2);
  CHECK(applyEdits(sources.file(f).text, plans[0].edits) == "when a != b and c");

  Diagnostic clash = diag(8, 10, "x");
  plans = planFixes(sources, {&ne, &clash});
  REQUIRE(plans.size() == 1);
  CHECK(plans[0].skipped == "the fix-its at 1:8 and 1:9 overlap");

  Diagnostic insertA = diag(5, 5, "("), insertB = diag(5, 5, "[");
  CHECK(planFixes(sources, {&insertA, &insertB})[0].skipped.find("overlap") != std::string::npos);
  Diagnostic insertThenReplace = diag(7, 7, " ");
  plans = planFixes(sources, {&insertThenReplace, &ne});
  CHECK(plans[0].skipped.empty());
  CHECK(applyEdits(sources.file(f).text, plans[0].edits) == "when a  != b AND c");

  Diagnostic note{};
  note.id = Diag::NoteDefinedHere;
  note.severity = Severity::Note;
  CHECK(planFixes(sources, {&note}).empty());

  CHECK(jsonQuote("a\"b\\\n\x01") == "\"a\\\"b\\\\\\n\\u0001\"");
  CHECK(fileUri("dir/my file<1>.dlz") == "dir/my%20file%3C1%3E.dlz");
}

}  // namespace
}  // namespace daliz::testing

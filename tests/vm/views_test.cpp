// Views of a decision (docs/language.md, "Views of a decision"): the officer's is the decision of
// record; the declarant's shows the corridor, the measures with their codes and requested
// documents, and the notices, and nothing else of the profiles; the audit view adds each hit's
// measure codes, requests and notice, and the bundle's sequence.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "tests/support/cli_run.h"
#include "tests/support/engine_fixture.h"
#include "vm/exec/decision.h"

namespace daliz::testing {
namespace {

const std::string kNoticeProfiles = registerCorpus("notices", R"dlz(
set WATCHED: set<country> = { "AF", "IR" }

profile "V-ORIGIN" {
  title "Watched origin"
  level high
  scope item i
  let per_kg = i.customs_value / i.net_weight
  when i.origin in WATCHED and per_kg < 120
  measures documentary_check, request_documents(invoice, "09999", contract, 10 days)
  reason "per kg {per_kg} under 120 for {i.origin}"
  notice kk "{i.no} тауар: құжаттарды ұсыныңыз" ru "Товар {i.no} ({i.hs_code}): представьте документы"
         en "Item {i.no} ({i.hs_code}): submit the documents"
}

profile "V-VALUE" {
  level medium
  when declaration.total_customs_value > 1000
  measures request_documents(contract, 30 days), post_release_audit
  reason "value over 1000"
}

profile "V-BARE" {
  level low
  when declaration.container
  measures explanations
  notice "Declaration {declaration.id}: explanations are requested"
}
)dlz");

Json watchedDeclaration() {
  Json d = baseDeclaration("D-7");
  d.set("items[0].origin", "AF");
  d.set("total_customs_value", Json::number("4500"));
  d.set("container", false);
  return d;
}

std::string view(Engine& e, const Json& d, DecisionView v) {
  return renderDecisionJson(e.program(), e.decideDecision(d), v);
}

TEST_CASE("views: the declarant sees the corridor, coded measures, documents and notices only",
          "[views]") {
  Engine e(kNoticeProfiles);
  const Json d = watchedDeclaration();
  CHECK(
      view(e, d, DecisionView::Declarant) ==
      R"({"id":"D-7","status":"ok","corridor":"yellow","measures":[)"
      R"({"code":"101","name":"Check of documents and information"},)"
      R"({"code":"201","name":"Request of additional documents and information","documents":[)"
      R"({"code":"03011","name":"Foreign trade contract"},{"code":"04021","name":"Invoice"},)"
      R"({"code":"09999"}],"deadline_days":10},)"
      R"({"code":"114","name":"Customs check after release"}],"notices":[)"
      R"({"kk":"1 тауар: құжаттарды ұсыныңыз","ru":"Товар 1 (6109100000): представьте документы",)"
      R"("en":"Item 1 (6109100000): submit the documents"}]})");
}

TEST_CASE(
    "views: the officer's view is the decision of record; the audit view adds codes, "
    "requests, notices and the sequence",
    "[views]") {
  Engine e(kNoticeProfiles);
  const Json d = watchedDeclaration();
  const std::string officer = view(e, d, DecisionView::Officer);
  CHECK(officer == e.decide(d));
  CHECK(officer.find("notice") == std::string::npos);
  CHECK(officer.find("\"reason\":\"per kg 45 under 120 for AF\"") != std::string::npos);
  const std::string audit = view(e, d, DecisionView::Audit);
  CHECK(audit.find(R"("measure_codes":["101","201"],"requests":[{"measure":"request_documents",)"
                   R"("documents":[{"code":"03011","name":"Foreign trade contract"},)") !=
        std::string::npos);
  CHECK(audit.find(R"("notice":{"kk":"1 тауар: құжаттарды ұсыныңыз",)") != std::string::npos);
  CHECK(audit.find(R"("measure_codes":["201","114"])") != std::string::npos);  // V-VALUE
  CHECK(audit.size() > officer.size());
  CHECK(audit.substr(audit.size() - 17) == R"(,"sequence":null})");
}

TEST_CASE(
    "views: without a notice the declarant sees the measures' public names; a bare notice "
    "is its text",
    "[views]") {
  Engine e(kNoticeProfiles);
  Json d = baseDeclaration("D-8");
  d.set("container", true);
  CHECK(
      view(e, d, DecisionView::Declarant) ==
      R"({"id":"D-8","status":"ok","corridor":"yellow","measures":[{"code":"103","name":"Obtaining explanations"}],)"
      R"("notices":[{"text":"Declaration D-8: explanations are requested"}]})");
  d.set("container", false);
  d.set("total_customs_value", Json::number("999"));
  CHECK(view(e, d, DecisionView::Declarant) ==
        R"({"id":"D-8","status":"ok","corridor":"green","measures":[],"notices":[]})");
}

TEST_CASE(
    "views: two items with the same document request give one measure, the shortest "
    "deadline and the union of documents",
    "[views]") {
  Engine e(kNoticeProfiles);
  Json d = watchedDeclaration();
  d.set("items[1]", baseItem(2));
  d.set("items[1].origin", "IR");
  const std::string line = view(e, d, DecisionView::Declarant);
  CHECK(line.find(R"("deadline_days":10})") != std::string::npos);
  CHECK(line.find("\"code\":\"201\"") == line.rfind("\"code\":\"201\""));
  CHECK(line.find("Товар 1 (6109100000)") != std::string::npos);
  CHECK(line.find("Товар 2 (6109100000)") != std::string::npos);
}

TEST_CASE("views: an error reaches the declarant without naming a profile", "[views]") {
  Engine e(kNoticeProfiles);
  CHECK(renderDecisionJson(e.program(), e.decideDecisionLine("{\"id\":\"X\"}"),
                           DecisionView::Declarant) ==
        R"({"id":"X","status":"error","error":"registered: required field is missing"})");
  Decision over;
  over.id = "Y";
  over.ok = false;
  over.overBudget = true;
  over.error = "budget exceeded in profile V-ORIGIN";
  const std::string line = renderDecisionJson(e.program(), over, DecisionView::Declarant);
  CHECK(line.find("V-ORIGIN") == std::string::npos);
  CHECK(line.find("an officer decides it") != std::string::npos);
}

TEST_CASE("views: a notice over a long chain of lets is judged in time linear in the chain",
          "[views]") {
  // Each let uses the one before twice: walking the chain naively takes 2^80 steps. The key of
  // `sample … by` is judged the same way.
  std::string source = "profile \"CHAIN\" {\n  level low\n  sample 5% by l80\n  let l0 = 7\n";
  for (int k = 1; k <= 80; ++k) {
    source += "  let l" + std::to_string(k) + " = l" + std::to_string(k - 1) + " + l";
    source += std::to_string(k - 1) + "\n";
  }
  source += "  when declaration.total_customs_value > l80\n  measures documentary_check\n";
  source += "  notice \"{l80}\"\n}\n";
  CompileResult r = tryCompile(source);
  CHECK_FALSE(r.program);
  CHECK(r.diagnostics.find("`l80` is computed from a threshold of the profile") != std::string::npos);
  CHECK(r.diagnostics.find("`l80` is the same for every declaration") != std::string::npos);
}

// Every string, identifier and number of the sample profiles' source other than their notices:
// what a profile knows and the declarant must not.
std::set<std::string> confidentialTokens(const std::string& source) {
  std::set<std::string> tokens;
  std::istringstream in(source);
  std::string line;
  bool inTest = false;
  while (std::getline(in, line)) {
    if (line.rfind("test ", 0) == 0) inTest = true;  // tests hold declarations, not profiles
    if (line.rfind("profile ", 0) == 0 || line.rfind("set ", 0) == 0 ||
        line.rfind("table ", 0) == 0 || line.rfind("indicator ", 0) == 0)
      inTest = false;
    if (inTest) continue;
    const std::string code = line.substr(0, line.find("//"));
    // A notice, and the lines of its other languages.
    const size_t first = code.find_first_not_of(' ');
    const std::string start = first == std::string::npos ? "" : code.substr(first, 3);
    const bool noticeLine = code.find("notice ") != std::string::npos || start == "en " ||
                            start == "ru " || start == "kk ";
    if (noticeLine) continue;
    static const std::regex kString(R"re("([^"\\]|\\.)*")re");
    for (auto it = std::sregex_iterator(code.begin(), code.end(), kString);
         it != std::sregex_iterator(); ++it) {
      std::string text = it->str().substr(1, it->str().size() - 2);
      // A reason's literal parts, between its `{…}`.
      static const std::regex kInterpolation(R"(\{[^}]*\})");
      std::istringstream parts(std::regex_replace(text, kInterpolation, "\n"));
      for (std::string part; std::getline(parts, part);)
        if (part.size() >= 8) tokens.insert(part);
    }
    static const std::regex kWord(R"([A-Za-z_][A-Za-z0-9_]{5,}|[0-9]{3,}(\.[0-9]+)?%?)");
    const std::string bare = std::regex_replace(code, kString, " ");
    for (auto it = std::sregex_iterator(bare.begin(), bare.end(), kWord);
         it != std::sregex_iterator(); ++it)
      tokens.insert(it->str());
  }
  return tokens;
}

TEST_CASE(
    "views: no string of the sample profiles other than their notices reaches the "
    "declarant",
    "[views][cli]") {
  TempDir dir;
  const std::filesystem::path samples = std::filesystem::path(DALIZ_SOURCE_DIR) / "samples";
  std::string sources, source;
  std::set<std::string> tokens;
  for (const auto& f : std::filesystem::directory_iterator(samples)) {
    if (f.path().extension() != ".dlz") continue;
    sources += shellQuote(f.path().string()) + " ";
    for (const std::string& t : confidentialTokens(readFile(f.path().string()))) tokens.insert(t);
  }
  Run c = daliz(dir, "compile " + sources + "--ref " + shellQuote(samples.string()) + " -o b.dlzb");
  REQUIRE(c.exit == 0);
  const std::string decls = shellQuote((samples / "declarations.jsonl").string());
  Run r = daliz(dir, "run b.dlzb --view declarant --in " + decls);
  REQUIRE((r.exit == 0 || r.exit == 2));
  Run officer = daliz(dir, "run b.dlzb --in " + decls);
  // The sample run gives hits, measures with documents and notices: the test has something to see.
  REQUIRE(officer.out.find("\"hits\":[{") != std::string::npos);
  REQUIRE(r.out.find("\"notices\":[{") != std::string::npos);
  REQUIRE(r.out.find("\"documents\":[{") != std::string::npos);
  std::set<std::string> leaked;
  for (const std::string& line : lines(r.out)) {
    // The declaration's own id is its data; everything after it comes from the engine.
    const std::string engineText = line.substr(line.find(",\"status\""));
    // An error is about the declaration's own data (a field, a value): only the profiles'
    // names must stay out of it. The notices may show the declaration's numbers (item numbers,
    // HS codes), but no word of a profile.
    const bool error = engineText.find("\"status\":\"error\"") != std::string::npos;
    const size_t notices = engineText.find(",\"notices\":");
    for (const std::string& t : tokens) {
      const bool word = t.find_first_not_of("0123456789.%") != std::string::npos;
      const size_t at = engineText.find(t);
      if (at == std::string::npos || (error && t.rfind("KZ-", 0) != 0) || (!word && at > notices))
        continue;
      leaked.insert(t);
    }
    CHECK(engineText.find("\"profile\"") == std::string::npos);
    CHECK(engineText.find("\"reason\"") == std::string::npos);
    CHECK(engineText.find("\"level\"") == std::string::npos);
    CHECK(engineText.find("\"hits\"") == std::string::npos);
    CHECK(engineText.find("\"bundle\"") == std::string::npos);
  }
  // A word of a profile may also be public: a measure's name in the catalogue, a document kind's
  // title, a word of a notice, a member name of the view.
  std::string publicText =
      readFile((std::filesystem::path(DALIZ_SOURCE_DIR) / "stdlib/measures.dlz").string());
  publicText += readFile(
      (std::filesystem::path(DALIZ_SOURCE_DIR) / "stdlib/data/document_kinds.csv").string());
  for (const auto& f : std::filesystem::directory_iterator(samples))
    if (f.path().extension() == ".dlz")
      for (const std::string& line : lines(readFile(f.path().string())))
        if (line.find("notice ") != std::string::npos || line.find("  en \"") != std::string::npos)
          publicText += line + "\n";
  publicText += "measures documents notices deadline_days corridor status";
  for (auto it = leaked.begin(); it != leaked.end();)
    it = publicText.find(*it) != std::string::npos ? leaked.erase(it) : std::next(it);
  std::string list;
  for (const std::string& t : leaked) list += t + "\n";
  INFO("profile text in the declarant view:\n" << list);
  CHECK(leaked.empty());
}

}  // namespace
}  // namespace daliz::testing

// The cross-profile index (GuardSpec, ProfileIndex) is an optimisation only: with it and
// without it, every declaration must get the same decision. Checked on the sample profile
// set and its 400 declarations, where most profiles have guards.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "compiler/driver/frontend.h"
#include "compiler/driver/pipeline.h"
#include "tests/support/engine_fixture.h"
#include "vm/exec/batch.h"

namespace daliz {
namespace {

std::unique_ptr<LoadedProgram> load(const std::vector<std::string>& files, bool withGuards, size_t& guarded,
                                    std::vector<GuardSpec>* guards = nullptr) {
  FrontendOptions f;
  f.files = files;
  f.refDir = std::string(DALIZ_SOURCE_DIR) + "/samples";
  auto c = runFrontend(f);
  REQUIRE_FALSE(c->diagnostics.hasErrors());
  std::string error;
  auto program = buildProgram(*c, {}, error);
  REQUIRE(program);
  guarded = 0;
  for (ProfileSpec& p : program->profiles) {
    guarded += p.guard.kind != GuardSpec::None;
    if (guards) guards->push_back(p.guard);
    if (!withGuards) p.guard = GuardSpec{};
  }
  auto loaded = loadInMemory(std::move(*program), error);
  REQUIRE(loaded);
  return loaded;
}

std::vector<std::string> sampleFiles() {
  std::vector<std::string> files;
  for (const char* name : {"classification", "origin", "participants", "post_release", "prohibitions", "random",
                           "valuation"})
    files.push_back(std::string(DALIZ_SOURCE_DIR) + "/samples/" + name + ".dlz");
  return files;
}

std::unique_ptr<LoadedProgram> loadSamples(bool withGuards, size_t& guarded) {
  return load(sampleFiles(), withGuards, guarded);
}

std::vector<std::string> sampleDeclarations() {
  std::ifstream in(std::string(DALIZ_SOURCE_DIR) + "/samples/declarations.jsonl");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("indexing profiles by their guards never changes a decision", "[exec][index]") {
  size_t guarded = 0, unused = 0;
  auto indexed = loadSamples(true, guarded);
  auto plain = loadSamples(false, unused);
  CHECK(guarded >= 10);  // the samples' HS and origin conditions give most profiles a guard

  std::ifstream in(std::string(DALIZ_SOURCE_DIR) + "/samples/declarations.jsonl");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() >= 300);
  std::vector<std::string_view> views(lines.begin(), lines.end());

  std::vector<std::string> a, b;
  BatchCounts ca, cb;
  BatchRunner(*indexed, 1).run(views, a, ca);
  BatchRunner(*plain, 1).run(views, b, cb);
  REQUIRE(a.size() == b.size());
  size_t withHits = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    INFO("declaration line " << i + 1);
    CHECK(a[i] == b[i]);
    withHits += a[i].find("\"hits\":[{") != std::string::npos;
  }
  CHECK(withHits > 50);  // the comparison covers many firing profiles, not just green decisions
}

// Each kind of guard the compiler proves, on profiles written to fire on some of the sample
// declarations and not on others: the guard is found, and decisions match the unindexed run.
TEST_CASE("every kind of guard gives the decisions of the unindexed profiles", "[exec][index]") {
  const std::string source = R"(
measure doc_check corridor yellow "check"
profile "G-DECL-RANGE" { level low  when declaration.total_customs_value > 5000000 and declaration.procedure == "40" measures doc_check }
profile "G-DECL-RANGE-2" { level low  when 2000000.5 <= declaration.total_customs_value and declaration.total_customs_value < 3000000 measures doc_check }
profile "G-DECL-DATE" { level low  when declaration.registered >= 2025-06-01 and declaration.registered <= 2025-06-30 measures doc_check }
profile "G-DECL-CODE" { level low  when declaration.border_transport_mode == "30" measures doc_check }
profile "G-DECL-CODES" { level low  when declaration.procedure in {"10", "31"} measures doc_check }
profile "G-DECL-COUNTRY" { level low  when declaration.dispatch_country == "KR" measures doc_check }
profile "G-COUNT" { level low  when count(x in declaration.items: x.hs_code in {"84", "85"}) >= 2 measures doc_check }
profile "G-COUNT-MIRROR" { level low  when 0 < count(x in declaration.items: x.origin == "CN") measures doc_check }
profile "G-ITEM-RANGE" { level low  scope item i  when i.customs_value >= 100000.5 and i.valuation_method == 1 measures doc_check }
profile "G-ANY-LATE" { level low  when any(x in declaration.items: x.hs_code in {"8471", "8517"} and x.no >= 2) measures doc_check }
profile "G-ITEM-CODE" { level low  scope item i  when i.procedure == "4000000" and i.valuation_method != 1 measures doc_check }
)";
  testing::TempDir dir;
  const std::string file = dir.write("guard_kinds.dlz", source);
  size_t guarded = 0, unused = 0;
  std::vector<GuardSpec> guards;
  auto indexed = load({file}, true, guarded, &guards);
  auto plain = load({file}, false, unused);
  REQUIRE(guards.size() == 11);  // sorted by id
  using K = GuardSpec;
  CHECK((guards[0].kind == K::Hs && guards[0].anyItem));          // G-ANY-LATE
  CHECK((guards[1].kind == K::Hs && guards[1].anyItem));          // G-COUNT: counted items' hs codes
  CHECK((guards[2].kind == K::Int && guards[2].anyItem));         // G-COUNT-MIRROR: some item's origin
  CHECK((guards[3].kind == K::String && guards[3].onDeclaration));  // G-DECL-CODE
  CHECK((guards[4].kind == K::String && guards[4].onDeclaration && guards[4].strings.size() == 2));
  CHECK((guards[5].kind == K::Int && guards[5].onDeclaration));  // G-DECL-COUNTRY
  CHECK((guards[6].kind == K::Range && guards[6].onDeclaration && guards[6].high - guards[6].low == 29));  // a month
  CHECK((guards[7].kind == K::Range && guards[7].low == static_cast<__int128>(5000000) * 1000000 + 1));
  CHECK((guards[8].kind == K::Range && guards[8].low == static_cast<__int128>(2000000500000) &&
         guards[8].high == static_cast<__int128>(3000000) * 1000000 - 1));
  CHECK((guards[9].kind == K::String && !guards[9].anyItem && !guards[9].onDeclaration));  // G-ITEM-CODE
  CHECK((guards[10].kind == K::Range && !guards[10].onDeclaration));                     // G-ITEM-RANGE
  CHECK(guarded == 11);
  // The quantifier each some-item guard came from walks only the matched items (FORPREP_G).
  for (const ProfileSpec& p : indexed->program.profiles) {
    bool guardedLoop = std::any_of(p.code.begin(), p.code.end(),
                                   [](const Insn& in) { return in.op == static_cast<uint16_t>(Op::FORPREP_G); });
    INFO(p.id);
    CHECK(guardedLoop == p.guard.anyItem);
  }

  auto lines = sampleDeclarations();
  std::vector<std::string_view> views(lines.begin(), lines.end());
  std::vector<std::string> a, b;
  BatchCounts ca, cb;
  BatchRunner(*indexed, 1).run(views, a, ca);
  BatchRunner(*plain, 1).run(views, b, cb);
  REQUIRE(a.size() == b.size());
  std::map<std::string, size_t> fired;
  for (size_t i = 0; i < a.size(); ++i) {
    INFO("declaration line " << i + 1);
    CHECK(a[i] == b[i]);
    for (const char* id : {"G-DECL-RANGE\"", "G-DECL-RANGE-2", "G-DECL-DATE", "G-DECL-CODE\"", "G-DECL-CODES",
                           "G-DECL-COUNTRY", "G-COUNT\"", "G-COUNT-MIRROR", "G-ITEM-RANGE", "G-ITEM-CODE", "G-ANY-LATE"})
      fired[id] += a[i].find(std::string("\"profile\":\"") + id) != std::string::npos;
  }
  // Each profile fires on some declarations and not on all: the guards are put to the test.
  for (const auto& [id, n] : fired) {
    INFO(id);
    CHECK(n > 0);
    CHECK(n < a.size());
  }
}

}  // namespace daliz

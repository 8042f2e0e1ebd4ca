// The cross-profile index (GuardSpec, ProfileIndex) is an optimisation only: with it and
// without it, every declaration must get the same decision. Checked on the sample profile
// set and its 400 declarations, where most profiles have guards.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "compiler/driver/frontend.h"
#include "compiler/driver/pipeline.h"
#include "vm/exec/batch.h"

namespace daliz {
namespace {

std::unique_ptr<LoadedProgram> loadSamples(bool withGuards, size_t& guarded) {
  FrontendOptions f;
  for (const char* name : {"classification", "origin", "participants", "post_release", "prohibitions", "random",
                           "valuation"})
    f.files.push_back(std::string(DALIZ_SOURCE_DIR) + "/samples/" + name + ".dlz");
  f.refDir = std::string(DALIZ_SOURCE_DIR) + "/samples";
  auto c = runFrontend(f);
  REQUIRE_FALSE(c->diagnostics.hasErrors());
  std::string error;
  auto program = buildProgram(*c, {}, error);
  REQUIRE(program);
  guarded = 0;
  for (ProfileSpec& p : program->profiles) {
    guarded += p.guard.kind != GuardSpec::None;
    if (!withGuards) p.guard = GuardSpec{};
  }
  auto loaded = loadInMemory(std::move(*program), error);
  REQUIRE(loaded);
  return loaded;
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

}  // namespace daliz

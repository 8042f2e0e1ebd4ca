// Amended and re-submitted declarations (docs/language.md 2.23): `previous.corridor` is a floor
// that only an officer's override with a reference lifts; the keeping hit says why; the
// override is recorded in the decision. Both back ends (the Engine decides with both).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/support/engine_fixture.h"

namespace daliz::testing {
namespace {

using V = std::vector<std::string>;

const std::string kProfiles = R"dlz(
profile "AM-RED" { level high  when declaration.container  measures customs_examination }
profile "AM-YELLOW" { level medium  when declaration.total_customs_value > 1000000  measures documentary_check }
)dlz";

Json amended(const std::string& corridor) {
  return baseDeclaration("D-7")
      .set("container", false)
      .set("previous.id", "D-2026-000417")
      .set("previous.corridor", corridor);
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

TEST_CASE("a red declaration amended so that no profile fires stays red, and the hit says why",
          "[vm][amendment]") {
  Engine e(kProfiles);
  Json d = amended("red");
  CHECK(e.corridor(baseDeclaration("D-7").set("container", false)) == "green");
  CHECK(e.corridor(d) == "red");
  CHECK(e.hits(d) == V{"previous"});
  CHECK(e.measures(d) == V{"customs_inspection"});
  std::string line = e.decide(d);
  INFO(line);
  CHECK(contains(
      line,
      R"("hits":[{"profile":"previous","level":"high","corridor":"red","measures":["customs_inspection"],"reason":"previous decision D-2026-000417 was red"}])"));
  CHECK_FALSE(contains(line, "\"override\""));
}

TEST_CASE("the floor never lowers a corridor and adds nothing when the profiles reach it",
          "[vm][amendment]") {
  Engine e(kProfiles);
  // Red by a profile, previous yellow: no floor hit.
  Json red = amended("yellow").set("container", true);
  CHECK(e.corridor(red) == "red");
  CHECK(e.hits(red) == V{"AM-RED"});
  // Previous green: nothing to keep.
  CHECK(e.hits(amended("green")) == V{});
  CHECK(e.corridor(amended("green")) == "green");
  // Yellow by a profile, previous red: red, both hits in profile-id order.
  Json yellow = amended("red").set("total_customs_value", "2000000");
  CHECK(e.corridor(yellow) == "red");
  CHECK(e.hits(yellow) == V{"AM-YELLOW", "previous"});
  CHECK(e.measures(yellow) == V{"customs_inspection", "documentary_check"});
  // Previous blue: a post-release audit.
  CHECK(e.measures(amended("blue")) == V{"post_release_audit"});
  CHECK(e.corridor(amended("blue")) == "blue");
}

TEST_CASE("an officer's override with its reference lifts the floor and is recorded",
          "[vm][amendment]") {
  Engine e(kProfiles);
  Json d = amended("red")
               .set("override.reference", "ACT-55301-2026-118")
               .set("override.officer", "Ахметов А.");
  CHECK(e.corridor(d) == "green");
  CHECK(e.hits(d) == V{});
  std::string line = e.decide(d);
  INFO(line);
  CHECK(contains(
      line,
      R"("hits":[],"override":{"reference":"ACT-55301-2026-118","officer":"Ахметов А.","previous":{"id":"D-2026-000417","corridor":"red"}})"));
  // An empty reference is no override.
  Json empty = amended("red").set("override.reference", "");
  CHECK(e.corridor(empty) == "red");
  CHECK_FALSE(contains(e.decide(empty), "\"override\""));
  // An override that changes nothing is not recorded.
  Json needless = amended("red").set("container", true).set("override.reference", "ACT-1");
  CHECK(e.corridor(needless) == "red");
  CHECK_FALSE(contains(e.decide(needless), "\"override\""));
}

TEST_CASE("a previous corridor that is not one is an error decision", "[vm][amendment]") {
  Engine e(kProfiles);
  CHECK(e.corridor(amended("purple")) == "error");
  CHECK(contains(e.error(amended("purple")), "previous.corridor"));
}

TEST_CASE("a schema without `previous` (as with --schema) has no floor", "[vm][amendment]") {
  Program program = compileProgram(kProfiles)->program;
  RecordSpec& root = program.schema.records[program.schema.root];
  for (FieldSpec& f : root.fields)
    if (f.name == "previous") f.name = "earlier";
  std::string error;
  std::shared_ptr<const LoadedProgram> lp = prepareProgram(std::move(program), "", error);
  REQUIRE(lp);
  CHECK_FALSE(lp->amendment.previous);
  CHECK(lp->amendment.override);
  Engine e(lp);
  Json d = baseDeclaration("D-7")
               .set("container", false)
               .set("earlier.id", "D-1")
               .set("earlier.corridor", "red");
  CHECK(e.corridor(d) == "green");
}

TEST_CASE("profile ids of the engine's hits are reserved", "[vm][amendment]") {
  CompileOptions options;
  options.runTests = false;
  CompileResult r =
      tryCompile(R"dlz(profile "previous" { level low  when true  measures documentary_check }
profile "random:red" { level low  when true  measures documentary_check })dlz",
                 options);
  CHECK(r.program == nullptr);
  CHECK(contains(r.diagnostics, "profile id \"previous\" is reserved"));
  CHECK(contains(r.diagnostics, "profile id \"random:red\" is reserved"));
}

}  // namespace
}  // namespace daliz::testing

// The runtime-test fixture itself (tests/support/engine_fixture.h).
#include <catch2/catch.hpp>

#include "tests/support/engine_fixture.h"

namespace daliz::testing {
namespace {

TEST_CASE("Json builder: paths, overrides, erase, exact numbers", "[vm][fixture]") {
  Json j = Json::object({{"a", 1}});
  j.set("b.c", "x").set("list[0].k", true).set("list[1]", Json::number("12.50")).set("n", nullptr);
  CHECK(j.dump() == R"({"a":1,"b":{"c":"x"},"list":[{"k":true},12.50],"n":null})");
  j.set("b.c", "y").erase("a").erase("list[0]").erase("nope.deeper");
  CHECK(j.dump() == R"({"b":{"c":"y"},"list":[12.50],"n":null})");
  CHECK(j.find("list[0]") != nullptr);
  CHECK(j.find("list[3]") == nullptr);
  CHECK(Json("quote\" and \\ and \n").dump() == R"("quote\" and \\ and \n")");
}

TEST_CASE("the base declaration is valid for the stdlib schema and decides green", "[vm][fixture]") {
  Engine e(profile("NEVER", "false"));
  Decision d = e.decideDecision(baseDeclaration());
  INFO(d.error);
  REQUIRE(d.ok);
  CHECK(d.corridor == 0);
  CHECK(d.hits.empty());
  CHECK(
      e.decide(baseDeclaration("D-7")) ==
      R"({"id":"D-7","status":"ok","corridor":"green","measures":[],"measure_codes":[],)"
      R"("declaration":{"office":"55301","declarant":"123456789012","items":1},"hits":[],"bundle":""})");
  // Each required field matters: leaving one out is an error decision naming it.
  CHECK(e.error(baseDeclaration().erase("customs_office")).find("customs_office") != std::string::npos);
  CHECK(e.error(baseDeclaration().erase("items[0].customs_value")).find("customs_value") != std::string::npos);
}

TEST_CASE("compile errors come back rendered with file, line, column and caret", "[vm][fixture]") {
  CompileResult r = tryCompile(profile("P", "declaration.orign == \"CN\""));
  CHECK(r.program == nullptr);
  CHECK(r.diagnostics.find("profiles.dlz:3:") != std::string::npos);
  CHECK(r.diagnostics.find("error:") != std::string::npos);
  CHECK(r.diagnostics.find("^") != std::string::npos);
}

TEST_CASE("CSV fixtures are written beside the source", "[vm][fixture]") {
  CompileOptions o;
  o.files = {{"rates.csv", "cur,value\nUSD,470.5\n"}};
  Engine e("table RATE(cur: currency) -> decimal from \"rates.csv\"\n" +
               profile("P", "true", "{RATE[declaration.contract_currency]}"),
           o);
  CHECK(e.reason(baseDeclaration(), "P") == "470.5");
}

}  // namespace
}  // namespace daliz::testing

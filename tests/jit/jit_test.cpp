// The JIT as users meet it: the engine option of the embedding API, the fallback of a function
// it does not compile, `daliz run --jit` and `daliz disasm --ir/--asm`. That its decisions equal
// the interpreter's is checked everywhere else: every test deciding through testing::Engine
// runs both back ends (engine_fixture.h), and differential_test.cpp generates inputs for it.
#include <catch2/catch.hpp>

#include <chrono>

#include "compiler/driver/pipeline.h"
#include "daliz/daliz.h"
#include "tests/support/cli_run.h"
#include "tests/support/engine_fixture.h"
#include "vm/bundle/bundle_writer.h"
#include "vm/exec/batch.h"
#include "vm/jit/jit.h"

namespace daliz::testing {
namespace {

const char* kProfiles = R"dlz(
profile "J-1" {
  level high
  scope item i
  when i.origin in {"AF", "MM"} and i.customs_value / i.net_weight < 10
  measures documentary_check
  reason "item {i.no}: {i.customs_value / i.net_weight} per kg"
}

profile "J-2" {
  level low
  when count(i in declaration.items: i.description.lower().contains("cotton")) >= 2
  measures post_release_audit
  reason "{len(declaration.items)} items"
}
)dlz";

Json declaration() {
  Json d = baseDeclaration("J-D");
  d.set("items", Json::array({baseItem(1).set("origin", "AF").set("customs_value", "450.5"),
                              baseItem(2).set("description", "Cotton shirts"), baseItem(3)}));
  return d;
}

}  // namespace

TEST_CASE(
    "JIT: a function over the size limit stays interpreted, with a message, and decides the same",
    "[jit]") {
  if (!jitAvailable()) {
    WARN("this build has no JIT: nothing to compare");
    return;
  }
  CompileOptions o;
  o.runTests = false;
  auto shared = compileProgram(kProfiles, o);
  // A private copy of the program, without the fixture's compiled code, to attach it anew.
  std::string error;
  auto copy = loadInMemory(shared->program, error);
  REQUIRE(copy);
  JitOptions options;
  options.maxInstructions =
      std::min(shared->program.profiles[0].code.size(), shared->program.profiles[1].code.size());
  JitReport report;
  REQUIRE(attachJit(*copy, report, options));
  CHECK(report.compiled == 1);
  CHECK(report.interpreted == 1);
  REQUIRE(report.messages.size() == 1);
  CHECK_THAT(report.messages[0],
             Catch::Contains("stays interpreted") && Catch::Contains("instructions are more than"));
  const bool firstCompiled = copy->compiled->profile(0) != nullptr;
  CHECK(firstCompiled != (copy->compiled->profile(1) != nullptr));  // one of each

  // Half interpreted, half native: the same bytes as the interpreter alone.
  std::string line = declaration().dump();
  bool ok = false;
  std::string mixed = BatchRunner(*copy, 1).decideOne(line, ok);
  std::string interpreted =
      BatchRunner(*copy, 1, Evaluator::Backend::Interpreter).decideOne(line, ok);
  CHECK(mixed == interpreted);
  CHECK_THAT(mixed,
             Catch::Contains("\"profile\":\"J-1\"") && Catch::Contains("\"profile\":\"J-2\""));
}

TEST_CASE("JIT: the embedding API's engine option compiles every profile; decisions unchanged",
          "[jit][embedding]") {
  auto lp = compileProgram(kProfiles);
  const std::string bytes = writeBundle(lp->program);
  std::string error;
  const auto dev = api::TrustPolicy::development();
  auto plain = api::Engine::loadBytes(bytes, dev, error);
  REQUIRE(plain);
  api::EngineOptions options;
  options.jit = true;
  auto native = api::Engine::loadBytes(bytes, dev, options, error);
  REQUIRE(native);
  CHECK(plain->compiledFunctions() == 0);
  if (jitAvailable()) {
    CHECK(native->compiledFunctions() == 2);
    CHECK(native->jitMessages().empty());
  } else {  // a build without LLVM interprets, and says why
    CHECK(native->compiledFunctions() == 0);
    REQUIRE(native->jitMessages().size() == 1);
    CHECK_THAT(native->jitMessages()[0], Catch::Contains("without the JIT"));
  }
  api::Session a(plain), b(native);
  const std::string json = declaration().dump();
  const std::string x = a.decide(json).json, y = b.decide(json).json;
  CHECK(x == y);
  CHECK_THAT(x, Catch::Contains("\"corridor\":\"yellow\""));
}

TEST_CASE("daliz disasm --ir and --asm show what the JIT makes of a profile", "[jit][cli]") {
  TempDir dir;
  dir.write("p.dlz", kProfiles);
  REQUIRE(daliz(dir, "compile p.dlz -o p.bundle").exit == 0);
  Run ir = daliz(dir, "disasm p.bundle --ir --profile J-1");
  Run assembly = daliz(dir, "disasm p.bundle --asm");
  Run missing = daliz(dir, "disasm p.bundle --ir --profile NOPE");
  CHECK(missing.exit == 1);
  CHECK_THAT(missing.err, Catch::Contains("the bundle has no profile `NOPE`"));
  if (!jitAvailable()) {
    CHECK(ir.exit == 1);
    CHECK_THAT(ir.err, Catch::Contains("without the JIT"));
    return;
  }
  INFO(ir.err);
  REQUIRE(ir.exit == 0);
  CHECK_THAT(ir.out, Catch::Contains("; profile J-1 (function profile_0)") &&
                         Catch::Contains("define") && Catch::Contains("@profile_0(ptr"));
  CHECK(ir.out.find("J-2") == std::string::npos);                 // --profile: only that one
  CHECK_THAT(ir.out, Catch::Contains("@daliz_rt_reason_value"));  // the reason is the runtime's
  INFO(assembly.err);
  REQUIRE(assembly.exit == 0);
  CHECK_THAT(assembly.out, Catch::Contains("profile_0:") && Catch::Contains("profile_1:") &&
                               Catch::Contains("ret"));
  // --ir and --asm exclude each other.
  CHECK(daliz(dir, "disasm p.bundle --ir --asm").exit != 0);
}

TEST_CASE(
    "daliz run --jit: the sample profiles decide the sample declarations as the interpreter does",
    "[jit][cli]") {
  TempDir dir;
  // Built with += : GCC 12 warns falsely (-Warray-bounds) on a chain of + from a std::string.
  std::string samples = DALIZ_SOURCE_DIR;
  samples += "/samples";
  std::string compile = "compile ";
  compile += shellQuote(samples);
  compile += "/*.dlz --ref ";
  compile += shellQuote(samples);
  compile += " -o s.bundle";
  REQUIRE(daliz(dir, compile).exit == 0);
  std::string in = samples;
  in += "/declarations.jsonl";
  in = shellQuote(in);
  Run interpreted = daliz(dir, "run s.bundle --threads 2 --in " + in);
  Run compiled = daliz(dir, "run s.bundle --jit --threads 2 --in " + in);
  CHECK(interpreted.exit == 2);  // the samples include deliberate error lines
  INFO(compiled.err);
  CHECK(compiled.exit == (jitAvailable() ? 2 : 1));
  if (jitAvailable()) CHECK(compiled.out == interpreted.out);
  CHECK(lines(interpreted.out).size() >= 400);
}

}  // namespace daliz::testing

namespace daliz::testing {

TEST_CASE("JIT in the background: decides at once, goes native, and stops cleanly when dropped",
          "[jit][embedding]") {
  if (!jitAvailable()) {
    WARN("this build has no JIT");
    return;
  }
  // 300 profiles: several modules, so compilation takes a while and goes on in steps.
  std::string source;
  for (int k = 0; k < 300; ++k)
    source += "profile \"BG-" + std::to_string(1000 + k) +
              "\" {\n  level low\n  scope item i\n  when i.valuation_method == " +
              std::to_string(k % 6 + 1) + " and i.customs_value > " + std::to_string(k * 10) +
              "\n  measures post_release_audit\n  reason \"item {i.no}: {i.customs_value}\"\n}\n";
  CompileOptions o;
  o.runTests = false;
  const std::string bytes = writeBundle(compileProgram(source, o)->program);
  std::string error;
  const auto dev = api::TrustPolicy::development();
  api::EngineOptions background;
  background.jit = true;
  background.jitInBackground = true;
  auto plain = api::Engine::loadBytes(bytes, dev, error);
  auto engine = api::Engine::loadBytes(bytes, dev, background, error);
  REQUIRE((plain && engine));
  api::Session a(plain), b(engine);
  Json d = baseDeclaration("BG");
  d.set("items", Json::array({baseItem(1).set("customs_value", "1500"),
                              baseItem(2).set("valuation_method", 3)}));
  const std::string json = d.dump();
  const std::string expected = a.decide(json).json;
  CHECK_THAT(expected, Catch::Contains("\"profile\":\"BG-1000\""));
  // Decisions while the profiles switch to native code, one by one: always the same bytes.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  size_t decided = 0;
  while (engine->compiledFunctions() < 300 && std::chrono::steady_clock::now() < deadline) {
    REQUIRE(b.decide(json).json == expected);
    ++decided;
  }
  CHECK(engine->compiledFunctions() == 300);
  CHECK(engine->jitMessages().empty());
  CHECK(b.decide(json).json == expected);
  INFO(decided << " decisions while compiling");
  CHECK(decided > 0);

  // Dropped while compiling: the compile threads stop and are joined; nothing leaks or crashes.
  for (int k = 0; k < 3; ++k) {
    auto dropped = api::Engine::loadBytes(bytes, dev, background, error);
    REQUIRE(dropped);
  }
}

}  // namespace daliz::testing

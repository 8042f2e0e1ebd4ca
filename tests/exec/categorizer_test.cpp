// The categorisation of participants (docs/language.md, "Categorisation of participants"):
// first match, the default, unknown conditions, reasons, per-line errors and thread counts,
// the bundle's categorization section (round trip, damage) and the verifier's checks of rule
// code. Every expected category is known by construction: each participant is built to meet
// exactly the rules named in its test.
#include <catch2/catch.hpp>

#include "tests/support/engine_fixture.h"
#include "vm/bundle/bundle_format.h"
#include "vm/bundle/bundle_reader.h"
#include "vm/bundle/bundle_writer.h"
#include "vm/bundle/verifier.h"
#include "vm/bytecode/disassembler.h"
#include "vm/exec/categorize_batch.h"
#include "vm/exec/categorizer.h"

namespace daliz::testing {
namespace {

const char* const kRules = R"(
indicator violation_rate(p: Participant): decimal = p.violations_36m / p.declarations_36m

categorize "PC-2026-Q4" {
  title "Participant risk categories"
  rule "debt"  high when participant.unpaid_debt > 0 reason "unpaid customs debt of {participant.unpaid_debt}"
  rule "rate"  high when violation_rate(participant) > 10% reason "violations in {violation_rate(participant)} of declarations"
  rule "aeo"   low  when participant.aeo != none and participant.violations_36m == 0 reason "AEO {participant.aeo}, no violations in 36 months"
  rule "tax"   high when participant.tax_risk == high reason "tax risk {participant.tax_risk}, name {participant.name}"
  rule "new"   medium when participant.declarations_36m < 5 reason "only {participant.declarations_36m} declarations since {participant.registered}"
  default low reason "no rule applies"
}
)";

// A participant with every required field, meeting no rule of kRules: no debt, 30 declarations
// without violations, no AEO certificate, no tax category.
Json participant(std::string id = "123456789012") {
  return Json::object({{"id", std::move(id)},
                       {"registered", "2015-06-01"},
                       {"declarations_12m", 10},
                       {"declarations_36m", 30},
                       {"violations_12m", 0},
                       {"violations_36m", 0},
                       {"unpaid_debt", Json::number("0")},
                       {"aeo", "none"}});
}

struct Categorized {
  std::vector<std::string> lines;
  BatchCounts counts;
};

// Categorises with the interpreter and, where the program has compiled code, with the JIT too:
// the two must give the same lines (the fixture attaches the JIT's code; engine_fixture.h).
Categorized categorize(const LoadedProgram& program, const std::vector<std::string>& input,
                       unsigned threads = 1) {
  std::vector<std::string_view> views(input.begin(), input.end());
  Categorized out;
  CategorizeBatch(program, threads, Evaluator::Backend::Interpreter)
      .run(views, out.lines, out.counts);
  if (program.compiled) {
    Categorized compiled;
    CategorizeBatch(program, threads, Evaluator::Backend::Default)
        .run(views, compiled.lines, compiled.counts);
    CHECK(compiled.lines == out.lines);
  }
  return out;
}

std::string categorizeOne(const LoadedProgram& program, const Json& p) {
  return categorize(program, {p.dump()}).lines.at(0);
}

std::string expected(const std::string& id, const char* category, const char* rule,
                     const std::string& reason) {
  return "{\"participant\":\"" + id + "\",\"status\":\"ok\",\"category\":\"" + category +
         "\",\"rule\":\"" + rule + "\",\"reason\":\"" + reason + "\",\"bundle\":\"\"}";
}

TEST_CASE("categorize: the default when no rule matches", "[categorize]") {
  auto program = compileProgram(kRules);
  REQUIRE(program->program.categorization.has_value());
  CHECK(categorizeOne(*program, participant()) ==
        expected("123456789012", "low", "default", "no rule applies"));
}

TEST_CASE("categorize: the first matching rule decides, in source order", "[categorize]") {
  auto program = compileProgram(kRules);
  // Meets "debt", "tax" and "new": "debt" comes first.
  Json p = participant();
  p.set("unpaid_debt", Json::number("1250000"));
  p.set("tax_risk", "high");
  p.set("declarations_36m", 3);
  CHECK(categorizeOne(*program, p) ==
        expected("123456789012", "high", "debt", "unpaid customs debt of 1250000.00"));
  // Without the debt, "tax" (before "new").
  p.set("unpaid_debt", 0);
  p.set("name", "Astana Trade LLP");
  CHECK(categorizeOne(*program, p) ==
        expected("123456789012", "high", "tax", "tax risk high, name Astana Trade LLP"));
  // A low category can come before a high one: "aeo" before "tax".
  p.set("aeo", "type2");
  CHECK(categorizeOne(*program, p) ==
        expected("123456789012", "low", "aeo", "AEO type2, no violations in 36 months"));
}

TEST_CASE("categorize: an unknown condition does not match; the next rule is tried",
          "[categorize]") {
  auto program = compileProgram(kRules);
  // No declarations in 36 months: the violation rate divides by zero, so "rate" is unknown;
  // "new" (0 < 5) decides.
  Json p = participant();
  p.set("declarations_36m", 0);
  p.set("violations_36m", 2);
  CHECK(categorizeOne(*program, p) ==
        expected("123456789012", "medium", "new", "only 0 declarations since 2015-06-01"));
  // The tax category missing: `tax_risk == high` is unknown, not false, and does not match;
  // a missing optional value renders as `missing`.
  Json q = participant();
  q.set("tax_risk", nullptr);
  CHECK(categorizeOne(*program, q) ==
        expected("123456789012", "low", "default", "no rule applies"));
  Json r = participant();
  r.set("tax_risk", "high");
  CHECK(categorizeOne(*program, r) ==
        expected("123456789012", "high", "tax", "tax risk high, name missing"));
}

TEST_CASE("categorize: reasons render decimals, money, enums and dates", "[categorize]") {
  auto program = compileProgram(kRules);
  Json p = participant();
  p.set("violations_36m", 4);  // 4 / 30 = 0.133333, over 10%
  CHECK(categorizeOne(*program, p) ==
        expected("123456789012", "high", "rate", "violations in 0.133333 of declarations"));
}

TEST_CASE("categorize: a bad line gives an error line, the others are categorised",
          "[categorize]") {
  auto program = compileProgram(kRules);
  Json bad = participant("2");
  bad.set("aeo", "type4");
  Json noDebt = participant("3");
  noDebt.erase("unpaid_debt");
  auto out = categorize(*program, {participant("1").dump(), bad.dump(), "not json", noDebt.dump(),
                                   participant("5").dump()});
  REQUIRE(out.lines.size() == 5);
  CHECK(out.counts.ok == 2);
  CHECK(out.counts.errors == 3);
  CHECK(out.lines[0] == expected("1", "low", "default", "no rule applies"));
  CHECK(out.lines[1] ==
        "{\"participant\":\"2\",\"status\":\"error\",\"error\":\"aeo: expected none, type1, type2 "
        "or type3, got "
        "\\\"type4\\\"\",\"bundle\":\"\"}");
  CHECK(out.lines[2].rfind("{\"participant\":null,\"status\":\"error\",\"error\":\"not JSON", 0) ==
        0);
  CHECK(out.lines[3].find("\"participant\":\"3\",\"status\":\"error\"") != std::string::npos);
  CHECK(out.lines[3].find("unpaid_debt") != std::string::npos);
  CHECK(out.lines[4] == expected("5", "low", "default", "no rule applies"));
}

TEST_CASE("categorize: the same bytes for 1 and 2 threads, in input order", "[categorize]") {
  auto program = compileProgram(kRules);
  std::vector<std::string> input;
  for (int i = 0; i < 300; ++i) {
    Json p = participant("P-" + std::to_string(i));
    if (i % 3 == 0) p.set("unpaid_debt", Json::number(std::to_string(i) + ".5"));
    if (i % 5 == 0) p.set("aeo", "type1");
    if (i % 7 == 0) p.set("declarations_36m", 0);
    input.push_back(i % 41 == 0 ? std::string("{\"id\":\"broken\"") : p.dump());
  }
  auto one = categorize(*program, input, 1);
  auto two = categorize(*program, input, 2);
  CHECK(one.lines == two.lines);
  CHECK(one.counts.ok == two.counts.ok);
  CHECK(one.counts.errors == 8);
  CHECK(one.lines[3].rfind(
            "{\"participant\":\"P-3\",\"status\":\"ok\",\"category\":\"high\",\"rule\":\"debt\"",
            0) == 0);
}

TEST_CASE("categorize: a program without a categorize block has none", "[categorize]") {
  auto program = compileProgram(
      R"(profile "P" { level high  when declaration.container  measures documentary_check })");
  CHECK_FALSE(program->program.categorization.has_value());
}

TEST_CASE("categorize: disasm shows the rules and the default", "[categorize]") {
  auto program = compileProgram(kRules);
  const std::string text = disassemble(program->program, "");
  CHECK(
      text.find("categorize \"PC-2026-Q4\": 5 rules and a default over record Participant (R0)") !=
      std::string::npos);
  CHECK(text.find("rule \"debt\" category high") != std::string::npos);
  CHECK(text.find("default category low") != std::string::npos);
}

// ---- the bundle's categorization section ----

std::string reseal(std::string body) {
  for (uint8_t b : bundle::contentHash(body)) body.push_back(static_cast<char>(b));
  return body;
}

uint64_t readLe(const std::string& b, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i)
    v |= static_cast<uint64_t>(static_cast<uint8_t>(b[at + i])) << (8 * i);
  return v;
}

size_t payloadOffset(const std::string& bytes, size_t section) {
  size_t pos = bundle::kPreambleSize;
  for (size_t i = 0; i < section; ++i)
    pos += bundle::kSectionHeaderSize + readLe(bytes, pos + 4, 8);
  REQUIRE(readLe(bytes, pos, 4) == bundle::kSections[section].tag);
  return pos + bundle::kSectionHeaderSize;
}

TEST_CASE("categorize: the bundle round trip keeps the block and the bytes",
          "[categorize][bundle]") {
  auto program = compileProgram(kRules);
  const std::string bytes = writeBundle(program->program);
  LoadResult r = readBundle(bytes);
  INFO(r.error);
  REQUIRE(r.program.has_value());
  REQUIRE(r.program->categorization.has_value());
  const CategorizationSpec &a = *program->program.categorization, &b = *r.program->categorization;
  CHECK(b.id == "PC-2026-Q4");
  CHECK(b.title == "Participant risk categories");
  CHECK(b.record == a.record);
  CHECK(b.idField == a.idField);
  REQUIRE(b.rules.size() == 5);
  for (size_t i = 0; i < a.rules.size(); ++i) {
    CHECK(b.rules[i].id == a.rules[i].id);
    CHECK(b.rules[i].category == a.rules[i].category);
    CHECK(b.rules[i].registers == a.rules[i].registers);
    CHECK(b.rules[i].code.size() == a.rules[i].code.size());
  }
  CHECK(b.fallback.category == 0);
  CHECK(writeBundle(*r.program) == bytes);
  // Loaded from the bundle, it categorises as compiled.
  std::string error;
  auto loaded = prepareProgram(std::move(*r.program), r.contentHash, error);
  REQUIRE(loaded);
  CHECK(categorizeOne(*loaded, participant()).find("\"rule\":\"default\"") != std::string::npos);
}

TEST_CASE("categorize: damage to the categorization section never loads a bad program",
          "[categorize][bundle]") {
  auto program = compileProgram(kRules);
  const std::string bytes = writeBundle(program->program);
  const std::string body = bytes.substr(0, bytes.size() - bundle::kHashSize);
  const size_t begin = payloadOffset(body, bundle::kCategorization);
  size_t refused = 0;
  for (size_t at = begin; at < body.size(); ++at) {
    for (uint8_t mask : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xFF}}) {
      std::string bad = body;
      bad[at] = static_cast<char>(static_cast<uint8_t>(bad[at]) ^ mask);
      LoadResult r = readBundle(reseal(bad));
      if (!r.program) {
        ++refused;
        CHECK_FALSE(r.error.empty());
        continue;
      }
      CHECK(verifyProgram(*r.program) == "");  // whatever loads has passed the verifier
    }
  }
  CHECK(refused > 0);
  // Cut inside the section: up to the next section's tag and length (4 + 8 bytes).
  const size_t end = payloadOffset(body, bundle::kPlans) - 12;
  for (size_t n = begin; n < end; ++n) {
    LoadResult r = readBundle(reseal(body.substr(0, n)));
    REQUIRE_FALSE(r.program.has_value());
    CHECK(r.error.find("(section categorization)") != std::string::npos);
  }
}

// ---- the verifier on rule code ----

std::string verifyMutated(void (*mutate)(Program&)) {
  Program p = compileProgram(kRules)->program;
  mutate(p);
  return verifyProgram(p);
}

TEST_CASE("categorize: the verifier checks rule code with R0 the participant",
          "[categorize][verifier]") {
  CHECK(verifyMutated([](Program&) {}) == "");
  // R0 typed as the participant, not the declaration: a field index past the Participant record.
  std::string e = verifyMutated([](Program& p) {
    auto& code = p.categorization->rules[0].code;
    code.insert(code.begin(), Insn{static_cast<uint16_t>(Op::GETF), 1, 0, 200});
  });
  CHECK(e.find("categorization \"PC-2026-Q4\" rule \"debt\" pc 0 GETF: field 200 is out of "
               "range (record Participant") == 0);
  // A register read as a decimal that holds an int.
  e = verifyMutated([](Program& p) {
    auto& code = p.categorization->fallback.code;
    code.insert(code.begin(), Insn{static_cast<uint16_t>(Op::RVAL), 0,
                                   static_cast<uint16_t>(RenderKind::Money), 0});
  });
  CHECK(e.find("categorization \"PC-2026-Q4\" default pc 0 RVAL: operand A (register 0) "
               "holds record Participant, needs decimal") == 0);
  CHECK(verifyMutated([](Program& p) { p.categorization->rules[1].category = 3; }) ==
        "categorization \"PC-2026-Q4\" rule \"rate\": category 3 is out of range");
  CHECK(verifyMutated([](Program& p) {
          p.categorization->record = 99;
        }).find("categorization \"PC-2026-Q4\": record 99 is out of range") == 0);
  CHECK(verifyMutated([](Program& p) { p.categorization->idField = 2; })
            .find("categorization \"PC-2026-Q4\": id field 2 of record Participant is not a string "
                  "field") == 0);
  CHECK(verifyMutated([](Program& p) { p.categorization->rules[1].id = "debt"; }) ==
        "categorization \"PC-2026-Q4\": rule id \"debt\" is empty, reserved or repeated");
  CHECK(verifyMutated([](Program& p) { p.categorization->fallback.registers = 1; }) ==
        "categorization \"PC-2026-Q4\" default: needs at least 2 registers, has 1");
  CHECK(verifyMutated([](Program& p) {
          auto& code = p.categorization->rules[0].code;
          code.insert(code.begin(), Insn{static_cast<uint16_t>(Op::SAMPLE), 0, 0, 1});
        }) ==
        "categorization \"PC-2026-Q4\" rule \"debt\": SAMPLE is not allowed in a categorisation "
        "rule");
  CHECK(verifyMutated([](Program& p) {
          p.categorization->rules[2].code.pop_back();
        }).find("categorization \"PC-2026-Q4\" rule \"aeo\"") == 0);
}

}  // namespace
}  // namespace daliz::testing

namespace daliz::testing {
namespace {

TEST_CASE("categorize: `rule`, `default` and `categorize` still name fields",
          "[categorize][frontend]") {
  CompileResult r = tryCompile(R"(
record Extra { rule: int, default: int, categorize: int }
indicator total(e: Extra): int = e.rule + e.default + e.categorize
categorize "PC" { default medium reason "all medium" }
)");
  INFO(r.diagnostics);
  CHECK(r.program != nullptr);
}

}  // namespace
}  // namespace daliz::testing

// The two back ends against each other on generated input: random, well-typed profiles over the
// whole language (arithmetic with overflow, decimals and money, dates, strings with Cyrillic,
// hs parts, sets, tables, regexes, quantifiers, missing values, Kleene logic, rendered reasons)
// and random declarations (missing optional fields, extreme numbers, 0 to 4 items, 0 to 3
// documents). testing::Engine decides every declaration with the interpreter and with the JIT
// and fails on the first byte that differs (engine_fixture.h), so this test only has to make
// the inputs and check that they exercise both answers.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "tests/support/engine_fixture.h"
#include "vm/jit/jit.h"

namespace daliz::testing {
namespace {

// A generator of well-typed expressions. Every subexpression is parenthesised, so precedence
// never decides what the text means; `depth` bounds the nesting.
class ExprGen {
 public:
  explicit ExprGen(uint32_t seed) : rng_(seed) {}

  size_t pick(size_t n) { return rng_() % n; }
  bool chance(unsigned percent) { return pick(100) < percent; }
  template <size_t N>
  const char* any(const char* const (&options)[N]) {
    return options[pick(N)];
  }

  // `item`: the goods item in scope (a quantifier variable or the profile's `i`), or "".
  std::string boolean(int depth, const std::string& item) {
    if (depth <= 0) return compare(0, item);
    switch (pick(12)) {
      case 0:
        return "not (" + boolean(depth - 1, item) + ")";
      case 1:
      case 2:
        return "(" + boolean(depth - 1, item) + ") and (" + boolean(depth - 1, item) + ")";
      case 3:
      case 4:
        return "(" + boolean(depth - 1, item) + ") or (" + boolean(depth - 1, item) + ")";
      case 5: {
        std::string x = fresh();
        return std::string(chance(50) ? "any" : "all") + "(" + x +
               " in declaration.items: " + boolean(depth - 1, x) + ")";
      }
      case 6:
        return "(" + anyValue(depth - 1, item) + ") " + (chance(50) ? "is missing" : "is present");
      default:
        return compare(depth - 1, item);
    }
  }

  std::string compare(int depth, const std::string& item) {
    static const char* const kCmp[] = {"==", "!=", "<", "<=", ">", ">="};
    static const char* const kEq[] = {"==", "!="};
    switch (pick(11)) {
      case 0:
        return "(" + integer(depth, item) + ") " + any(kCmp) + " (" + integer(depth, item) + ")";
      case 1:
        return "(" + decimal(depth, item) + ") " + any(kCmp) + " (" + numeric(depth, item) + ")";
      case 2:
        return "(" + money(depth, item) + ") " + any(kCmp) + " (" + money(depth, item) + ")";
      case 3:
        return "(" + date(depth, item) + ") " + any(kCmp) + " (" + date(depth, item) + ")";
      case 4: {
        static const char* const kMethods[] = {"contains", "starts_with", "ends_with"};
        static const char* const kNeedles[] = {"\"t\"", "\"T-\"",     "\"ки\"",
                                               "\"\"",  "\"cotton\"", "\"Ф\""};
        return "(" + string(depth, item) + ")." + any(kMethods) + "(" + any(kNeedles) + ")";
      }
      case 5: {
        static const char* const kRegex[] = {"\"(?i)cott?on\"", "\"^[A-Z]\"", "\"\\\\d{2}\"",
                                             "\"(?i)футбол\"", "\"[а-я]+\\\\s\""};
        return "(" + string(depth, item) + ").matches(" + any(kRegex) + ")";
      }
      case 6: {
        static const char* const kSets[] = {
            "{\"61\", \"6201\"..\"6205\", \"8471\"}", "{\"6109100000\"}",
            "{\"01\"..\"05\", \"84\", \"610910\"}", "{\"6109\", \"62\"}"};
        if (item.empty()) {  // the declaration has no hs field of its own: through its items
          std::string x = fresh();
          return "any(" + x + " in declaration.items: (" + hs(x) + ") in " + any(kSets) + ")";
        }
        return "(" + hs(item) + ") " + (chance(70) ? "in " : "not in ") + any(kSets);
      }
      case 7: {
        static const char* const kSets[] = {"{1, 2, 3}", "{4}",
                                            "{0, 6, 7, 8, 9, 10, 11, 12, 13, 14}"};
        return "(" + integer(depth, item) + ") in " + any(kSets);
      }
      case 8: {
        static const char* const kSets[] = {"{\"CN\", \"TR\"}", "{\"KZ\"}",
                                            "{\"AF\", \"IR\", \"KP\", \"CN\"}"};
        return "(" + country(item) + ") in " + any(kSets);
      }
      case 9: {
        static const char* const kCodes[] = {"\"4000000\"", "\"4010000\"", "\"40\""};
        std::string code = item.empty() ? "declaration.procedure"
                           : chance(50) ? item + ".procedure"
                                        : item + ".preference";
        return chance(50) ? code + " " + any(kEq) + " " + any(kCodes)
                          : code + " in {\"4000000\", \"A\", \"40\"}";
      }
      default: {
        static const char* const kStrings[] = {"\"T-shirts, cotton, knitted\"", "\"\"",
                                               "\"ФУТБОЛКИ\""};
        return "(" + string(depth, item) + ") " + any(kEq) + " " + any(kStrings);
      }
    }
  }

  std::string integer(int depth, const std::string& item) {
    static const char* const kLiterals[] = {
        "0",  "1", "3", "-2", "9223372036854775807", "-9223372036854775807", "4611686018427387904",
        "100"};
    if (depth <= 0) {
      switch (pick(6)) {
        case 0:
          return any(kLiterals);
        case 1:
          return "len(declaration.items)";
        case 2:
          return "declaration.registered." + std::string(chance(50) ? "year" : "weekday");
        default:
          if (item.empty()) return "len(declaration.items)";
          return chance(30) ? "len(" + item + ".documents)"
                            : item + (chance(50) ? ".no" : ".valuation_method");
      }
    }
    static const char* const kOps[] = {" + ", " - ", " * "};
    switch (pick(8)) {
      case 0:
      case 1:
        return "(" + integer(depth - 1, item) + ")" + any(kOps) + "(" + integer(depth - 1, item) +
               ")";
      case 2:
        return "-(" + integer(depth - 1, item) + ")";
      case 3: {
        std::string x = fresh();
        return "count(" + x + " in declaration.items: " + boolean(depth - 1, x) + ")";
      }
      case 4:
        return "(" + date(depth - 1, item) + ") - (" + date(depth - 1, item) + ")";
      case 5: {
        std::string x = fresh();
        return "(max(" + x + " in declaration.items: " + x + ".valuation_method) ?? " +
               any(kLiterals) + ")";
      }
      case 6:
        return item.empty() ? "len(declaration.exporter.name)"
                            : "len(" + string(depth - 1, item) + ")";
      default:
        return integer(0, item);
    }
  }

  std::string decimal(int depth, const std::string& item) {
    static const char* const kLiterals[] = {"12.5", "0.000001", "99999999999999999999999999.5",
                                            "-3", "0.5"};
    if (depth <= 0) {
      if (item.empty() || chance(30))
        return chance(50) ? any(kLiterals) : "declaration.exchange_rate";
      static const char* const kFields[] = {".gross_weight", ".net_weight",
                                            ".supplementary_quantity", ".statistical_value"};
      return item + any(kFields);
    }
    static const char* const kOps[] = {" + ", " - ", " * ", " / "};
    switch (pick(6)) {
      case 0:
      case 1:
        return "(" + decimal(depth - 1, item) + ")" + any(kOps) + "(" + numeric(depth - 1, item) +
               ")";
      case 2:
        return "(" + integer(depth - 1, item) + ") / (" + integer(depth - 1, item) + ")";
      case 3:
        return "-(" + decimal(depth - 1, item) + ")";
      case 4:
        return "decimal(" + money(depth - 1, item) + ")";
      default: {
        std::string x = fresh();
        return "(min(" + x + " in declaration.items: " + x + ".net_weight) ?? 1.5)";
      }
    }
  }
  std::string numeric(int depth, const std::string& item) {
    return chance(50) ? integer(depth, item) : decimal(depth, item);
  }

  std::string money(int depth, const std::string& item) {
    if (depth <= 0) {
      if (item.empty() || chance(30))
        return chance(50) ? "declaration.total_customs_value" : "PRICE[\"6109\", \"CN\"]";
      return item + (chance(60) ? ".customs_value" : ".invoice_value");
    }
    switch (pick(8)) {
      case 0:
        return "(" + money(depth - 1, item) + ")" + (chance(50) ? " + " : " - ") + "(" +
               money(depth - 1, item) + ")";
      case 1:
        return "(" + money(depth - 1, item) + ") * (" + numeric(depth - 1, item) + ")";
      case 2:
        return "(" + money(depth - 1, item) + ") / (" + numeric(depth - 1, item) + ")";
      case 3:
        return "-(" + money(depth - 1, item) + ")";
      case 4:
        return "money(" + decimal(depth - 1, item) + ")";
      case 5: {
        std::string x = fresh();
        return "sum(" + x + " in declaration.items: " + x +
               (chance(50) ? ".customs_value)" : ".invoice_value)");
      }
      case 6:
        return item.empty() ? "PRICE[\"61\", declaration.dispatch_country]"
                            : "PRICE[" + item + ".hs_code, " + item + ".origin]";
      default:
        return money(0, item);
    }
  }

  std::string date(int depth, const std::string& item) {
    if (depth <= 0 || chance(40)) return chance(70) ? "declaration.registered" : "2025-03-01";
    if (!item.empty() && chance(40)) {
      std::string d = fresh();
      return "(max(" + d + " in " + item + ".documents: " + d + ".date) ?? 2024-12-31)";
    }
    return "(" + date(depth - 1, item) + ") " + (chance(50) ? "+ " : "- ") + "(" +
           integer(depth - 1, item) + ")";
  }

  std::string string(int depth, const std::string& item) {
    std::string base = item.empty()
                           ? (chance(50) ? "declaration.exporter.name" : "declaration.declarant.id")
                           : item + ".description";
    if (depth <= 0) return base;
    switch (pick(3)) {
      case 0:
        return "(" + base + ").lower()";
      case 1:
        return "(" + base + ").upper()";
      default:
        return base;
    }
  }

  // The hs code of `item` (not empty), or one of its parts.
  std::string hs(const std::string& item) {
    static const char* const kParts[] = {"", ".chapter", ".heading", ".subheading"};
    return item + ".hs_code" + any(kParts);
  }
  std::string country(const std::string& item) {
    return item.empty() ? "declaration.dispatch_country" : item + ".origin";
  }

  std::string anyValue(int depth, const std::string& item) {
    switch (pick(5)) {
      case 0:
        return integer(depth, item);
      case 1:
        return decimal(depth, item);
      case 2:
        return money(depth, item);
      case 3:
        return date(depth, item);
      default:
        return string(depth, item);
    }
  }

  // `let`s of every kind of value, and a reason that renders them all (a missing one renders as
  // "missing"). An interpolation cannot hold a string literal, so the values are `let`s.
  std::string lets(const std::string& item) {
    return "  let v_i = " + integer(2, item) + "\n  let v_d = " + decimal(2, item) +
           "\n  let v_m = " + money(2, item) + "\n  let v_t = " + date(1, item) +
           "\n  let v_s = " + string(1, item) +
           "\n  let v_h = " + (item.empty() ? country(item) : hs(item)) +
           "\n  let v_c = " + country(item) + "\n  let v_b = " + boolean(1, item) + "\n";
  }
  static std::string reason() {
    return "i={v_i} d={v_d} m={v_m} t={v_t} s={v_s} h={v_h} c={v_c} b={v_b} "
           "k={declaration.declarant.category}";
  }

 private:
  std::string fresh() { return "q" + std::to_string(++names_); }

  std::mt19937 rng_;
  int names_ = 0;
};

std::string profileSource(ExprGen& g, int n) {
  const bool itemScope = g.chance(60);
  const std::string item = itemScope ? "i" : "";
  std::string s = "profile \"G-" + std::to_string(1000 + n) + "\" {\n  level " +
                  g.any({"low", "medium", "high"}) + "\n";
  if (itemScope) s += "  scope item i\n";
  s += g.lets(item);
  s += "  when " + g.boolean(3, item) + "\n";
  s += std::string("  measures ") +
       g.any({"documentary_check", "customs_examination", "post_release_audit"}) + "\n";
  s += "  reason \"" + ExprGen::reason() + "\"\n}\n";
  return s;
}

Json randomItem(ExprGen& g, int no) {
  static const char* const kCodes[] = {"6109100000", "6109",       "61",
                                       "6204620000", "8471300000", "0102290000",
                                       "6110200000", "8517130000", "0401"};
  static const char* const kDescriptions[] = {
      "T-shirts, cotton, knitted", "Футболки хлопковые", "ФУТБОЛКИ",    "",
      "Смартфон 5G 128GB",         "cotton 100%",        "Ұялы телефон"};
  static const char* const kNumbers[] = {
      "0", "1", "100", "0.000001", "12.345678", "99999999999999999999999999", "-5", "4500", "1e3"};
  static const char* const kOrigins[] = {"CN", "TR", "KZ", "AF", "US"};
  Json it = baseItem(no);
  it.set("hs_code", g.any(kCodes));
  it.set("description", g.any(kDescriptions));
  it.set("origin", g.any(kOrigins));
  it.set("gross_weight", Json::number(g.any(kNumbers)));
  it.set("net_weight", Json::number(g.any(kNumbers)));
  it.set("valuation_method", static_cast<int>(1 + g.pick(6)));
  it.set("customs_value", Json::number(g.any(kNumbers)));
  if (g.chance(50)) it.set("invoice_value", Json::number(g.any(kNumbers)));
  if (g.chance(40)) it.set("supplementary_quantity", Json::number(g.any(kNumbers)));
  if (g.chance(30)) it.set("statistical_value", Json::number(g.any(kNumbers)));
  if (g.chance(30)) it.set("preference", g.any({"A", "B", "40"}));
  if (g.chance(30)) it.set("procedure", "4010000");
  Json docs = Json::array();
  for (size_t k = g.pick(4); k > 0; --k) {
    Json d = Json::object({{"kind", g.chance(70) ? "04021" : "01011"}});
    if (g.chance(60))
      d.set("date", g.any({"2025-02-28", "2024-01-01", "0001-01-02", "9999-12-30"}));
    docs.push(d);
  }
  it.set("documents", docs);
  return it;
}

Json randomDeclaration(ExprGen& g, int n) {
  Json d = baseDeclaration("GD-" + std::to_string(n));
  d.set("registered",
        g.any({"2025-03-01", "2024-02-29", "2026-12-31", "0001-01-01", "9999-12-31"}));
  d.set("dispatch_country", g.any({"CN", "TR", "KZ"}));
  if (g.chance(30)) d.erase("declarant.id");
  if (g.chance(30)) d.erase("declarant.category");
  if (g.chance(50)) d.set("exchange_rate", Json::number(g.any({"470.5", "0", "1e-6"})));
  d.set("total_customs_value",
        Json::number(g.any({"0", "4500", "99999999999999999999999999.999999"})));
  Json items = Json::array();
  for (size_t k = g.pick(5); k > 0; --k)
    items.push(randomItem(g, static_cast<int>(items.size() + 1)));
  d.set("items", items);
  return d;
}

}  // namespace

TEST_CASE(
    "JIT: generated profiles and declarations get byte-identical decisions from both back ends",
    "[jit][differential]") {
  if (!jitAvailable()) {
    WARN("this build has no JIT: nothing to compare");
    return;
  }
  constexpr int kRounds = 24, kProfiles = 25, kDeclarations = 120;
  CompileOptions options;
  options.files = {{"prices.csv",
                    "code,origin,value\n61,CN,100\n6109,CN,200\n6109100000,CN,400\n6109,TR,600\n"}};
  size_t decided = 0, hits = 0, errors = 0, missingRendered = 0;
  for (int round = 0; round < kRounds; ++round) {
    ExprGen g(static_cast<uint32_t>(20261206 + round));
    std::string source = "table PRICE(code: hs, origin: country) -> money from \"prices.csv\"\n";
    for (int p = 0; p < kProfiles; ++p) source += profileSource(g, p);
    INFO("round " << round << ", profiles:\n" << source);
    CompileResult compiled = tryCompile(source, options);
    INFO(compiled.diagnostics);
    REQUIRE(compiled.program);
    REQUIRE(compiled.program->compiled);  // compileUncached attached the JIT's code
    Engine engine(compiled.program);
    for (int k = 0; k < kDeclarations; ++k) {
      // decide() fails the test when the two back ends' lines differ in any byte.
      std::string line = engine.decide(randomDeclaration(g, k));
      ++decided;
      for (size_t at = line.find("\"profile\":"); at != std::string::npos;
           at = line.find("\"profile\":", at + 1))
        ++hits;
      errors += line.find("\"status\":\"error\"") != std::string::npos;
      missingRendered += line.find("=missing") != std::string::npos;
    }
  }
  // The inputs must exercise both answers, or the comparison proves little.
  INFO(decided << " declarations, " << hits << " hits, " << errors << " errors, " << missingRendered
               << " with a missing value rendered");
  CHECK(decided == static_cast<size_t>(kRounds * kDeclarations));
  CHECK(hits > decided);                  // many profiles fire
  CHECK(missingRendered > decided / 10);  // missing values flow through
  CHECK(errors < decided / 2);            // most declarations are valid
}

}  // namespace daliz::testing

// Three-valued (Kleene) logic at run time, spec section 5: the full truth tables of and, or,
// not over {true, false, unknown} with unknown coming from a missing optional field;
// comparisons with a missing operand; `is missing` / `is present` / `??`, which never give
// unknown; and "a profile fires only when its condition is true".
#include <catch2/catch.hpp>

#include "tests/support/engine_fixture.h"

namespace daliz::testing {
namespace {

enum class Tri { True, False, Unknown };

const char* text(Tri t) { return t == Tri::True ? "true" : t == Tri::False ? "false" : "missing"; }

// a = invoice_total > 0, b = exchange_rate > 0: "1" → true, "0" → false, absent → unknown.
void setOperand(Json& d, const char* field, Tri t) {
  if (t == Tri::Unknown) d.erase(field);
  else d.set(field, t == Tri::True ? "1" : "0");
}

Tri kleeneAnd(Tri a, Tri b) {
  if (a == Tri::False || b == Tri::False) return Tri::False;
  if (a == Tri::Unknown || b == Tri::Unknown) return Tri::Unknown;
  return Tri::True;
}
Tri kleeneOr(Tri a, Tri b) {
  if (a == Tri::True || b == Tri::True) return Tri::True;
  if (a == Tri::Unknown || b == Tri::Unknown) return Tri::Unknown;
  return Tri::False;
}
Tri kleeneNot(Tri a) { return a == Tri::True ? Tri::False : a == Tri::False ? Tri::True : Tri::Unknown; }

const std::string kTruthTables = registerCorpus("three-valued logic", R"dlz(
profile "VALUES" {
  level low
  let a = declaration.invoice_total > 0
  let b = declaration.exchange_rate > 0
  when true
  measures documentary_check
  reason "{a}|{b}|{a and b}|{b and a}|{a or b}|{b or a}|{not a}|{not b}|{not (a and b)}|{not a or not b}"
}
profile "AND"    { level low  when declaration.invoice_total > 0 and declaration.exchange_rate > 0  measures documentary_check }
profile "AND_BA" { level low  when declaration.exchange_rate > 0 and declaration.invoice_total > 0  measures documentary_check }
profile "OR"     { level low  when declaration.invoice_total > 0 or declaration.exchange_rate > 0  measures documentary_check }
profile "OR_BA"  { level low  when declaration.exchange_rate > 0 or declaration.invoice_total > 0  measures documentary_check }
profile "NOT_A"  { level low  when not (declaration.invoice_total > 0)  measures documentary_check }
profile "A"      { level low  when declaration.invoice_total > 0  measures documentary_check }
)dlz");

TEST_CASE("and, or, not: full truth tables over true, false, unknown", "[vm][logic]") {
  Engine e(kTruthTables);
  const Tri all[] = {Tri::True, Tri::False, Tri::Unknown};
  for (Tri a : all) {
    for (Tri b : all) {
      Json d = baseDeclaration();
      setOperand(d, "invoice_total", a);
      setOperand(d, "exchange_rate", b);
      INFO("a = " << text(a) << ", b = " << text(b));
      Tri andAB = kleeneAnd(a, b), orAB = kleeneOr(a, b);
      std::string expected = std::string(text(a)) + "|" + text(b) + "|" + text(andAB) + "|" + text(andAB) + "|" +
                             text(orAB) + "|" + text(orAB) + "|" + text(kleeneNot(a)) + "|" + text(kleeneNot(b)) +
                             "|" + text(kleeneNot(andAB)) + "|" + text(kleeneOr(kleeneNot(a), kleeneNot(b)));
      CHECK(e.reason(d, "VALUES") == expected);
      // A profile fires exactly when its condition is true: never on unknown.
      std::vector<std::string> want;
      if (a == Tri::True) want.push_back("A");
      if (andAB == Tri::True) want.insert(want.end(), {"AND", "AND_BA"});
      if (kleeneNot(a) == Tri::True) want.push_back("NOT_A");
      if (orAB == Tri::True) want.insert(want.end(), {"OR", "OR_BA"});
      want.push_back("VALUES");
      CHECK(e.hits(d) == want);
    }
  }
}

TEST_CASE("the tables, spelled out for the cases analysts get wrong", "[vm][logic]") {
  Engine e(kTruthTables);
  auto values = [&](Tri a, Tri b) {
    Json d = baseDeclaration();
    setOperand(d, "invoice_total", a);
    setOperand(d, "exchange_rate", b);
    return e.reason(d, "VALUES");
  };
  // false and unknown = false; true or unknown = true; not unknown = unknown.
  CHECK(values(Tri::False, Tri::Unknown) == "false|missing|false|false|missing|missing|true|missing|true|true");
  CHECK(values(Tri::True, Tri::Unknown) == "true|missing|missing|missing|true|true|false|missing|missing|missing");
  CHECK(values(Tri::Unknown, Tri::Unknown) ==
        "missing|missing|missing|missing|missing|missing|missing|missing|missing|missing");
}

// ---------------------------------------------------------------------------------------
const std::string kComparisons = registerCorpus("comparisons with missing", R"dlz(
table HS_OF(c: country) -> hs from "hs.csv"
table COUNTRY_OF(c: currency) -> country from "country.csv"

profile "CMP" {
  level low
  scope item i
  let ni = len(declaration.declarant.id)
  let nd = declaration.invoice_total
  let nm = i.invoice_value
  let dt = min(x in i.documents: x.date)
  let st = declaration.declarant.id
  let cd = declaration.delivery_terms
  let en = declaration.declarant.category
  let hs = HS_OF[i.origin]
  let co = COUNTRY_OF[declaration.contract_currency]
  let bo = nd > 0
  let s1 = st == "X"
  let s2 = st != "X"
  let c1 = cd == "EXW"
  let c2 = cd != "EXW"
  let h1 = hs == "6109"
  let h2 = hs != "6109"
  let h3 = hs in { "61" }
  let k1 = co == "CN"
  let k2 = co in EAEU
  let n1 = ni in { 1, 2 }
  let e1 = en in { low }
  when true
  measures documentary_check
  reason "int:{ni == 1}{1 == ni}{ni != 1}{ni < 1}{ni <= 1}{ni > 1}{ni >= 1}{ni + 1 > 0}{n1} dec:{nd == 1}{nd != 1}{nd < 1}{nd <= 1}{1 > nd}{nd >= 1}{nd == nd} money:{nm == 1}{nm != 1}{nm < 1}{nm <= nm}{nm > 1}{nm >= 1} date:{dt == 2025-01-01}{dt != 2025-01-01}{dt < declaration.registered}{dt <= 2025-01-01}{dt > 2025-01-01}{dt >= 2025-01-01} str:{s1}{s2} code:{c1}{c2} enum:{en == low}{en != low}{en < high}{en <= high}{en > low}{en >= low}{e1} hs:{h1}{h2}{h3} country:{k1}{k2} bool:{bo == true}{bo != false}{not bo}"
}
)dlz",
                                                   [] {
                                                     CompileOptions o;
                                                     o.files = {{"hs.csv", "c,value\nAF,6109\n"},
                                                                {"country.csv", "c,value\nEUR,DE\n"}};
                                                     return o;
                                                   }());

TEST_CASE("every comparison with a missing operand is unknown", "[vm][logic]") {
  CompileOptions o;
  o.files = {{"hs.csv", "c,value\nAF,6109\n"}, {"country.csv", "c,value\nEUR,DE\n"}};
  Engine e(kComparisons, o);
  Json d = baseDeclaration();
  d.erase("declarant.id").erase("declarant.category").erase("invoice_total");
  // baseItem has no invoice_value and no document dates; origin CN has no HS_OF row, USD no
  // COUNTRY_OF row.
  CHECK(e.reason(d, "CMP") ==
        "int:missingmissingmissingmissingmissingmissingmissingmissingmissing "
        "dec:missingmissingmissingmissingmissingmissingmissing "
        "money:missingmissingmissingmissingmissingmissing "
        "date:missingmissingmissingmissingmissingmissing str:missingmissing code:missingmissing "
        "enum:missingmissingmissingmissingmissingmissingmissing hs:missingmissingmissing "
        "country:missingmissing bool:missingmissingmissing");
  // The same comparisons with every operand present are true or false.
  d.set("declarant.id", "X").set("declarant.category", "low").set("invoice_total", "1");
  d.set("delivery_terms", "EXW").set("items[0].invoice_value", "1").set("items[0].origin", "AF");
  d.set("items[0].documents[0].date", "2025-01-01").set("contract_currency", "EUR");
  CHECK(e.reason(d, "CMP") ==
        "int:truetruefalsefalsetruefalsetruetruetrue dec:truefalsefalsetruefalsetruetrue "
        "money:truefalsefalsetruefalsetrue date:truefalsetruetruefalsetrue str:truefalse code:truefalse "
        "enum:truefalsetruetruefalsetruetrue hs:truefalsetrue country:falsefalse bool:truetruefalse");
}

// ---------------------------------------------------------------------------------------
const std::string kMissingness = registerCorpus("missingness never unknown", R"dlz(
profile "IS" {
  level low
  scope item i
  let u = declaration.invoice_total > 0
  let q = i.invoice_value
  when true
  measures documentary_check
  reason "{q is missing}{q is present}{u is missing}{u is present}{i.customs_value is missing}{(q > 0) is missing}|{q ?? 7}|{u ?? true}|{u ?? false}|{(q ?? 0) > 0}|{q ?? i.customs_value}|{declaration.invoice_total ?? declaration.exchange_rate ?? 3}"
}
)dlz");

TEST_CASE("is missing, is present and ?? are never unknown", "[vm][logic]") {
  Engine e(kMissingness);
  Json d = baseDeclaration();  // no invoice_total, no invoice_value, no exchange_rate
  CHECK(e.reason(d, "IS") == "truefalsetruefalsefalsetrue|7.00|true|false|false|4500.00|3");
  d.set("invoice_total", "2").set("items[0].invoice_value", "5");
  CHECK(e.reason(d, "IS") == "falsetruefalsetruefalsefalse|5.00|true|true|true|5.00|2");
  d.set("invoice_total", "-2").erase("items[0].invoice_value").set("exchange_rate", "470");
  CHECK(e.reason(d, "IS") == "truefalsefalsetruefalsetrue|7.00|false|false|false|4500.00|-2");
  d.erase("invoice_total");
  CHECK(e.reason(d, "IS").substr(e.reason(d, "IS").rfind('|')) == "|470");
}

// ---------------------------------------------------------------------------------------
const std::string kFiresOnlyOnTrue = registerCorpus("fires only on true", R"dlz(
profile "U"        { level low  when declaration.invoice_total > 0  measures documentary_check }
profile "NOT_U"    { level low  when not (declaration.invoice_total > 0)  measures documentary_check }
profile "NE"       { level low  when declaration.invoice_total != 0  measures documentary_check }
profile "EQ_SELF"  { level low  when declaration.invoice_total == declaration.invoice_total  measures documentary_check }
profile "U_OR_T"   { level low  when declaration.invoice_total > 0 or true  measures documentary_check }
profile "U_AND_F"  { level low  when not (declaration.invoice_total > 0 and false)  measures documentary_check }
profile "IS_MISS"  { level low  when (declaration.invoice_total > 0) is missing  measures documentary_check }
profile "DEFAULT"  { level low  when (declaration.invoice_total > 0) ?? true  measures documentary_check }
profile "NOT_IN"   { level low  when declaration.delivery_terms not in { "EXW" }  measures documentary_check }
profile "ITEM"     { level low  scope item i  when i.invoice_value > 0  measures documentary_check }
profile "ITEM_NOT" { level low  scope item i  when not (i.invoice_value > 0)  measures documentary_check }
profile "ANY"      { level low  when any(i in declaration.items: i.invoice_value > 0)  measures documentary_check }
profile "ALL_NOT"  { level low  when all(i in declaration.items: not (i.invoice_value > 0))  measures documentary_check }
profile "COUNT0"   { level low  when count(i in declaration.items: i.invoice_value > 0) == 0  measures documentary_check }
)dlz");

TEST_CASE("a profile fires only when its condition is true", "[vm][logic]") {
  Engine e(kFiresOnlyOnTrue);
  using V = std::vector<std::string>;
  Json d = baseDeclaration();
  d.set("items", Json::array({baseItem(1), baseItem(2)}));
  // Everything unknown: only the forms that look at missingness, and count, fire.
  CHECK(e.hits(d) == V{"COUNT0", "DEFAULT", "IS_MISS", "U_AND_F", "U_OR_T"});
  CHECK(e.corridor(d) == "yellow");
  // Present values.
  d.set("invoice_total", "5").set("delivery_terms", "FCA");
  d.set("items[0].invoice_value", "1").set("items[1].invoice_value", "0");
  CHECK(e.hits(d) == V{"ANY", "DEFAULT", "EQ_SELF", "ITEM#1", "ITEM_NOT#2", "NE", "NOT_IN", "U", "U_AND_F", "U_OR_T"});
  d.set("invoice_total", "0").set("delivery_terms", "EXW").erase("items[0].invoice_value");
  // all(): not(unknown) and true is unknown, so ALL_NOT does not fire; count() counts trues only.
  CHECK(e.hits(d) == V{"COUNT0", "EQ_SELF", "ITEM_NOT#2", "NOT_U", "U_AND_F", "U_OR_T"});
  d.set("items[0].invoice_value", "0");
  CHECK(e.hits(d) == V{"ALL_NOT", "COUNT0", "EQ_SELF", "ITEM_NOT#1", "ITEM_NOT#2", "NOT_U", "U_AND_F", "U_OR_T"});
  // Unknown only: nothing fires but the missingness forms, and no corridor comes of it.
  Engine only(R"dlz(profile "U" { level high when declaration.invoice_total > 0 measures customs_examination })dlz");
  CHECK(only.corridor(baseDeclaration()) == "green");
  CHECK(only.corridor(baseDeclaration().set("invoice_total", "1")) == "red");
}

}  // namespace
}  // namespace daliz::testing

// Every opcode of vm/bytecode/opcodes.def, exercised through real profiles compiled with the
// stdlib and decided through the BatchRunner (the path of `daliz run`). Most tests render the
// values under test into a reason, which also exercises RVAL for every render kind. The last
// test reads the opcode list from the enum and checks that the corpus of sources registered
// here compiles to bytecode that uses every opcode, so a new opcode without a test fails.
#include <catch2/catch.hpp>

#include <algorithm>

#include "compiler/driver/pipeline.h"
#include "tests/support/engine_fixture.h"
#include "vm/bytecode/opcode.h"
#include "vm/exec/evaluator.h"
#include "vm/value/hs_code.h"

namespace daliz::testing {
namespace {

// ---------------------------------------------------------------------------------------
// Integer arithmetic: ADD_I SUB_I MUL_I NEG_I, overflow → missing.
const std::string kIntArith = registerCorpus("int arithmetic", R"dlz(
profile "INT" {
  level high
  scope item i
  let a = i.valuation_method
  let b = i.no
  when true
  measures documentary_check
  reason "add={a + b} sub={b - a} mul={a * b} neg={-a} mulneg={a * -3} max={9223372036854775806 + b} min={-9223372036854775807 - b} addovf={a + 9223372036854775807} subovf={(0 - 9223372036854775807) - a - a} mulovf={a * 4611686018427387904} negovf={-(-9223372036854775807 - b)} chain={(a + 9223372036854775807) - 9223372036854775807}"
}
)dlz");

TEST_CASE("int arithmetic: + - * and unary -, overflow gives missing", "[vm][opcodes]") {
  Engine e(kIntArith);
  Json d = baseDeclaration().set("items[0].valuation_method", 3).set("items[0].no", 1);
  CHECK(e.reason(d, "INT") ==
        "add=4 sub=-2 mul=3 neg=-3 mulneg=-9 max=9223372036854775807 min=-9223372036854775808 addovf=missing "
        "subovf=missing mulovf=missing negovf=missing chain=missing");
  // Just below the limit stays exact: 1 × 2^62.
  d.set("items[0].valuation_method", 1);
  CHECK(e.reason(d, "INT").find("mulovf=4611686018427387904 ") != std::string::npos);
  // 2 × 2^62 = 2^63 is one past the limit.
  d.set("items[0].valuation_method", 2);
  CHECK(e.reason(d, "INT").find("mulovf=missing ") != std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Decimal and money arithmetic: I2D ADD_D SUB_D MUL_D DIV_D NEG_D.
const std::string kDecArith = registerCorpus("decimal arithmetic", R"dlz(
profile "DEC" {
  level high
  scope item i
  let g = i.gross_weight
  let n = i.net_weight
  let big = i.statistical_value
  when true
  measures documentary_check
  reason "add={g + n} sub={g - n} neg={-g} mulhe1={g * 0.5} mulhe2={n * 0.5} mulhe3={-g * 0.5} divhe1={g / 2} divhe2={n / 2} divhe3={-n / 2} third={i.no / 3} twothirds={(i.no + 1) / 3} intdiv={7 / 2} mixed={g + i.no} div0={g / (i.no - 1)} big={big} bigadd={big + big} bigsub={-big - big} bigmul={big * 10} bigdiv={big / 0.1} bigneg={-big} wide={i.supplementary_quantity * i.supplementary_quantity}"
}
)dlz");

TEST_CASE("decimal arithmetic: exact + -, half-even * and /, overflow and / 0 give missing", "[vm][opcodes]") {
  Engine e(kDecArith);
  Json d = baseDeclaration()
               .set("items[0].no", 1)
               .set("items[0].gross_weight", "0.000005")
               .set("items[0].net_weight", "0.000015")
               .set("items[0].statistical_value", "999999999999999999999999999999")
               .set("items[0].supplementary_quantity", "1000000000000");
  CHECK(e.reason(d, "DEC") ==
        "add=0.00002 sub=-0.00001 neg=-0.000005 mulhe1=0.000002 mulhe2=0.000008 mulhe3=-0.000002 "
        "divhe1=0.000002 divhe2=0.000008 divhe3=-0.000008 third=0.333333 twothirds=0.666667 intdiv=3.5 "
        "mixed=1.000005 div0=missing big=999999999999999999999999999999 bigadd=missing bigsub=missing "
        "bigmul=missing bigdiv=missing bigneg=-999999999999999999999999999999 wide=1000000000000000000000000");
}

const std::string kWide = registerCorpus("wide decimals", R"dlz(
profile "WIDE" {
  level high
  scope item i
  let big = i.statistical_value
  let s = i.supplementary_quantity
  when true
  measures documentary_check
  reason "{big * 0.5} {big / 3} {big * s} {big / s} {s * s} {-big * 0.5} {big * -0.000001} {big / 1000000} {big / 0.999999}"
}
)dlz");

TEST_CASE("decimal * and / near the 30-digit limit: exact wide intermediates, half-even", "[vm][opcodes]") {
  // Expected values computed with Python's decimal module (prec 100, quantize 6 digits half-even).
  Engine e(kWide);
  auto at = [&](const char* big, const char* s) {
    return e.reason(baseDeclaration().set("items[0].statistical_value", big).set("items[0].supplementary_quantity", s),
                    "WIDE");
  };
  CHECK(at("999999999999999999999999999999", "0.5") ==
        "499999999999999999999999999999.5 333333333333333333333333333333 499999999999999999999999999999.5 missing "
        "0.25 -499999999999999999999999999999.5 -999999999999999999999999.999999 999999999999999999999999.999999 "
        "missing");
  CHECK(at("999999999999999999999999999999.999999", "0.000001") ==
        "500000000000000000000000000000 333333333333333333333333333333.333333 1000000000000000000000000 missing 0 "
        "-500000000000000000000000000000 -1000000000000000000000000 1000000000000000000000000 missing");
  CHECK(at("123456789012345678901234.567891", "98765.4321") ==
        "61728394506172839450617.283946 41152263004115226300411.52263 12193263112482853211248285321.211401 "
        "1249999988734374999.01582 9754610577.89971 -61728394506172839450617.283946 -123456789012345678.901235 "
        "123456789012345678.901235 123456912469258148159382.727274");
  CHECK(at("-999999999999999999999999999999.999999", "-1.000001").find(" 999999000000999999000000999999 1.000002 ") !=
        std::string::npos);
}

const std::string kMoney = registerCorpus("money", R"dlz(
profile "MONEY" {
  level high
  scope item i
  let cv = i.customs_value
  when true
  measures documentary_check
  reason "cv={cv} pct={cv * 70%} half={cv / 2} ratio={cv / i.invoice_value} sum={cv + i.invoice_value} diff={cv - 1000} neg={-cv} conv={money(i.gross_weight * 2)} back={decimal(cv)} perkg={cv / i.net_weight}"
}
)dlz");

TEST_CASE("money arithmetic and rendering: 2 digits, half-even", "[vm][opcodes]") {
  Engine e(kMoney);
  Json d = baseDeclaration()
               .set("items[0].customs_value", "4.125")
               .set("items[0].invoice_value", "3")
               .set("items[0].gross_weight", "1.0025")
               .set("items[0].net_weight", "3");
  // 4.125 → 4.12 (tie to even); 4.125 × 0.7 = 2.8875 → 2.89; 4.125 / 2 = 2.0625 → 2.06;
  // money / money is a decimal: 1.375; 2.005 → 2.00 (tie to even); 4.125 / 3 = 1.375 → 1.38.
  CHECK(e.reason(d, "MONEY") ==
        "cv=4.12 pct=2.89 half=2.06 ratio=1.375 sum=7.12 diff=-995.88 neg=-4.12 conv=2.00 back=4.125 perkg=1.38");
  d.set("items[0].customs_value", "4.135");
  CHECK(e.reason(d, "MONEY").rfind("cv=4.14 ", 0) == 0);
  d.set("items[0].customs_value", "-0.004");
  CHECK(e.reason(d, "MONEY").rfind("cv=0.00 ", 0) == 0);  // never "-0.00"
  d.set("items[0].customs_value", "-1.005");
  CHECK(e.reason(d, "MONEY").rfind("cv=-1.00 ", 0) == 0);
  d.set("items[0].customs_value", "-1.015");
  CHECK(e.reason(d, "MONEY").rfind("cv=-1.02 ", 0) == 0);
  d.set("items[0].customs_value", Json::number("500450"));
  CHECK(e.reason(d, "MONEY").rfind("cv=500450.00 ", 0) == 0);
  d.erase("items[0].invoice_value");
  CHECK(e.reason(d, "MONEY").find("ratio=missing sum=missing") != std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Dates: ADD_DAYS (and NEG_I for d - n), SUB_I for d - d, DATEPART.
const std::string kDates = registerCorpus("dates", R"dlz(
profile "DATE" {
  level high
  let r = declaration.registered
  when true
  measures documentary_check
  reason "r={r} plus30={r + 30} minus1={r - 1} lead={30 + r} days={r - 2024-03-01} back={2024-03-01 - r} leap={2024-02-28 + 1} y={r.year} m={r.month} d={r.day} wd={r.weekday} last={r + (9999-12-31 - r)} past={r + (9999-12-31 - r) + 1} before={r - (r - 0001-01-01) - 1} huge={r + 9223372036854775807} cmp={r > 2025-01-01}"
}
)dlz");

TEST_CASE("date arithmetic and parts", "[vm][opcodes]") {
  Engine e(kDates);
  Json d = baseDeclaration();  // registered 2025-03-01, a Saturday
  CHECK(e.reason(d, "DATE") ==
        "r=2025-03-01 plus30=2025-03-31 minus1=2025-02-28 lead=2025-03-31 days=365 back=-365 leap=2024-02-29 "
        "y=2025 m=3 d=1 wd=6 last=9999-12-31 past=missing before=missing huge=missing cmp=true");
  CHECK(e.reason(d.set("registered", "2025-03-02"), "DATE").find("wd=7 ") != std::string::npos);  // Sunday
  CHECK(e.reason(d.set("registered", "2025-03-03"), "DATE").find("wd=1 ") != std::string::npos);  // Monday
  CHECK(e.reason(d.set("registered", "2024-12-31"), "DATE").find("y=2024 m=12 d=31 wd=2") != std::string::npos);
}

// ---------------------------------------------------------------------------------------
// HS parts: HSPREFIX; rendering keeps leading zeros; a part longer than the code is missing.
const std::string kHsParts = registerCorpus("hs parts", R"dlz(
profile "HS" {
  level high
  scope item i
  let h = i.hs_code.heading == "6109"
  let whole = i.hs_code == "6109"
  when true
  measures documentary_check
  reason "{i.hs_code} {i.hs_code.chapter} {i.hs_code.heading} {i.hs_code.subheading} {h} {whole}"
}
)dlz");

TEST_CASE("hs .chapter .heading .subheading", "[vm][opcodes]") {
  Engine e(kHsParts);
  Json d = baseDeclaration();
  CHECK(e.reason(d.set("items[0].hs_code", "6109100000"), "HS") == "6109100000 61 6109 610910 true false");
  CHECK(e.reason(d.set("items[0].hs_code", "0101210000"), "HS") == "0101210000 01 0101 010121 false false");
  CHECK(e.reason(d.set("items[0].hs_code", "6109"), "HS") == "6109 61 6109 missing true true");
  CHECK(e.reason(d.set("items[0].hs_code", "61"), "HS") == "61 61 missing missing missing false");
}

// ---------------------------------------------------------------------------------------
// Comparisons of each kind: EQ_I LT_I LE_I (int, date, enum, hs, country, currency, bool),
// EQ_D LT_D LE_D (decimal, money, int against decimal), EQ_S (string, code); != is NOT of ==.
const std::string kCompare = registerCorpus("comparisons", R"dlz(
profile "CMP" {
  level high
  scope item i
  let v = i.valuation_method
  let w = i.gross_weight
  let s1 = i.description == "T-shirts"
  let s2 = i.description != "t-shirts"
  let c1 = declaration.procedure == "40"
  let c2 = declaration.procedure != "40"
  let h1 = i.hs_code == "6109100000"
  let k1 = i.origin == "CN"
  let u1 = declaration.contract_currency == "USD"
  when true
  measures documentary_check
  reason "int:{v == 2}{v != 2}{v < 2}{v <= 2}{v > 2}{v >= 2} dec:{w == 2}{w != 2}{w < 2}{w <= 2}{w > 2}{w >= 2} mixed:{v == w}{v < w} money:{i.customs_value == 4500}{i.customs_value < 4500.01}{i.customs_value > 4499.99}{i.customs_value <= i.customs_value} date:{declaration.registered == 2025-03-01}{declaration.registered < 2025-03-01}{declaration.registered >= 2025-03-01} enum:{declaration.declarant.category == medium}{declaration.declarant.category >= medium}{declaration.declarant.category > medium}{declaration.declarant.category < high} str:{s1}{s2} code:{c1}{c2} hs:{h1} country:{k1}{i.origin != declaration.dispatch_country} currency:{u1} bool:{declaration.container == false}{declaration.container != false}"
}
)dlz");

TEST_CASE("comparisons of each kind", "[vm][opcodes]") {
  Engine e(kCompare);
  Json d = baseDeclaration().set("items[0].description", "T-shirts");
  d.set("items[0].valuation_method", 2).set("items[0].gross_weight", "2");
  CHECK(e.reason(d, "CMP") ==
        "int:truefalsefalsetruefalsetrue dec:truefalsefalsetruefalsetrue mixed:truefalse "
        "money:truetruetruetrue date:truefalsetrue enum:truetruefalsetrue str:truetrue code:truefalse "
        "hs:true country:truefalse currency:true bool:truefalse");
  d.set("items[0].valuation_method", 1).set("items[0].gross_weight", "2.000001");
  CHECK(e.reason(d, "CMP").rfind("int:falsetruetruetruefalsefalse dec:falsetruefalsefalsetruetrue mixed:falsetrue ",
                                 0) == 0);
}

// ---------------------------------------------------------------------------------------
// Strings: CONTAINS STARTS ENDS MATCH LOWER UPPER LEN_S; LEN_L.
const std::string kStrings = registerCorpus("strings", R"dlz(
profile "STR" {
  level high
  scope item i
  let s = i.description
  let c1 = s.contains("shirt")
  let c2 = s.contains("Shirt")
  let c3 = s.contains("")
  let s1 = s.starts_with("T-")
  let s2 = s.starts_with("shirt")
  let e1 = s.ends_with("ки")
  let e2 = s.ends_with("T")
  let m1 = s.matches("shirt")
  let m2 = s.matches("^shirt")
  let m3 = s.matches("^T.*ки$")
  let m4 = s.matches("(?i)ФУТБОЛКИ")
  let m5 = s.matches("ФУТБОЛКИ")
  let m6 = s.matches("\\d{4}")
  let p1 = declaration.procedure.starts_with("4")
  let p2 = declaration.procedure.ends_with("0")
  let p3 = declaration.procedure.contains("9")
  let p4 = declaration.procedure.matches("^[0-9]+$")
  when true
  measures documentary_check
  reason "c={c1}{c2}{c3} s={s1}{s2} e={e1}{e2} m={m1}{m2}{m3}{m4}{m5}{m6} lo={s.lower()} up={s.upper()} len={len(s)} items={len(declaration.items)} docs={len(i.documents)} code={p1}{p2}{p3}{p4}"
}
)dlz");

TEST_CASE("string methods, case mapping (ASCII and Cyrillic) and len", "[vm][opcodes]") {
  Engine e(kStrings);
  Json d = baseDeclaration();
  d.set("items", Json::array({baseItem(1).set("description", "T-shirt Футболки Ёж ки"), baseItem(2)}));
  Decision dec = e.decideDecision(d);
  REQUIRE(dec.hits.size() == 2);
  // "T-shirt Футболки Ёж ки": 22 code points in more bytes.
  CHECK(dec.hits[0].reason ==
        "c=truefalsetrue s=truefalse e=truefalse m=truefalsetruetruefalsefalse lo=t-shirt футболки ёж ки "
        "up=T-SHIRT ФУТБОЛКИ ЁЖ КИ len=22 items=2 docs=1 code=truetruefalsetrue");
  // A partial match finds the pattern anywhere; an anchored one only at the start.
  d.at("items[1]").set("description", "model 2024, shirt");
  dec = e.decideDecision(d);
  REQUIRE(dec.hits.size() == 2);
  CHECK(dec.hits[1].reason.rfind("c=truefalsetrue s=falsefalse e=falsefalse m=truefalsefalsefalsefalsetrue ", 0) == 0);
  // The U+0400–U+045F block maps both ways (Ѐ Ё Ђ … Я, ѐ ё ђ … я), and so do the Kazakh letters
  // of the extended block (opcodes.def: "ASCII and Cyrillic"); other scripts are left alone.
  d.at("items[1]").set("description", "ЀЁЂЯ ѐёђя ЎЏ ӘҒҚҢӨҰҮҺІ әғқңөұүһі ÄÉ");
  dec = e.decideDecision(d);
  REQUIRE(dec.hits.size() == 2);
  CHECK(dec.hits[1].reason.find(" lo=ѐёђя ѐёђя ўџ әғқңөұүһі әғқңөұүһі ÄÉ up=ЀЁЂЯ ЀЁЂЯ ЎЏ ӘҒҚҢӨҰҮҺІ ӘҒҚҢӨҰҮҺІ ÄÉ len=35 ") !=
        std::string::npos);
  // Case-insensitive regex over Cyrillic: (?i)ФУТБОЛКИ matches "футболки" and "ФуТбОлКи".
  d.at("items[1]").set("description", "ФуТбОлКи");
  dec = e.decideDecision(d);
  REQUIRE(dec.hits.size() == 2);
  CHECK(dec.hits[1].reason.find(" m=falsefalsefalsetruefalsefalse ") != std::string::npos);
  d.at("items[1]").set("description", "ФУТБОЛКИ");
  dec = e.decideDecision(d);
  REQUIRE(dec.hits.size() == 2);
  CHECK(dec.hits[1].reason.find(" m=falsefalsefalsetruetruefalse ") != std::string::npos);
  // Empty strings.
  d.at("items[1]").set("description", "");
  dec = e.decideDecision(d);
  REQUIRE(dec.hits.size() == 2);
  CHECK(dec.hits[1].reason ==
        "c=falsefalsetrue s=falsefalse e=falsefalse m=falsefalsefalsefalsefalsefalse lo= up= len=0 items=2 docs=1 "
        "code=truetruefalsetrue");
}

TEST_CASE("string methods on a missing string are unknown", "[vm][opcodes]") {
  Engine e(R"dlz(
profile "S" {
  level high
  let id = declaration.declarant.id
  let a = id.contains("1")
  let b = id.starts_with("1")
  let c = id.ends_with("1")
  let m = id.matches("1")
  when true
  measures documentary_check
  reason "{a}{b}{c}{m} {id.lower()} {id.upper()} {len(id)}"
}
)dlz");
  CHECK(e.reason(baseDeclaration().erase("declarant.id"), "S") == "missingmissingmissingmissing missing missing missing");
  CHECK(e.reason(baseDeclaration().set("declarant.id", "X1"), "S") == "truefalsetruetrue x1 X1 2");
}

// ---------------------------------------------------------------------------------------
// Sets: INSET_I (int, enum, country, currency, date), INSET_S (code, string), INSET_HS.
const std::string kSets = registerCorpus("sets", R"dlz(
set TEXTILES: set<hs> = { "61", "62", "6301".."6310", "850440", "8471300000", "01", "630110".."630120" }
set WATCHED: set<country> = { "AF", "MM" }
set PROCS: set<code> = { "40", "51" }
set NAMES: set<string> = { "T-shirts", "Футболки" }
set METHODS: set<int> = { 1, 3, -2 }
set RISKY: set<category> = { medium, high }
set DAYS: set<date> = { 2025-03-01, 2025-12-31 }

profile "SET" {
  level high
  scope item i
  let inl = i.hs_code in { "8471", "8517" }
  let cur = declaration.contract_currency in { "USD", "EUR" }
  let m1 = declaration.delivery_terms in { "EXW" }
  let m2 = declaration.delivery_terms not in { "EXW" }
  when true
  measures documentary_check
  reason "hs={i.hs_code in TEXTILES}{i.hs_code not in TEXTILES} inl={inl} country={i.origin in WATCHED}{i.origin not in WATCHED}{i.origin in EAEU} cur={cur} code={declaration.procedure in PROCS}{declaration.procedure not in PROCS} str={i.description in NAMES} int={i.valuation_method in METHODS}{(i.no - 3) in METHODS} enum={declaration.declarant.category in RISKY}{declaration.declarant.category not in RISKY} date={declaration.registered in DAYS} miss={m1}{m2}"
}
)dlz");

TEST_CASE("sets of each kind and not in", "[vm][opcodes]") {
  Engine e(kSets);
  Json d = baseDeclaration().set("items[0].description", "Футболки").set("items[0].no", 1);
  CHECK(e.reason(d, "SET") ==
        "hs=truefalse inl=false country=falsetruefalse cur=true code=truefalse str=true int=truetrue "
        "enum=truefalse date=true miss=missingmissing");
  d.set("items[0].origin", "AF").set("contract_currency", "CNY").set("procedure", "10");
  d.set("items[0].description", "футболки").set("items[0].valuation_method", 2).set("items[0].no", 2);
  d.set("declarant.category", "low").set("registered", "2025-03-02").set("delivery_terms", "EXW");
  d.set("items[0].hs_code", "8471300000");
  CHECK(e.reason(d, "SET") ==
        "hs=truefalse inl=true country=truefalsefalse cur=false code=falsetrue str=false int=falsefalse "
        "enum=falsetrue date=false miss=truefalse");
  d.set("items[0].origin", "KZ");
  CHECK(e.reason(d, "SET").find("country=falsetruetrue") != std::string::npos);
}

TEST_CASE("hs sets: prefixes of different lengths, ranges with their boundaries", "[vm][opcodes]") {
  Engine e(kSets);
  auto in = [&](const char* code) {
    Json d = baseDeclaration().set("items[0].hs_code", code);
    std::string r = e.reason(d, "SET");
    return r.substr(0, r.find(' '));
  };
  CHECK(in("6109100000") == "hs=truefalse");  // chapter 61
  CHECK(in("6201000000") == "hs=truefalse");  // chapter 62
  CHECK(in("6300990000") == "hs=falsetrue");  // heading 6300: below the range
  CHECK(in("6301000000") == "hs=truefalse");  // the range's lower end
  CHECK(in("6305330000") == "hs=truefalse");
  CHECK(in("6310999999") == "hs=truefalse");  // the range's upper end
  CHECK(in("6311000000") == "hs=falsetrue");  // above the range
  CHECK(in("63") == "hs=falsetrue");          // too short for a 4-digit range
  CHECK(in("6305") == "hs=truefalse");        // a 4-digit code in the range
  CHECK(in("6310") == "hs=truefalse");
  CHECK(in("8504401000") == "hs=truefalse");  // subheading 850440
  CHECK(in("850440") == "hs=truefalse");
  CHECK(in("8504") == "hs=falsetrue");        // shorter than the 6-digit element
  CHECK(in("8504500000") == "hs=falsetrue");
  CHECK(in("8471300000") == "hs=truefalse");  // the 10-digit element: only that code
  CHECK(in("8471300001") == "hs=falsetrue");
  CHECK(in("84713000") == "hs=falsetrue");
  CHECK(in("0101210000") == "hs=truefalse");  // "01": the leading zero counts
  CHECK(in("0100000000") == "hs=truefalse");
  CHECK(in("1001000000") == "hs=falsetrue");
  CHECK(in("1000000000") == "hs=falsetrue");
}

TEST_CASE("hs ranges of 6 and 2 digits, and overlapping elements", "[vm][opcodes]") {
  Engine e(R"dlz(
set R6: set<hs> = { "630110".."630120", "8471" }
set R2: set<hs> = { "01".."05", "0302" }
profile "R6" { level low scope item i when i.hs_code in R6 measures documentary_check }
profile "R2" { level low scope item i when i.hs_code in R2 measures documentary_check }
)dlz");
  auto hits = [&](const char* code) { return e.hits(baseDeclaration().set("items[0].hs_code", code)); };
  using V = std::vector<std::string>;
  CHECK(hits("6301100000") == V{"R6#1"});
  CHECK(hits("6301200000") == V{"R6#1"});
  CHECK(hits("6301150000") == V{"R6#1"});
  CHECK(hits("6301210000") == V{});
  CHECK(hits("6301090000") == V{});
  CHECK(hits("6301") == V{});  // shorter than the range's ends
  CHECK(hits("0100000000") == V{"R2#1"});
  CHECK(hits("0599000000") == V{"R2#1"});
  CHECK(hits("0302") == V{"R2#1"});
  CHECK(hits("0600000000") == V{});
  CHECK(hits("0000000000") == V{});
  CHECK(hits("8471") == V{"R6#1"});
}

// ---------------------------------------------------------------------------------------
// Tables: LOOKUP, exact keys of each kind, hs longest prefix, no row → missing.
const char* kPricesCsv =
    "code,origin,value\n"
    "61,CN,100\n"
    "6109,CN,200\n"
    "610910,CN,300\n"
    "61091000,CN,350\n"
    "6109100000,CN,400\n"
    "6109,TR,600\n"
    "0101,CN,7.5\n";
const char* kRatesCsv = "cur,value\nUSD,470.5\nEUR,510.25\n";
const char* kOfficesCsv = "office,mode,value\n55301,30,Almaty road\n55301,40,Almaty air\n\"5,5\",30,comma\n";
const char* kLimitsCsv = "cat,value\nlow,100\nhigh,5\n";
const char* kDueCsv = "cur,value\nUSD,2025-04-01\n";
const char* kNamesCsv = "name,value\nT-shirts,7\nФутболки,8\n";

CompileOptions tableFiles() {
  CompileOptions o;
  o.files = {{"prices.csv", kPricesCsv},
             {"rates.csv", kRatesCsv},
             {"offices.csv", kOfficesCsv},
             {"limits.csv", kLimitsCsv},
             {"due.csv", kDueCsv},
             {"names.csv", kNamesCsv}};
  return o;
}

const std::string kTables = registerCorpus("tables", R"dlz(
table PRICE(code: hs, origin: country) -> money from "prices.csv"
table RATE(cur: currency) -> decimal from "rates.csv"
table OFFICE(office: code, mode: int) -> string from "offices.csv"
table LIMIT(cat: category) -> money from "limits.csv"
table DUE(cur: currency) -> date from "due.csv"
table NAMEK(name: string) -> int from "names.csv"

profile "TAB" {
  level high
  scope item i
  let lit = PRICE["6109", "TR"]
  when true
  measures documentary_check
  reason "price={PRICE[i.hs_code, i.origin]} rate={RATE[declaration.contract_currency]} office={OFFICE[declaration.customs_office, i.valuation_method]} limit={LIMIT[declaration.declarant.category]} due={DUE[declaration.contract_currency]} name={NAMEK[i.description]} lit={lit}"
}
)dlz", tableFiles());

TEST_CASE("table lookups: exact keys, hs longest prefix, no row gives missing", "[vm][opcodes]") {
  Engine e(kTables, tableFiles());
  auto price = [&](const char* code, const char* origin) {
    Json d = baseDeclaration().set("items[0].hs_code", code).set("items[0].origin", origin);
    std::string r = e.reason(d, "TAB");
    return r.substr(0, r.find(' '));
  };
  CHECK(price("6109100000", "CN") == "price=400.00");  // the 10-digit row
  CHECK(price("6109100001", "CN") == "price=350.00");  // 8 digits
  CHECK(price("6109109000", "CN") == "price=300.00");  // 6 digits
  CHECK(price("6109900000", "CN") == "price=200.00");  // 4 digits
  CHECK(price("6110000000", "CN") == "price=100.00");  // 2 digits
  CHECK(price("61", "CN") == "price=100.00");          // a code as short as the row
  CHECK(price("6109", "CN") == "price=200.00");        // longer rows never match a shorter code
  CHECK(price("6109100000", "TR") == "price=600.00");  // longest prefix among rows of TR
  CHECK(price("6110000000", "TR") == "price=missing");
  CHECK(price("6109100000", "AF") == "price=missing");
  CHECK(price("6201000000", "CN") == "price=missing");
  CHECK(price("0101210000", "CN") == "price=7.50");

  Json d = baseDeclaration().set("items[0].valuation_method", 30).set("items[0].description", "T-shirts");
  CHECK(e.reason(d, "TAB") ==
        "price=400.00 rate=470.5 office=Almaty road limit=missing due=2025-04-01 name=7 lit=600.00");
  d.set("contract_currency", "EUR").set("items[0].valuation_method", 40).set("declarant.category", "high");
  d.set("items[0].description", "Футболки");
  CHECK(e.reason(d, "TAB") == "price=400.00 rate=510.25 office=Almaty air limit=5.00 due=missing name=8 lit=600.00");
  d.set("contract_currency", "KZT").set("customs_office", "5,5").set("items[0].valuation_method", 30);
  d.set("items[0].description", "t-shirts");
  d.erase("declarant.category");  // a missing key: missing
  CHECK(e.reason(d, "TAB") == "price=400.00 rate=missing office=comma limit=missing due=missing name=missing lit=600.00");
}

TEST_CASE("table lookups: the first hs key by longest prefix, other keys exact", "[vm][opcodes]") {
  CompileOptions o;
  o.files = {{"oh.csv", "origin,code,value\nAF,61,1\nAF,6109,2\nCN,6109100000,3\n"},
             {"two.csv", "a,b,value\n61,6109,1\n6109,6109,2\n61,62,3\n"}};
  Engine e(R"dlz(
table OH(origin: country, code: hs) -> int from "oh.csv"
table TWO(a: hs, b: hs) -> int from "two.csv"
profile "T" {
  level high
  scope item i
  let a = OH[i.origin, i.hs_code]
  let b = TWO[i.hs_code, "6109"]
  let c = TWO[i.hs_code, i.hs_code]
  let d = TWO[i.hs_code, "62"]
  when true
  measures documentary_check
  reason "{a} {b} {c} {d}"
}
)dlz",
           o);
  auto at = [&](const char* origin, const char* code) {
    return e.reason(baseDeclaration().set("items[0].origin", origin).set("items[0].hs_code", code), "T");
  };
  CHECK(at("AF", "6109100000") == "2 2 missing 3");
  CHECK(at("AF", "6110000000") == "1 1 missing 3");
  CHECK(at("AF", "6201000000") == "missing missing missing missing");
  CHECK(at("CN", "6109100000") == "3 2 missing 3");
  CHECK(at("CN", "6109100001") == "missing 2 missing 3");
  CHECK(at("CN", "6110000000") == "missing 1 missing 3");
}

TEST_CASE("table values of every scalar kind, and enums declared beside the profiles", "[vm][opcodes]") {
  CompileOptions o;
  o.files = {{"z.csv", "c,value\nAF,z3\nCN,z1\n"},  {"a.csv", "c,value\nAF,a2\n"},
             {"f.csv", "c,value\nAF,true\nCN,false\n"}, {"k.csv", "c,value\nAF,X-1\n"},
             {"ca.csv", "c,value\nAF,high\n"},          {"cu.csv", "c,value\nAF,EUR\n"}};
  Engine e(R"dlz(
enum zeta { z1, z2, z3 }
enum alpha { a1, a2 }
table Z(c: country) -> zeta from "z.csv"
table A(c: country) -> alpha from "a.csv"
table F(c: country) -> bool from "f.csv"
table K(c: country) -> code from "k.csv"
table CA(c: country) -> category from "ca.csv"
table CU(c: country) -> currency from "cu.csv"
profile "E" {
  level high
  scope item i
  let z = Z[i.origin]
  let a = A[i.origin]
  let k = K[i.origin] == "X-1"
  when true
  measures documentary_check
  reason "{z} {a} {declaration.declarant.category} {F[i.origin]} {K[i.origin]} {CA[i.origin]} {CU[i.origin]} {z >= z2} {a == a2} {k} {CA[i.origin] > declaration.declarant.category}"
}
)dlz",
           o);
  CHECK(e.reason(baseDeclaration().set("items[0].origin", "AF"), "E") == "z3 a2 medium true X-1 high EUR true true true true");
  CHECK(e.reason(baseDeclaration().set("items[0].origin", "CN"), "E") ==
        "z1 missing medium false missing missing missing false missing missing missing");
}

// ---------------------------------------------------------------------------------------
// Quantifiers: FORPREP GETITEM LOOP, any/all (OR/AND with early exits), count (JMPNOTTRUE),
// sum/min/max (ACC_SUM_I ACC_SUM_D ACC_MIN_I ACC_MAX_I ACC_MIN_D ACC_MAX_D, LOADMISS).
const std::string kQuantifiers = registerCorpus("quantifiers", R"dlz(
profile "Q" {
  level high
  let items = declaration.items
  let nested = any(i in items: count(x in i.documents: x.kind == "04021") == 0)
  when true
  measures documentary_check
  reason "any={any(i in items: i.invoice_value > 100)} all={all(i in items: i.invoice_value > 100)} count={count(i in items: i.invoice_value > 100)} sum={sum(i in items: i.invoice_value)} min={min(i in items: i.invoice_value)} max={max(i in items: i.invoice_value)} sumi={sum(i in items: i.no)} mini={min(i in items: i.no)} maxi={max(i in items: i.no)} sumd={sum(i in items: i.supplementary_quantity)} mind={min(i in items: i.supplementary_quantity)} maxd={max(i in items: i.supplementary_quantity)} mindate={min(i in items: min(x in i.documents: x.date))} maxdate={max(i in items: max(x in i.documents: x.date))} nested={nested} len={len(items)} sumovf={sum(i in items: i.no * 4611686018427387904)}"
}
)dlz");

Json quantifierItem(int no, std::optional<const char*> invoice, std::optional<const char*> qty = std::nullopt) {
  Json i = baseItem(no);
  if (invoice) i.set("invoice_value", *invoice);
  if (qty) i.set("supplementary_quantity", *qty);
  return i;
}

TEST_CASE("quantifiers over empty and non-empty lists, with missing bodies", "[vm][opcodes]") {
  Engine e(kQuantifiers);
  Json d = baseDeclaration();

  SECTION("empty list: any false, all true, count/sum 0, min/max missing") {
    d.set("items", Json::array());
    CHECK(e.reason(d, "Q") ==
          "any=false all=true count=0 sum=0.00 min=missing max=missing sumi=0 mini=missing maxi=missing sumd=0 "
          "mind=missing maxd=missing mindate=missing maxdate=missing nested=false len=0 sumovf=0");
  }
  SECTION("all bodies missing: any/all unknown, count 0, sum 0, min/max missing") {
    d.set("items", Json::array({quantifierItem(1, {}), quantifierItem(2, {})}));
    CHECK(e.reason(d, "Q").rfind("any=missing all=missing count=0 sum=0.00 min=missing max=missing sumi=3 mini=1 "
                                 "maxi=2 sumd=0 mind=missing maxd=missing",
                                 0) == 0);
  }
  SECTION("missing and true: any true, all unknown") {
    d.set("items", Json::array({quantifierItem(2, {}), quantifierItem(1, "200.5", "2.5")}));
    CHECK(e.reason(d, "Q").rfind("any=true all=missing count=1 sum=200.50 min=200.50 max=200.50 sumi=3 mini=1 "
                                 "maxi=2 sumd=2.5 mind=2.5 maxd=2.5",
                                 0) == 0);
  }
  SECTION("missing and false: any unknown, all false") {
    d.set("items", Json::array({quantifierItem(1, {}), quantifierItem(2, "50")}));
    CHECK(e.reason(d, "Q").rfind("any=missing all=false count=0 sum=50.00 min=50.00 max=50.00", 0) == 0);
  }
  SECTION("false then missing: all false, whatever follows") {
    d.set("items", Json::array({quantifierItem(1, "50"), quantifierItem(2, {})}));
    CHECK(e.reason(d, "Q").rfind("any=missing all=false", 0) == 0);
  }
  SECTION("true then missing: any true, whatever follows") {
    d.set("items", Json::array({quantifierItem(1, "150"), quantifierItem(2, {})}));
    CHECK(e.reason(d, "Q").rfind("any=true all=missing count=1", 0) == 0);
  }
  SECTION("all present: sums exact, min/max over values, count of trues") {
    d.set("items", Json::array({quantifierItem(3, "150.25", "0.000001"), quantifierItem(1, "50", "-7"),
                                quantifierItem(2, "300.125", "12.5"), quantifierItem(7, {}, {})}));
    CHECK(e.reason(d, "Q").rfind("any=true all=false count=2 sum=500.38 min=50.00 max=300.12 sumi=13 mini=1 "
                                 "maxi=7 sumd=5.500001 mind=-7 maxd=12.5",
                                 0) == 0);
  }
  SECTION("nested quantifiers and dates") {
    Json a = baseItem(1).set("documents", Json::array({Json::object({{"kind", "04021"}, {"date", "2025-02-01"}}),
                                                       Json::object({{"kind", "02011"}, {"date", "2024-12-31"}})}));
    Json b = baseItem(2).set("documents", Json::array({Json::object({{"kind", "09023"}, {"date", "2025-02-10"}}),
                                                       Json::object({{"kind", "09024"}})}));
    d.set("items", Json::array({a, b}));
    std::string r = e.reason(d, "Q");
    CHECK(r.find("mindate=2024-12-31 maxdate=2025-02-10 nested=true len=2") != std::string::npos);
    d.set("items", Json::array({a}));
    CHECK(e.reason(d, "Q").find("nested=false len=1") != std::string::npos);
  }
  SECTION("an int sum that overflows is missing; an overflowing body is skipped") {
    d.set("items", Json::array({quantifierItem(1, {})}));
    CHECK(e.reason(d, "Q").find("sumovf=4611686018427387904") != std::string::npos);
    d.set("items", Json::array({quantifierItem(1, {}), quantifierItem(1, {})}));  // 2^62 + 2^62 = 2^63
    CHECK(e.reason(d, "Q").find("sumovf=missing") != std::string::npos);
    d.set("items", Json::array({quantifierItem(2, {}), quantifierItem(1, {})}));  // 2 × 2^62 is missing: skipped
    CHECK(e.reason(d, "Q").find("sumovf=4611686018427387904") != std::string::npos);
  }
}

TEST_CASE("quantifiers decide profiles: any/all/count over goods items", "[vm][opcodes]") {
  Engine e(profile("ANY", "any(i in declaration.items: i.invoice_value > 100)") +
           profile("ALL", "all(i in declaration.items: i.invoice_value > 100)") +
           profile("NOT_ALL", "not all(i in declaration.items: i.invoice_value > 100)"));
  Json d = baseDeclaration();
  d.set("items", Json::array({quantifierItem(1, {}), quantifierItem(2, "200")}));
  CHECK(e.hits(d) == std::vector<std::string>{"ANY"});
  d.set("items", Json::array({quantifierItem(1, {}), quantifierItem(2, "50")}));
  CHECK(e.hits(d) == std::vector<std::string>{"NOT_ALL"});
  d.set("items", Json::array({quantifierItem(1, "101"), quantifierItem(2, "200")}));
  CHECK(e.hits(d) == std::vector<std::string>{"ALL", "ANY"});
  d.set("items", Json::array());
  CHECK(e.hits(d) == std::vector<std::string>{"ALL"});
}

// ---------------------------------------------------------------------------------------
// Missingness: ISMISSING, COALESCE (int, decimal, money, string/code, enum, date).
const std::string kMissing = registerCorpus("missingness", R"dlz(
profile "MISS" {
  level high
  scope item i
  let terms = declaration.delivery_terms ?? "EXW"
  when true
  measures documentary_check
  reason "is={i.invoice_value is missing}{i.invoice_value is present}{i.customs_value is missing} co={i.invoice_value ?? 0}|{i.supplementary_quantity ?? 1.5}|{terms}|{declaration.declarant.category ?? high}|{len(declaration.declarant.id) ?? -1}|{min(x in i.documents: x.date) ?? 2000-01-01}|{declaration.invoice_total ?? declaration.exchange_rate}"
}
)dlz");

TEST_CASE("is missing, is present and ??", "[vm][opcodes]") {
  Engine e(kMissing);
  Json d = baseDeclaration();
  d.erase("declarant.category").erase("declarant.id");
  CHECK(e.reason(d, "MISS") == "is=truefalsefalse co=0.00|1.5|EXW|high|-1|2000-01-01|missing");
  d.set("items[0].invoice_value", "12.345").set("items[0].supplementary_quantity", "3").set("delivery_terms", "FCA");
  d.set("declarant.category", "low").set("declarant.id", "БИН").set("exchange_rate", "470.5");
  d.set("items[0].documents[0].date", "2025-01-02");
  CHECK(e.reason(d, "MISS") == "is=falsetruefalse co=12.34|3|FCA|low|3|2025-01-02|470.5");
  d.set("invoice_total", "10");
  CHECK(e.reason(d, "MISS").find("|10") != std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Logic: NOT AND OR, short circuits JMPIFFALSE/JMPIFTRUE, MOVE (three_valued_test.cpp has
// the full truth tables).
const std::string kLogic = registerCorpus("logic", R"dlz(
profile "LOGIC" {
  level high
  scope item i
  let t = i.no == 1
  let u = i.invoice_value > 0
  when t and (u or true) and not (t and false)
  measures documentary_check
  reason "{t and u} {t or u} {not u} {not t}"
}
)dlz");

TEST_CASE("not, and, or in conditions and values", "[vm][opcodes]") {
  Engine e(kLogic);
  Json d = baseDeclaration();
  CHECK(e.reason(d, "LOGIC") == "missing true missing false");
  CHECK(e.hits(d.set("items[0].no", 2)).empty());
}

// ---------------------------------------------------------------------------------------
// Reasons: RTEXT and RVAL of every render kind.
const std::string kRender = registerCorpus("render", R"dlz(
profile "RENDER" {
  level high
  scope item i
  when true
  measures documentary_check
  reason "money {i.customs_value}; decimal {i.gross_weight}; int {i.no}; date {declaration.registered}; hs {i.hs_code}; country {i.origin}; currency {declaration.contract_currency}; enum {declaration.declarant.category}; bool {declaration.container}; string {i.description}; code {declaration.procedure}; missing {i.invoice_value}, {declaration.declarant.category}; braces \{x\}"
}
)dlz");

TEST_CASE("reasons render every kind of value", "[vm][opcodes]") {
  Engine e(kRender);
  Json d = baseDeclaration()
               .set("items[0].customs_value", "30110.005")
               .set("items[0].gross_weight", "30110.000")
               .set("items[0].no", 17)
               .set("items[0].hs_code", "0101210000")
               .set("items[0].origin", "AF")
               .set("contract_currency", "EUR")
               .set("declarant.category", "high")
               .set("container", true)
               .set("items[0].description", "Шины \"б/у\"")
               .set("procedure", "40");
  CHECK(e.reason(d, "RENDER") ==
        "money 30110.00; decimal 30110; int 17; date 2025-03-01; hs 0101210000; country AF; currency EUR; enum high; "
        "bool true; string Шины \"б/у\"; code 40; missing missing, high; braces {x}");
  d.set("items[0].gross_weight", Json::number("0.70")).set("items[0].customs_value", Json::number("0.015"));
  d.erase("declarant.category");
  std::string r = e.reason(d, "RENDER");
  CHECK(r.find("money 0.02; decimal 0.7;") == 0);
  CHECK(r.find("missing missing, missing;") != std::string::npos);
  // In the decision line the reason is a JSON string.
  CHECK(e.decide(d).find(R"("reason":"money 0.02; decimal 0.7; int 17; date 2025-03-01; hs 0101210000; country AF; )"
                         R"(currency EUR; enum missing; bool true; string Шины \"б/у\";)") != std::string::npos);
}

TEST_CASE("decision lines escape profile ids and reasons as JSON strings", "[vm][opcodes]") {
  Engine e(R"dlz(
profile "Q\"uote\\d" { level high scope item i when true measures documentary_check
  reason "line1\nline2 {i.description}" }
)dlz");
  Json d = baseDeclaration().set("items[0].description", std::string("a\tb\x01" "c\"d\\e\xc3\xa9\xf0\x9f\x98\x80"));
  std::string line = e.decide(d);
  CHECK(line.find(R"("profile":"Q\"uote\\d","item":1,)") != std::string::npos);
  CHECK(line.find(R"("reason":"line1\nline2 a\tb\u0001c\"d\\eé😀"})") != std::string::npos);
}

TEST_CASE("a profile without reason uses its title, or its id", "[vm][opcodes]") {
  Engine e(R"dlz(
profile "T1" { title "The title" level low when true measures documentary_check }
profile "T2" { level low when true measures documentary_check }
)dlz");
  CHECK(e.reason(baseDeclaration(), "T1") == "The title");
  CHECK(e.reason(baseDeclaration(), "T2") == "T2");
}

// ---------------------------------------------------------------------------------------
// SAMPLE (profiles_test.cpp checks the rate and the hash).
const std::string kSample = registerCorpus("sample", R"dlz(
profile "HALF" { level low sample 50% when true measures documentary_check }
profile "NONE" { level low sample 0% when true measures documentary_check }
profile "ALL" { level low sample 100% when true measures documentary_check }
)dlz");

TEST_CASE("SAMPLE: 0% never, 100% always, 50% by the documented hash", "[vm][opcodes]") {
  Engine e(kSample);
  int half = 0;
  for (int k = 0; k < 200; ++k) {
    std::string id = "S-" + std::to_string(k);
    auto hits = e.hits(baseDeclaration(id));
    bool expectHalf = Evaluator::sampled(0, "HALF", id, 0, 5000);
    CHECK(std::count(hits.begin(), hits.end(), "HALF") == (expectHalf ? 1 : 0));
    CHECK(std::count(hits.begin(), hits.end(), "NONE") == 0);
    CHECK(std::count(hits.begin(), hits.end(), "ALL") == 1);
    half += expectHalf;
  }
  CHECK(half > 60);
  CHECK(half < 140);
  // 100% compiles to no SAMPLE at all.
  std::string dis = e.disassembly();
  auto all = dis.find("profile \"ALL\"");
  auto halfPos = dis.find("profile \"HALF\"");
  REQUIRE(all != std::string::npos);
  REQUIRE(halfPos != std::string::npos);
  CHECK(dis.substr(all, halfPos - all).find("SAMPLE") == std::string::npos);
}

// ---------------------------------------------------------------------------------------
// HIT: ordering by profile id in byte order, then by item number, whatever the input order.
const std::string kOrdering = registerCorpus("hit ordering", R"dlz(
profile "b"     { level low  scope item i  when i.no != 2  measures documentary_check }
profile "KZ-9"  { level low  scope item i  when true  measures documentary_check }
profile "KZ-10" { level low  when true  measures documentary_check }
profile "Z"     { level low  scope item i  when i.no >= 2  measures documentary_check }
profile "É"     { level low  when true  measures documentary_check }
profile "A"     { level low  scope item i  when true  measures documentary_check }
)dlz");

TEST_CASE("hits come by profile id in byte order, then by item number", "[vm][opcodes]") {
  Engine e(kOrdering);
  Json d = baseDeclaration();
  d.set("items", Json::array({baseItem(3), baseItem(1), baseItem(10), baseItem(2)}));
  CHECK(e.hits(d) == std::vector<std::string>{"A#1", "A#2", "A#3", "A#10", "KZ-10", "KZ-9#1", "KZ-9#2", "KZ-9#3",
                                              "KZ-9#10", "Z#2", "Z#3", "Z#10", "b#1", "b#3", "b#10", "É"});
  // The JSON line follows the same order; item appears only for item scope.
  std::string line = e.decide(d);
  CHECK(line.find(R"({"profile":"KZ-10","level":"low")") != std::string::npos);
  CHECK(line.find(R"("profile":"A","item":1,)") < line.find(R"("profile":"A","item":2,)"));
  CHECK(line.find(R"("profile":"A","item":10,)") < line.find(R"("profile":"KZ-10")"));
}

// ---------------------------------------------------------------------------------------
// Measures and corridors.
const std::string kMeasures = registerCorpus("measures", R"dlz(
measure green_note corridor green "A note that changes nothing"
profile "BLUE"   { level low    when declaration.procedure == "B" or declaration.procedure == "ALL"  measures post_release_audit }
profile "YELLOW" { level medium when declaration.procedure == "Y" or declaration.procedure == "ALL"  measures request_documents, documentary_check }
profile "RED"    { level high   when declaration.procedure == "R" or declaration.procedure == "ALL"  measures sampling, documentary_check, customs_examination }
profile "RED2"   { level high   when declaration.procedure == "ALL" measures customs_expertise, post_release_audit }
profile "GREEN"  { level low    when declaration.procedure == "G" or declaration.procedure == "ALL"  measures green_note }
)dlz");

TEST_CASE("measures: most severe corridor first, then by name; union without duplicates", "[vm][opcodes]") {
  Engine e(kMeasures);
  Json d = baseDeclaration().set("procedure", "ALL");
  CHECK(e.measures(d) == std::vector<std::string>{"customs_examination", "customs_expertise", "sampling",
                                                  "documentary_check", "request_documents", "post_release_audit",
                                                  "green_note"});
  std::string line = e.decide(d);
  CHECK(line.find(R"("corridor":"red","measures":["customs_examination","customs_expertise","sampling",)"
                  R"("documentary_check","request_documents","post_release_audit","green_note"])") !=
        std::string::npos);
  // Each hit lists its own measures in the same order, with its own corridor.
  CHECK(line.find(R"({"profile":"RED","level":"high","corridor":"red","measures":["customs_examination",)"
                  R"("sampling","documentary_check"])") != std::string::npos);
  CHECK(line.find(R"({"profile":"RED2","level":"high","corridor":"red","measures":["customs_expertise",)"
                  R"("post_release_audit"])") != std::string::npos);
  CHECK(line.find(R"({"profile":"YELLOW","level":"medium","corridor":"yellow","measures":["documentary_check",)"
                  R"("request_documents"])") != std::string::npos);
  CHECK(line.find(R"({"profile":"GREEN","level":"low","corridor":"green","measures":["green_note"])") !=
        std::string::npos);
}

TEST_CASE("corridor precedence: red > yellow > blue > green", "[vm][opcodes]") {
  Engine e(kMeasures);
  auto corridor = [&](const char* procedure) { return e.corridor(baseDeclaration().set("procedure", procedure)); };
  CHECK(corridor("none") == "green");  // nothing fired
  CHECK(corridor("G") == "green");     // only a green measure fired
  CHECK(e.hits(baseDeclaration().set("procedure", "G")) == std::vector<std::string>{"GREEN"});
  CHECK(corridor("B") == "blue");
  CHECK(corridor("Y") == "yellow");
  CHECK(corridor("R") == "red");
  CHECK(corridor("ALL") == "red");
  Engine mix(R"dlz(
profile "P1" { level low when true measures post_release_audit }
profile "P2" { level low when declaration.procedure != "40" measures documentary_check }
profile "P3" { level low when declaration.procedure == "99" measures customs_inspection }
)dlz");
  CHECK(mix.corridor(baseDeclaration()) == "blue");
  CHECK(mix.corridor(baseDeclaration().set("procedure", "10")) == "yellow");
  CHECK(mix.corridor(baseDeclaration().set("procedure", "99")) == "red");
  CHECK(mix.measures(baseDeclaration().set("procedure", "99")) ==
        std::vector<std::string>{"customs_inspection", "documentary_check", "post_release_audit"});
}

// ---------------------------------------------------------------------------------------
// GETF through records, and LOADK of each constant kind: covered above; JMP is not emitted
// by the code generator (see the coverage test), so it is exercised here on a hand-assembled
// profile appended to a compiled program and verified like any other.
TEST_CASE("JMP: an unconditional forward jump, in a hand-assembled profile", "[vm][opcodes]") {
  auto base = compileProgram(profile("REAL", "false"));
  Program p = base->program;
  ProfileSpec jmp;
  jmp.id = "ZZ-JMP";
  jmp.title = "jumps over a hit";
  jmp.level = 2;
  jmp.measures = {static_cast<uint32_t>(std::find_if(p.measures.begin(), p.measures.end(),
                                                     [](const MeasureSpec& m) { return m.name == "documentary_check"; }) -
                                        p.measures.begin())};
  jmp.corridor = 2;
  jmp.registers = 2;
  uint16_t skipped = static_cast<uint16_t>(p.constants.size());
  p.constants.push_back({ConstKind::String, 0, 0, "skipped"});
  uint16_t reached = static_cast<uint16_t>(p.constants.size());
  p.constants.push_back({ConstKind::String, 0, 0, "reached"});
  auto insn = [](Op op, uint16_t a = 0, uint16_t b = 0, uint16_t c = 0) {
    return Insn{static_cast<uint16_t>(op), a, b, c};
  };
  jmp.code = {insn(Op::JMP, 0, 0, 3), insn(Op::RTEXT, 0, skipped), insn(Op::HIT), insn(Op::RTEXT, 0, reached),
              insn(Op::HIT), insn(Op::RET)};
  p.profiles.push_back(jmp);
  std::string error;
  auto loaded = loadInMemory(std::move(p), error);
  INFO(error);
  REQUIRE(loaded);
  Engine e(std::shared_ptr<const LoadedProgram>(std::move(loaded)));
  CHECK(e.reason(baseDeclaration(), "ZZ-JMP") == "reached");
  CHECK(opcodeNames(e.program()).count("JMP") == 1);
}

// ---------------------------------------------------------------------------------------
// Opcodes the code generator never emits. Each must be exercised by a hand-assembled test
// above, and the coverage test checks that the compiler indeed never emits it (so that the
// exemption is dropped as soon as it does).
const std::set<std::string> kNotEmittedByCodegen = {"JMP"};

TEST_CASE("every opcode of opcodes.def appears in the disassembly of the test corpus", "[vm][opcodes]") {
  std::set<std::string> seen;
  std::vector<CorpusEntry> entries = corpus();
  REQUIRE(entries.size() >= 10);
  for (const CorpusEntry& c : entries) {
    INFO("corpus source: " << c.name);
    auto lp = compileProgram(c.source, c.options);
    std::set<std::string> names = opcodeNames(*lp);
    seen.insert(names.begin(), names.end());
  }
  std::vector<std::string> untested;
  for (uint16_t op = 0; op < kOpCount; ++op) {
    std::string name = opInfo(op).name;
    if (kNotEmittedByCodegen.count(name)) {
      INFO(name << " is listed as never emitted by the code generator, but the corpus uses it: "
                   "drop it from kNotEmittedByCodegen");
      CHECK(seen.count(name) == 0);
      continue;
    }
    if (!seen.count(name)) untested.push_back(name);
  }
  INFO("opcodes no test source compiles to: " << [&] {
    std::string s;
    for (auto& n : untested) s += n + " ";
    return s;
  }());
  CHECK(untested.empty());
  // And nothing in the disassembly is unknown to the opcode table.
  for (const std::string& n : seen) {
    bool known = false;
    for (uint16_t op = 0; op < kOpCount; ++op) known |= n == opInfo(op).name;
    INFO(n);
    CHECK(known);
  }
}

}  // namespace
}  // namespace daliz::testing

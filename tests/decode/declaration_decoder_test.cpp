#include "vm/decode/declaration_decoder.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/driver/frontend.h"
#include "stdlib/reference_data.h"
#include "vm/decode/arena.h"
#include "vm/value/date.h"
#include "vm/value/decimal.h"
#include "vm/value/hs_code.h"
#include "vm/value/scalar.h"

namespace daliz {
namespace {

// ---- the stdlib declaration schema (spec section 11), built by hand ----

enum Rec : uint32_t { kParty = 0, kDocument = 1, kItem = 2, kDeclaration = 3 };

Schema stdlibSchema() {
  using K = FieldKind;
  Schema s;
  s.enums = {EnumSpec{"category", {"low", "medium", "high"}}};
  s.records.push_back({"Party",
                       {{"id", K::String, true},
                        {"name", K::String},
                        {"country", K::Country},
                        {"category", K::Enum, true, 0}}});
  s.records.push_back({"Document", {{"kind", K::Code}, {"number", K::String, true}, {"date", K::Date, true}}});
  s.records.push_back({"Item",
                       {{"no", K::Int},
                        {"hs_code", K::Hs},
                        {"description", K::String},
                        {"origin", K::Country},
                        {"gross_weight", K::Decimal},
                        {"net_weight", K::Decimal},
                        {"preference", K::Code, true},
                        {"procedure", K::Code},
                        {"supplementary_quantity", K::Decimal, true},
                        {"supplementary_unit", K::Code, true},
                        {"invoice_value", K::Money, true},
                        {"valuation_method", K::Int},
                        {"customs_value", K::Money},
                        {"statistical_value", K::Decimal, true},
                        {"documents", K::List, false, kDocument}}});
  s.records.push_back({"Declaration",
                       {{"id", K::String},
                        {"registered", K::Date},
                        {"direction", K::Code},
                        {"procedure", K::Code},
                        {"customs_office", K::Code},
                        {"exporter", K::Record, false, kParty},
                        {"consignee", K::Record, false, kParty},
                        {"declarant", K::Record, false, kParty},
                        {"trading_country", K::Country},
                        {"dispatch_country", K::Country},
                        {"destination_country", K::Country},
                        {"container", K::Bool},
                        {"delivery_terms", K::Code, true},
                        {"contract_currency", K::Currency},
                        {"invoice_total", K::Decimal, true},
                        {"exchange_rate", K::Decimal, true},
                        {"transaction_nature", K::Code, true},
                        {"border_transport_mode", K::Code},
                        {"inland_transport_mode", K::Code, true},
                        {"entry_office", K::Code, true},
                        {"total_customs_value", K::Money},
                        {"items", K::List, false, kItem}}});
  s.root = kDeclaration;
  s.idField = 0;
  s.registeredField = 1;
  s.itemsField = 21;
  s.itemNoField = 0;
  return s;
}

const Schema& schema() {
  static const Schema s = stdlibSchema();
  return s;
}

// The cell of field `name` in the record `cells` of kind `record`.
const Value& at(const Value* cells, uint32_t record, std::string_view name) {
  const auto& fields = schema().records[record].fields;
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name) return cells[i];
  FAIL("no field " << name);
  return cells[0];
}

std::string str(const Value& v) {
  REQUIRE_FALSE(v.missing);
  return std::string(v.s.data, v.s.size);
}
// Decimals as their exact shortest text: Catch2 cannot print __int128.
std::string dec(const Value& v) {
  REQUIRE_FALSE(v.missing);
  return toString(Decimal{v.d});
}
const ListValue& list(const Value& v) {
  REQUIRE_FALSE(v.missing);
  return *v.list;
}

// ---- inputs ----

// Every field of the schema present, with numbers in both JSON forms. `items` comes last.
const std::string kFull =
    R"json({"id":"51301/020125/0000001","registered":"2025-01-02","direction":"IM","procedure":"40",)json"
    R"json("customs_office":"51301","exporter":{"name":"Urumqi Silk Road Commerce Co., Ltd.","country":"CN"},)json"
    R"json("consignee":{"id":"140840095490","name":"ТОО «Номад Холдинг»","country":"KZ"},)json"
    R"json("declarant":{"id":"130240382599","name":"ТОО \"Кеден\u0020Брокер\"","country":"KZ","category":"high"},)json"
    R"json("trading_country":"CN","dispatch_country":"HK","destination_country":"KZ","container":true,)json"
    R"json("delivery_terms":"FCA","contract_currency":"USD","invoice_total":2626.33,"exchange_rate":"515.824",)json"
    R"json("transaction_nature":"010","border_transport_mode":"20","inland_transport_mode":"30",)json"
    R"json("entry_office":"50214","total_customs_value":"1457685.00","items":[)json"
    R"json({"no":1,"hs_code":"6302218000","description":"Cotton bed linen sets","origin":"CN",)json"
    R"json("gross_weight":"692.987","net_weight":670.2,"preference":"OOOOO","procedure":"4000000",)json"
    R"json("supplementary_quantity":1e3,"supplementary_unit":"796","invoice_value":"1800.00","valuation_method":1,)json"
    R"json("customs_value":"1457685.00","statistical_value":"0.1","documents":[)json"
    R"json({"kind":"04021","number":"INV-25-03773","date":"2024-12-20"},{"kind":"02015"}]},)json"
    R"json({"no":"2","hs_code":"0101","description":"Live horses","origin":"MN","gross_weight":"-0.000001",)json"
    R"json("net_weight":"12.5e-1","procedure":"4000000","valuation_method":6,"customs_value":0,"documents":[]}]})json";

// Lines of spec/examples/02_logic_declarations.jsonl: D-213 (valid), D-209, the line that is
// not JSON, and D-211.
const std::string kExampleOk =
    R"json({"id":"D-213","registered":"2025-03-01","direction":"IM","procedure":"40","customs_office":"55301","exporter":{"name":"Exporter Ltd","country":"CN"},"consignee":{"id":"123456789012","name":"Importer LLP","country":"KZ"},"declarant":{"id":"123456789012","name":"Importer LLP","country":"KZ","category":"medium"},"trading_country":"CN","dispatch_country":"CN","destination_country":"KZ","contract_currency":"USD","border_transport_mode":"30","container":false,"total_customs_value":"1620","items":[{"no":1,"hs_code":"9403600000","description":"furniture","origin":"CN","gross_weight":"110","net_weight":"100","procedure":"4000000","valuation_method":1,"customs_value":"1620","documents":[{"kind":"04021"}],"invoice_value":"1800.00"}]})json";
const std::string kExampleBadHs =
    R"json({"id":"D-209","registered":"2025-03-01","direction":"IM","procedure":"40","customs_office":"55301","exporter":{"name":"Exporter Ltd","country":"CN"},"consignee":{"id":"123456789012","name":"Importer LLP","country":"KZ"},"declarant":{"id":"123456789012","name":"Importer LLP","country":"KZ","category":"medium"},"trading_country":"CN","dispatch_country":"CN","destination_country":"KZ","contract_currency":"USD","border_transport_mode":"30","container":false,"total_customs_value":"1000","items":[{"no":1,"hs_code":"61A9000000","description":"furniture","origin":"CN","gross_weight":"110","net_weight":"100","procedure":"4000000","valuation_method":1,"customs_value":"1000","documents":[{"kind":"04021"}]}]})json";
const std::string kExampleNotJson = "this is not json";
const std::string kExampleNoDate =
    R"json({"id":"D-211","direction":"IM","procedure":"40","customs_office":"55301","exporter":{"name":"Exporter Ltd","country":"CN"},"consignee":{"id":"123456789012","name":"Importer LLP","country":"KZ"},"declarant":{"id":"123456789012","name":"Importer LLP","country":"KZ","category":"medium"},"trading_country":"CN","dispatch_country":"CN","destination_country":"KZ","contract_currency":"USD","border_transport_mode":"30","container":false,"total_customs_value":"1000","items":[{"no":1,"hs_code":"9403600000","description":"furniture","origin":"CN","gross_weight":"110","net_weight":"100","procedure":"4000000","valuation_method":1,"customs_value":"1000","documents":[{"kind":"04021"}]}]})json";

// kFull with the first occurrence of `from` replaced by `to` (which must be there).
std::string edit(std::string_view from, std::string_view to, const std::string& line = kFull) {
  const size_t p = line.find(from);
  REQUIRE(p != std::string::npos);
  std::string out = line;
  out.replace(p, from.size(), to);
  return out;
}

// kFull with its `items` value replaced.
std::string withItems(std::string_view itemsJson) {
  const size_t p = kFull.find("\"items\":");
  REQUIRE(p != std::string::npos);
  return kFull.substr(0, p) + "\"items\":" + std::string(itemsJson) + "}";
}

// A minimal valid goods item, and one with its documents.
const std::string kItemJson =
    R"json({"no":1,"hs_code":"9403600000","description":"furniture","origin":"CN","gross_weight":"110","net_weight":"100","procedure":"4000000","valuation_method":1,"customs_value":"1000","documents":[]})json";

DeclarationDecoder::Result decodeOnce(const std::string& line) {
  static DeclarationDecoder decoder(schema());
  static Arena arena;
  arena.reset();
  return decoder.decode(line, arena);
}

// ---- a full declaration ----

TEST_CASE("decoder: a full declaration decodes with exact values", "[decode]") {
  DeclarationDecoder decoder(schema());
  Arena arena;
  std::string line = kFull;
  const auto r = decoder.decode(line, arena);
  REQUIRE(r.error == "");
  REQUIRE(r.root != nullptr);
  REQUIRE(r.id == "51301/020125/0000001");
  // The tree must not point into the input: scribble over it.
  line.assign(line.size(), 'x');

  const Value* d = r.root;
  CHECK(str(at(d, kDeclaration, "id")) == "51301/020125/0000001");
  CHECK(at(d, kDeclaration, "registered").i == fromYmd(2025, 1, 2).days);
  CHECK(str(at(d, kDeclaration, "direction")) == "IM");
  CHECK(str(at(d, kDeclaration, "procedure")) == "40");
  CHECK(str(at(d, kDeclaration, "customs_office")) == "51301");
  CHECK(at(d, kDeclaration, "trading_country").i == *countryIndex("CN"));
  CHECK(at(d, kDeclaration, "dispatch_country").i == *countryIndex("HK"));
  CHECK(at(d, kDeclaration, "destination_country").i == *countryIndex("KZ"));
  CHECK(at(d, kDeclaration, "container").i == 1);
  CHECK(str(at(d, kDeclaration, "delivery_terms")) == "FCA");
  CHECK(at(d, kDeclaration, "contract_currency").i == *currencyIndex("USD"));
  CHECK(dec(at(d, kDeclaration, "invoice_total")) == "2626.33");  // a JSON number, exactly
  CHECK(dec(at(d, kDeclaration, "exchange_rate")) == "515.824");
  CHECK(str(at(d, kDeclaration, "transaction_nature")) == "010");
  CHECK(str(at(d, kDeclaration, "border_transport_mode")) == "20");
  CHECK(str(at(d, kDeclaration, "inland_transport_mode")) == "30");
  CHECK(str(at(d, kDeclaration, "entry_office")) == "50214");
  CHECK(at(d, kDeclaration, "total_customs_value").d == __int128{1457685} * 1000000);
  CHECK(toMoneyString(Decimal{at(d, kDeclaration, "total_customs_value").d}) == "1457685.00");

  const Value* exporter = at(d, kDeclaration, "exporter").rec;
  CHECK_FALSE(at(d, kDeclaration, "exporter").missing);
  CHECK(str(at(exporter, kParty, "name")) == "Urumqi Silk Road Commerce Co., Ltd.");
  CHECK(at(exporter, kParty, "country").i == *countryIndex("CN"));
  CHECK(at(exporter, kParty, "id").missing);
  CHECK(at(exporter, kParty, "category").missing);
  const Value* consignee = at(d, kDeclaration, "consignee").rec;
  CHECK(str(at(consignee, kParty, "id")) == "140840095490");
  CHECK(str(at(consignee, kParty, "name")) == "ТОО «Номад Холдинг»");
  const Value* declarant = at(d, kDeclaration, "declarant").rec;
  CHECK(str(at(declarant, kParty, "name")) == "ТОО \"Кеден Брокер\"");  // escapes undone
  CHECK(at(declarant, kParty, "category").i == 2);                       // high

  const ListValue& items = list(at(d, kDeclaration, "items"));
  REQUIRE(items.size == 2);
  const Value* i1 = items.items[0];
  CHECK(at(i1, kItem, "no").i == 1);
  CHECK(at(i1, kItem, "hs_code").i == static_cast<int64_t>(*encodeHs("6302218000")));
  CHECK(str(at(i1, kItem, "description")) == "Cotton bed linen sets");
  CHECK(at(i1, kItem, "origin").i == *countryIndex("CN"));
  CHECK(dec(at(i1, kItem, "gross_weight")) == "692.987");
  CHECK(dec(at(i1, kItem, "net_weight")) == "670.2");  // JSON number, not 670.2000000000000455
  CHECK(str(at(i1, kItem, "preference")) == "OOOOO");
  CHECK(str(at(i1, kItem, "procedure")) == "4000000");
  CHECK(dec(at(i1, kItem, "supplementary_quantity")) == "1000");  // 1e3
  CHECK(str(at(i1, kItem, "supplementary_unit")) == "796");
  CHECK(at(i1, kItem, "invoice_value").d == __int128{1800} * 1000000);  // "1800.00"
  CHECK(at(i1, kItem, "valuation_method").i == 1);
  CHECK(dec(at(i1, kItem, "customs_value")) == "1457685");
  CHECK(at(i1, kItem, "statistical_value").d == 100000);  // "0.1": exactly 0.1
  const ListValue& docs = list(at(i1, kItem, "documents"));
  REQUIRE(docs.size == 2);
  CHECK(str(at(docs.items[0], kDocument, "kind")) == "04021");
  CHECK(str(at(docs.items[0], kDocument, "number")) == "INV-25-03773");
  CHECK(at(docs.items[0], kDocument, "date").i == fromYmd(2024, 12, 20).days);
  CHECK(str(at(docs.items[1], kDocument, "kind")) == "02015");
  CHECK(at(docs.items[1], kDocument, "number").missing);
  CHECK(at(docs.items[1], kDocument, "date").missing);

  const Value* i2 = items.items[1];
  CHECK(at(i2, kItem, "no").i == 2);  // "2": an integral string
  CHECK(decodeHs(static_cast<uint64_t>(at(i2, kItem, "hs_code").i)) == "0101");  // leading zero kept
  CHECK(at(i2, kItem, "gross_weight").d == -1);                                   // -0.000001
  CHECK(dec(at(i2, kItem, "net_weight")) == "1.25");                              // 12.5e-1
  CHECK(dec(at(i2, kItem, "customs_value")) == "0");
  CHECK(at(i2, kItem, "valuation_method").i == 6);
  CHECK(list(at(i2, kItem, "documents")).size == 0);
}

TEST_CASE("decoder: absent and null optional fields are missing", "[decode]") {
  // D-213 of the spec examples leaves most optional fields out.
  auto r = decodeOnce(kExampleOk);
  REQUIRE(r.error == "");
  REQUIRE(r.id == "D-213");
  const Value* d = r.root;
  for (const char* name : {"delivery_terms", "invoice_total", "exchange_rate", "transaction_nature",
                           "inland_transport_mode", "entry_office"}) {
    INFO(name);
    CHECK(at(d, kDeclaration, name).missing);
  }
  CHECK(at(d, kDeclaration, "container").i == 0);
  CHECK_FALSE(at(d, kDeclaration, "container").missing);
  CHECK(at(at(d, kDeclaration, "exporter").rec, kParty, "id").missing);
  CHECK(at(at(d, kDeclaration, "declarant").rec, kParty, "category").i == 1);  // medium
  const Value* item = list(at(d, kDeclaration, "items")).items[0];
  for (const char* name : {"preference", "supplementary_quantity", "supplementary_unit", "statistical_value"}) {
    INFO(name);
    CHECK(at(item, kItem, name).missing);
  }
  CHECK(toMoneyString(Decimal{at(item, kItem, "invoice_value").d}) == "1800.00");

  // null is the same as absent for an optional field.
  r = decodeOnce(edit(R"("delivery_terms":"FCA")", R"("delivery_terms":null)"));
  REQUIRE(r.error == "");
  CHECK(at(r.root, kDeclaration, "delivery_terms").missing);
  r = decodeOnce(edit(R"("category":"high")", R"("category":null)"));
  REQUIRE(r.error == "");
  CHECK(at(at(r.root, kDeclaration, "declarant").rec, kParty, "category").missing);
  r = decodeOnce(edit(R"("invoice_total":2626.33)", R"("invoice_total":null)"));
  REQUIRE(r.error == "");
  CHECK(at(r.root, kDeclaration, "invoice_total").missing);
}

TEST_CASE("decoder: the bad lines of the spec examples", "[decode]") {
  auto r = decodeOnce(kExampleBadHs);
  CHECK(r.root == nullptr);
  CHECK(r.id == "D-209");
  CHECK(r.error == R"(items[0].hs_code: expected 2 to 10 digits, got "61A9000000")");

  r = decodeOnce(kExampleNotJson);
  CHECK(r.root == nullptr);
  CHECK(r.id == std::nullopt);
  CHECK(r.error == "not JSON: invalid literal at byte 0");

  r = decodeOnce(kExampleNoDate);
  CHECK(r.root == nullptr);
  CHECK(r.id == "D-211");
  CHECK(r.error == "registered: required field is missing");
}

// ---- errors: the exact message, with its path ----

struct Bad {
  const char* what;
  std::string line;
  std::string error;
};

TEST_CASE("decoder: values of the wrong form are errors naming the field", "[decode]") {
  const std::string kId = "51301/020125/0000001";
  const std::vector<Bad> cases = {
      {"missing required field, top level", edit(R"("registered":"2025-01-02",)", ""),
       "registered: required field is missing"},
      {"missing required field in items[1]", edit(R"("customs_value":0,)", ""),
       "items[1].customs_value: required field is missing"},
      {"missing required field in a nested record", edit(R"(,"country":"CN"})", "}"),
       "exporter.country: required field is missing"},
      {"missing required field in a document", edit(R"({"kind":"02015"})", R"({"number":"X"})"),
       "items[0].documents[1].kind: required field is missing"},
      {"null for a required field", edit(R"("direction":"IM")", R"("direction":null)"),
       "direction: required field is missing"},
      {"null for a required record", edit(R"("exporter":{"name":"Urumqi Silk Road Commerce Co., Ltd.","country":"CN"})",
                                          R"("exporter":null)"),
       "exporter: required field is missing"},
      {"HS code with a letter", edit("6302218000", "63O2218000"),
       R"(items[0].hs_code: expected 2 to 10 digits, got "63O2218000")"},
      {"HS code of odd length", edit(R"("0101")", R"("010")"),
       R"(items[1].hs_code: expected an even number of digits, got "010")"},
      {"HS code too long", edit("6302218000", "630221800012"),
       R"(items[0].hs_code: expected 2 to 10 digits, got "630221800012")"},
      {"HS code as a JSON number", edit(R"("6302218000")", "6302218000"),
       "items[0].hs_code: expected an HS code string, got 6302218000"},
      {"impossible date", edit("2025-01-02", "2025-02-30"), R"(registered: not a valid date "2025-02-30")"},
      {"impossible month", edit("2025-01-02", "2025-13-01"), R"(registered: not a valid date "2025-13-01")"},
      {"wrong date format", edit("2025-01-02", "02.01.2025"),
       R"(registered: expected a date "YYYY-MM-DD", got "02.01.2025" (a dd.mm.yyyy date; write 2025-01-02))"},
      {"date with a time", edit("2025-01-02", "2025-01-02T10:00:00"),
       R"(registered: expected a date "YYYY-MM-DD", got "2025-01-02T10:00:00")"},
      {"date as a number", edit(R"("2025-01-02")", "20250102"),
       R"(registered: expected a date "YYYY-MM-DD", got 20250102)"},
      {"date in a document", edit("2024-12-20", "2024-02-30"),
       R"(items[0].documents[0].date: not a valid date "2024-02-30")"},
      {"country not ISO", edit(R"("dispatch_country":"HK")", R"("dispatch_country":"XX")"),
       R"(dispatch_country: not an ISO 3166 country code "XX")"},
      {"country alias", edit(R"("dispatch_country":"HK")", R"("dispatch_country":"UK")"),
       R"(dispatch_country: not an ISO 3166 country code "UK" (did you mean "GB"?))"},
      {"country in lower case", edit(R"("origin":"MN")", R"("origin":"mn")"),
       R"(items[1].origin: not an ISO 3166 country code "mn" (did you mean "MN"?))"},
      {"country as a number", edit(R"("origin":"MN")", R"("origin":496)"),
       "items[1].origin: expected a country code string, got 496"},
      {"country as alpha-3", edit(R"("dispatch_country":"HK")", R"("dispatch_country":"KAZ")"),
       R"(dispatch_country: not an ISO 3166 country code "KAZ" (an ISO alpha-3 code; write the alpha-2 code KZ))"},
      {"country as a numeric code", edit(R"("origin":"MN")", R"("origin":"398")"),
       R"(items[1].origin: not an ISO 3166 country code "398" (an ISO numeric code; write the alpha-2 code KZ))"},
      {"currency as a numeric code", edit(R"("USD")", R"("398")"),
       R"(contract_currency: not an ISO 4217 currency code "398" (an ISO numeric code; write the alpha-3 code KZT))"},
      {"currency as a country code", edit(R"("USD")", R"("KZ")"),
       R"(contract_currency: not an ISO 4217 currency code "KZ" (a country code; write the currency code KZT))"},
      {"decimal comma", edit(R"("exchange_rate":"515.824")", R"("exchange_rate":"515,824")"),
       R"(exchange_rate: expected a number, got "515,824" (a decimal comma; write 515.824))"},
      {"HS code with dots", edit("6302218000", "6302.21.8000"),
       R"(items[0].hs_code: expected 2 to 10 digits, got "6302.21.8000" (write the digits alone: "6302218000"))"},
      {"currency not ISO", edit(R"("USD")", R"("USX")"),
       R"(contract_currency: not an ISO 4217 currency code "USX")"},
      {"currency in lower case", edit(R"("USD")", R"("usd")"),
       R"(contract_currency: not an ISO 4217 currency code "usd" (did you mean "USD"?))"},
      {"unknown enum value", edit(R"("category":"high")", R"("category":"critical")"),
       R"(declarant.category: expected low, medium or high, got "critical")"},
      {"enum value in another case", edit(R"("category":"high")", R"("category":"HIGH")"),
       R"(declarant.category: expected low, medium or high, got "HIGH")"},
      {"number where a code is expected", edit(R"("procedure":"40")", R"("procedure":40)"),
       "procedure: expected a code string, got 40"},
      {"number where a string is expected", edit(R"("Live horses")", "7"),
       "items[1].description: expected a string, got 7"},
      {"string where a number is expected", edit(R"("net_weight":670.2)", R"("net_weight":"abc")"),
       R"(items[0].net_weight: expected a number, got "abc")"},
      {"empty string where a number is expected", edit(R"("net_weight":670.2)", R"("net_weight":"")"),
       R"(items[0].net_weight: expected a number, got "")"},
      {"number with spaces in a string", edit(R"("exchange_rate":"515.824")", R"("exchange_rate":" 515.824")"),
       R"(exchange_rate: expected a number, got " 515.824")"},
      {"boolean where a number is expected", edit(R"("net_weight":670.2)", R"("net_weight":true)"),
       "items[0].net_weight: expected a number, got true"},
      {"too many fractional digits (string)", edit(R"("515.824")", R"("515.8240001")"),
       R"(exchange_rate: more than 6 fractional digits, got "515.8240001")"},
      {"too many fractional digits (number)", edit("2626.33", "0.1234567"),
       "invoice_total: more than 6 fractional digits, got 0.1234567"},
      {"decimal out of range", edit("2626.33", "1e30"), "invoice_total: out of range, got 1e30"},
      {"money out of range", edit(R"("total_customs_value":"1457685.00")", R"("total_customs_value":"-1000000000000000000000000000000")"),
       R"(total_customs_value: out of range, got "-1000000000000000000000000000000")"},
      {"int overflow", edit(R"("no":1,)", R"("no":9223372036854775808,)"),
       "items[0].no: integer out of range, got 9223372036854775808"},
      {"int overflow in a string", edit(R"("no":"2")", R"("no":"-9223372036854775809")"),
       R"(items[1].no: integer out of range, got "-9223372036854775809")"},
      {"int with a fraction", edit(R"("valuation_method":1,)", R"("valuation_method":1.5,)"),
       "items[0].valuation_method: expected an integer, got 1.5"},
      {"int with an exponent", edit(R"("valuation_method":1,)", R"("valuation_method":1e0,)"),
       "items[0].valuation_method: expected an integer, got 1e0"},
      {"int string that is not integral", edit(R"("no":"2")", R"("no":"2.0")"),
       R"(items[1].no: expected an integer, got "2.0")"},
      {"bool as a string", edit(R"("container":true)", R"("container":"true")"),
       R"(container: expected true or false, got "true")"},
      {"bool as a number", edit(R"("container":true)", R"("container":1)"),
       "container: expected true or false, got 1"},
      {"record that is not an object", edit(R"("exporter":{"name":"Urumqi Silk Road Commerce Co., Ltd.","country":"CN"})",
                                            R"("exporter":"Urumqi")"),
       R"(exporter: expected an object, got "Urumqi")"},
      {"items not an array", withItems(R"({"no":1})"), "items: expected an array, got an object"},
      {"items a string", withItems(R"("none")"), R"(items: expected an array, got "none")"},
      {"items null", withItems("null"), "items: required field is missing"},
      {"items absent", kFull.substr(0, kFull.find(",\"items\":")) + "}", "items: required field is missing"},
      {"an item that is not an object", withItems("[" + kItemJson + ",5]"), "items[1]: expected an object, got 5"},
      {"an item that is an array", withItems("[[]]"), "items[0]: expected an object, got an array"},
      {"an item that is null", withItems("[null]"), "items[0]: expected an object, got null"},
      {"documents not an array", edit(R"("documents":[])", R"("documents":{})"),
       "items[1].documents: expected an array, got an object"},
      {"duplicate field", edit(R"("registered":"2025-01-02",)", R"("registered":"2025-01-02","registered":"2025-01-03",)"),
       "registered: duplicate field"},
      {"duplicate field in an item", edit(R"("no":1,)", R"("no":1,"no":1,)"), "items[0].no: duplicate field"},
      {"the first error wins", edit(R"("direction":"IM")", R"("direction":1)", edit("6302218000", "X")),
       "direction: expected a code string, got 1"},
      {"long values are cut in the message", edit(R"("procedure":"40")", "\"procedure\":" + std::string(100, '9')),
       "procedure: expected a code string, got " + std::string(64, '9') + "\xE2\x80\xA6"},
      {"control characters are escaped in the message", edit(R"("0101")", R"("01\n01")"),
       R"(items[1].hs_code: expected 2 to 10 digits, got "01\n01")"},
  };
  for (const Bad& c : cases) {
    INFO(c.what << "\n  line: " << c.line);
    const auto r = decodeOnce(c.line);
    CHECK(r.root == nullptr);
    CHECK(r.error == c.error);
    CHECK(r.id == kId);  // the id is recovered from a line whose other fields are bad
  }
}

TEST_CASE("decoder: lines that are not JSON, or not an object", "[decode]") {
  const std::string invalidUtf8 = edit("Live horses", "Live \xff horses");
  const std::string overlong = edit("Live horses", "Live \xc0\xaf horses");
  const std::string badKey = edit(R"("id")", "\"i\xed\xa0\x80\"");  // a UTF-16 surrogate in UTF-8
  const std::vector<Bad> cases = {
      {"empty line", "", "not JSON: the line is empty"},
      {"blank line", " \t\r", "not JSON: the line is empty"},
      {"plain text", "this is not json", "not JSON: invalid literal at byte 0"},
      {"a JSON array", "[1,2]", "expected a JSON object"},
      {"a JSON array of declarations", "[" + kExampleOk + "]", "expected a JSON object"},
      {"a JSON string", R"("D-1")", "expected a JSON object"},
      {"a JSON number", "42", "expected a JSON object"},
      {"null", "null", "expected a JSON object"},
      {"trailing garbage", kFull + " x",
       "not JSON: trailing content after the JSON value at byte " + std::to_string(kFull.size() + 1)},
      {"two objects on one line", kFull + kFull,
       "not JSON: trailing content after the JSON value at byte " + std::to_string(kFull.size())},
      {"an extra closing brace", kFull + "}",
       "not JSON: trailing content after the JSON value at byte " + std::to_string(kFull.size())},
      {"cut short", kFull.substr(0, kFull.size() - 1), "not JSON: unclosed '{' at byte 0"},
      {"cut inside a string", kFull.substr(0, 10), "not JSON: unterminated string at byte 6"},
      {"mismatched bracket", edit(R"("documents":[]})", R"("documents":[}})"),
       "not JSON: unexpected '}' at byte " + std::to_string(kFull.find(R"("documents":[]})") + 13)},
      {"trailing comma", edit(R"("documents":[]})", R"("documents":[],})"),
       "not JSON: The JSON document has an improper structure: missing or superfluous commas, braces, missing "
       "keys, etc. at byte " + std::to_string(kFull.find(R"("documents":[]})") + 15)},
      {"missing colon", R"({"id" "D"})",
       "not JSON: The JSON document has an improper structure: missing or superfluous commas, braces, missing "
       "keys, etc. at byte 6"},
      {"single quotes", R"({'id':'D'})",
       "not JSON: The JSON document has an improper structure: missing or superfluous commas, braces, missing "
       "keys, etc. at byte 1"},
      {"invalid UTF-8", invalidUtf8, "not JSON: invalid UTF-8 at byte " + std::to_string(invalidUtf8.find('\xff'))},
      {"overlong UTF-8", overlong, "not JSON: invalid UTF-8 at byte " + std::to_string(overlong.find('\xc0'))},
      {"UTF-8 surrogate in a key", badKey, "not JSON: invalid UTF-8 at byte 3"},
      {"invalid escape", edit("Live horses", R"(Live\x horses)"),
       "not JSON: invalid escape in a string at byte " + std::to_string(kFull.find("Live horses") - 1)},
      {"lone surrogate escape", edit("Live horses", R"(Live\ud800 horses)"),
       "not JSON: invalid escape in a string at byte " + std::to_string(kFull.find("Live horses") - 1)},
      {"invalid escape in a key", edit(R"("hs_code":"0101")", R"("hs_\code":"0101")"),
       "not JSON: invalid escape in a string at byte " + std::to_string(kFull.find(R"("hs_code":"0101")"))},
      {"raw tab in a string", edit("Live horses", "Live\thorses"),
       "not JSON: unescaped control character in a string at byte " + std::to_string(kFull.find("Live horses") + 4)},
      {"leading zero", edit(R"("valuation_method":6)", R"("valuation_method":06)"),
       "not JSON: invalid number at byte " + std::to_string(kFull.find(R"("valuation_method":6)") + 19)},
      {"number with a trailing dot", edit("2626.33", "2626."),
       "not JSON: invalid number at byte " + std::to_string(kFull.find("2626.33"))},
      {"hex number", edit("2626.33", "0x10"), "not JSON: invalid number at byte " + std::to_string(kFull.find("2626.33"))},
      {"NaN", edit("2626.33", "NaN"),
       "not JSON: The JSON document has an improper structure: missing or superfluous commas, braces, missing "
       "keys, etc. at byte " + std::to_string(kFull.find("2626.33"))},
      {"misspelt literal", edit(R"("container":true)", R"("container":ture)"),
       "not JSON: invalid literal at byte " + std::to_string(kFull.find(R"("container":true)") + 12)},
      {"a literal with trailing letters", edit(R"("container":true)", R"("container":truex)"),
       "not JSON: invalid literal at byte " + std::to_string(kFull.find(R"("container":true)") + 12)},
      {"bad JSON in an ignored field", edit(R"("id":)", R"("note":[1,,2],"id":)"),
       "not JSON: The JSON document has an improper structure: missing or superfluous commas, braces, missing "
       "keys, etc. at byte 11"},
      {"bad number in an ignored field", edit(R"("id":)", R"("note":{"x":-},"id":)"),
       "not JSON: invalid number at byte 13"},
      // Not JSON outranks a schema error found earlier on the line, and there is no id.
      {"bad JSON after a bad field", edit(R"("direction":"IM")", R"("direction":1)", kFull + "]"),
       "not JSON: trailing content after the JSON value at byte " + std::to_string(kFull.size() - 3)},
  };
  for (const Bad& c : cases) {
    INFO(c.what << "\n  line: " << c.line);
    const auto r = decodeOnce(c.line);
    CHECK(r.root == nullptr);
    CHECK(r.error == c.error);
    CHECK(r.id == std::nullopt);
  }
}

// ---- ignored fields, id recovery, keys ----

TEST_CASE("decoder: fields the schema does not know are ignored", "[decode]") {
  std::string line = edit(R"("id":)", R"("remarks":{"a":[1,2.5e300,-0.0,"x\u00e9",true,false,null,{"b":{}}]},"big":123456789012345678901234567890,"id":)");
  line = edit(R"("no":1,)", R"("no":1,"packages":[{"kind":"CT","count":3}],"Hs_Code":"bad",)", line);
  line = edit(R"({"kind":"02015"})", R"({"kind":"02015","issued_by":"x","pages":null})", line);
  const auto r = decodeOnce(line);
  REQUIRE(r.error == "");
  CHECK(r.id == "51301/020125/0000001");
  const Value* item = list(at(r.root, kDeclaration, "items")).items[0];
  CHECK(at(item, kItem, "hs_code").i == static_cast<int64_t>(*encodeHs("6302218000")));  // names are case-sensitive
}

TEST_CASE("decoder: keys and strings are unescaped", "[decode]") {
  const auto r = decodeOnce(edit(R"("hs_code":"0101")", R"("h\u0073_code":"\u0030101")"));
  REQUIRE(r.error == "");
  const Value* item = list(at(r.root, kDeclaration, "items")).items[1];
  CHECK(decodeHs(static_cast<uint64_t>(at(item, kItem, "hs_code").i)) == "0101");
}

TEST_CASE("decoder: the id is recovered from a line with errors", "[decode]") {
  // id after the bad field
  std::string line = edit(R"("id":"51301/020125/0000001",)", "", edit("2025-01-02", "2025-02-30"));
  line = line.substr(0, line.size() - 1) + R"(,"id":"LATE-1"})";
  auto r = decodeOnce(line);
  CHECK(r.error == R"(registered: not a valid date "2025-02-30")");
  CHECK(r.id == "LATE-1");
  // a required field missing and the id last
  r = decodeOnce(R"({"registered":"2025-03-01","id":"D-7"})");
  CHECK(r.error == "direction: required field is missing");
  CHECK(r.id == "D-7");
  // an id that is not a string is an error, and there is no id
  r = decodeOnce(edit(R"("id":"51301/020125/0000001")", R"("id":51301)"));
  CHECK(r.error == "id: expected a string, got 51301");
  CHECK(r.id == std::nullopt);
  r = decodeOnce(edit(R"("id":"51301/020125/0000001")", R"("id":{"no":"51301"})"));
  CHECK(r.error == "id: expected a string, got an object");
  CHECK(r.id == std::nullopt);
  // no id at all
  r = decodeOnce(edit(R"("id":"51301/020125/0000001",)", ""));
  CHECK(r.error == "id: required field is missing");
  CHECK(r.id == std::nullopt);
  // an id with a duplicate: the first one
  r = decodeOnce(edit(R"("id":"51301/020125/0000001")", R"("id":"A","id":"B")"));
  CHECK(r.error == "id: duplicate field");
  CHECK(r.id == "A");
  // an empty object
  r = decodeOnce("{}");
  CHECK(r.error == "id: required field is missing");
  CHECK(r.id == std::nullopt);
}

// ---- limits ----

TEST_CASE("decoder: nesting deeper than the schema", "[decode]") {
  DeclarationDecoder decoder(schema());
  CHECK(decoder.maxDepth() == 5);  // declaration, items, item, documents, document
  Arena arena;
  // Ignored fields may nest as deep as the schema does...
  auto r = decoder.decode(edit(R"("id":)", R"("x":[[[{}]]],"id":)"), arena);
  CHECK(r.error == "");
  // ...but no deeper.
  r = decoder.decode(edit(R"("id":)", R"("x":[[[[{}]]]],"id":)"), arena);
  CHECK(r.error == "x[0][0][0][0]: nested deeper than the schema allows (5 levels of objects and arrays)");
  CHECK(r.id == "51301/020125/0000001");
  r = decoder.decode(edit(R"({"kind":"02015"})", R"({"kind":"02015","meta":{}})"), arena);
  CHECK(r.error == "items[0].documents[1].meta: nested deeper than the schema allows (5 levels of objects and arrays)");
  // Very deep nesting is cut off without recursion.
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  r = decoder.decode(edit(R"("id":)", "\"x\":" + deep + ",\"id\":"), arena);
  CHECK(r.error == "x[0][0][0][0]: nested deeper than the schema allows (5 levels of objects and arrays)");
  r = decoder.decode(std::string(200000, '['), arena);
  CHECK(r.error == "not JSON: unclosed '[' at byte 199999");
}

TEST_CASE("decoder: at most 100,000 list elements in one declaration", "[decode]") {
  // One goods item with 99,999 documents is 100,000 list elements: fine.
  auto item = [](size_t documents) {
    std::string docs = "[";
    for (size_t k = 0; k < documents; ++k) docs += k ? R"(,{"kind":"1"})" : R"({"kind":"1"})";
    docs += "]";
    return edit(R"("documents":[])", "\"documents\":" + docs, kItemJson);
  };
  DeclarationDecoder decoder(schema());
  Arena arena;
  auto r = decoder.decode(withItems("[" + item(99999) + "]"), arena);
  REQUIRE(r.error == "");
  CHECK(list(at(list(at(r.root, kDeclaration, "items")).items[0], kItem, "documents")).size == 99999);
  arena.reset();
  r = decoder.decode(withItems("[" + item(100000) + "]"), arena);
  CHECK(r.error == "items[0].documents[99999]: too many list elements (at most 100000 in a declaration)");
  CHECK(r.id == "51301/020125/0000001");
}

TEST_CASE("decoder: a line longer than the limit", "[decode]") {
  const auto r = decodeOnce(std::string(kMaxDeclarationBytes + 1, ' '));
  CHECK(r.error == "the line is longer than 67108864 bytes");
  CHECK(r.id == std::nullopt);
}

// ---- other schemas ----

TEST_CASE("decoder: optional records and lists of another schema", "[decode]") {
  using K = FieldKind;
  Schema s;
  s.records.push_back({"Tag", {{"name", K::String}}});
  s.records.push_back({"Root", {{"id", K::Code}, {"tags", K::List, true, 0}, {"main", K::Record, true, 0},
                                {"flag", K::Bool, true}, {"n", K::Int, true}}});
  s.root = 1;
  DeclarationDecoder decoder(s);
  CHECK(decoder.maxDepth() == 3);
  Arena arena;
  auto r = decoder.decode(R"({"id":"R1"})", arena);
  REQUIRE(r.error == "");
  CHECK(r.id == "R1");
  CHECK_FALSE(r.root[1].missing);  // an absent optional list is an empty list
  CHECK(r.root[1].list->size == 0);
  CHECK(r.root[2].missing);
  CHECK(r.root[3].missing);
  CHECK(r.root[4].missing);
  r = decoder.decode(R"({"id":"R2","tags":null,"main":{"name":"m"},"flag":false,"n":-9223372036854775808})", arena);
  REQUIRE(r.error == "");
  CHECK(r.root[1].list->size == 0);
  CHECK(std::string(r.root[2].rec[0].s.data, r.root[2].rec[0].s.size) == "m");
  CHECK(r.root[3].i == 0);
  CHECK_FALSE(r.root[3].missing);
  CHECK(r.root[4].i == INT64_MIN);
  r = decoder.decode(R"({"id":"R3","tags":[{"name":"a"},{"name":""}]})", arena);
  REQUIRE(r.error == "");
  REQUIRE(r.root[1].list->size == 2);
  CHECK(r.root[1].list->items[1][0].s.size == 0);

  // A record that contains itself: depth is capped, decoding still terminates.
  Schema rec;
  rec.records.push_back({"Node", {{"id", K::String, true}, {"next", K::Record, true, 0}}});
  DeclarationDecoder recursive(rec);
  CHECK(recursive.maxDepth() == 64);
  std::string chain = "{\"id\":\"n\"}";
  for (int k = 0; k < 70; ++k) chain = "{\"next\":" + chain + "}";
  r = recursive.decode(chain, arena);
  CHECK(r.error.find("nested deeper than the schema allows (64 levels") != std::string::npos);
}

// ---- memory ----

TEST_CASE("decoder: one arena, reset between lines, does not grow", "[decode]") {
  DeclarationDecoder decoder(schema());
  Arena arena;
  const std::vector<std::string> lines = {kFull, kExampleOk, kExampleBadHs, kExampleNotJson, kExampleNoDate,
                                          edit("2025-01-02", "2025-02-30"), withItems("[" + kItemJson + "," + kItemJson + "]")};
  size_t capacity = 0, chunks = 0, ok = 0, expectOk = 0;
  for (size_t n = 0; n < 10000; ++n) {
    arena.reset();
    const size_t which = n % lines.size();
    const auto r = decoder.decode(lines[which], arena);
    ok += r.root != nullptr;
    expectOk += which == 0 || which == 1 || which == 6;
    if (n == lines.size()) {
      capacity = arena.capacity();
      chunks = arena.chunkCount();
    }
    if (n > lines.size()) {
      REQUIRE(arena.capacity() == capacity);
      REQUIRE(arena.chunkCount() == chunks);
    }
  }
  CHECK(ok == expectOk);  // kFull, kExampleOk and the two-item line
  CHECK(chunks == 1);
  CHECK(capacity == Arena::kDefaultChunkBytes);
  CHECK(arena.used() < 16 * 1024);
}

TEST_CASE("decoder: the sample declarations of the repository", "[decode]") {
  std::ifstream in(std::string(DALIZ_SOURCE_DIR) + "/samples/declarations.jsonl");
  if (!in) return;
  DeclarationDecoder decoder(schema());
  Arena arena;
  std::string line;
  size_t ok = 0, bad = 0;
  while (std::getline(in, line)) {
    arena.reset();
    const auto r = decoder.decode(line, arena);
    if (r.root) {
      ++ok;
      CHECK(r.error == "");
      CHECK(r.id.has_value());
    } else {
      ++bad;
      CHECK_FALSE(r.error.empty());
    }
  }
  CHECK(ok > bad);
}

// ---- the arena itself ----

TEST_CASE("arena: alignment, big allocations and reuse", "[decode][arena]") {
  Arena arena;
  CHECK(arena.chunkCount() == 1);
  CHECK(arena.capacity() == Arena::kDefaultChunkBytes);
  char* b = arena.bytes(3);
  Value* v = arena.values(3);
  CHECK(reinterpret_cast<std::uintptr_t>(v) % alignof(Value) == 0);
  CHECK(reinterpret_cast<char*>(v) >= b + 3);
  const Value** p = arena.pointers(2);
  CHECK(reinterpret_cast<std::uintptr_t>(p) % alignof(const Value*) == 0);
  ListValue* l = arena.list();
  CHECK(reinterpret_cast<std::uintptr_t>(l) % alignof(ListValue) == 0);
  CHECK(arena.bytes(0) != nullptr);
  v[2] = Value::ofInt(7);
  CHECK(v[2].i == 7);

  // A big allocation gets its own chunk and leaves the current chunk in use.
  const size_t before = arena.used();
  char* big = arena.bytes(1 << 20);
  big[(1 << 20) - 1] = 1;
  CHECK(arena.chunkCount() == 2);
  CHECK(arena.used() == before + (1 << 20));
  char* next = arena.bytes(1);
  CHECK((next < big || next >= big + (1 << 20)));
  arena.reset();
  CHECK(arena.chunkCount() == 1);  // oversized chunks are freed
  CHECK(arena.used() == 0);

  // Standard chunks are kept (up to kRetainedBytes) and reused after reset().
  for (int k = 0; k < 300; ++k) arena.values(32);  // 300 KiB
  const size_t chunks = arena.chunkCount();
  CHECK(chunks >= 5);
  for (int round = 0; round < 3; ++round) {
    arena.reset();
    for (int k = 0; k < 300; ++k) arena.values(32);
    CHECK(arena.chunkCount() == chunks);
  }
  // Beyond kRetainedBytes, chunks are freed.
  for (int k = 0; k < 3000; ++k) arena.values(32);  // 3 MiB
  arena.reset();
  CHECK(arena.capacity() <= Arena::kRetainedBytes);
}

// The checker (a literal), the table loader (a CSV cell) and the decoder (a JSON field) read
// scalars through one parser (vm/value/scalar.h), so the same bad text gets the same hint.
TEST_CASE("decoder: the checker, the table loader and the decoder give the same hint",
          "[decode][scalar]") {
  namespace fs = std::filesystem;
  struct Case {
    std::string type, column, text, fix, hint;
    std::string line;  // kFull with the text in a field of that type
  };
  const std::vector<Case> cases = {
      {"country", "origin", "KAZ", "KZ", "an ISO alpha-3 code; write the alpha-2 code KZ",
       edit(R"("dispatch_country":"HK")", R"("dispatch_country":"KAZ")")},
      {"country", "origin", "398", "KZ", "an ISO numeric code; write the alpha-2 code KZ",
       edit(R"("dispatch_country":"HK")", R"("dispatch_country":"398")")},
      {"country", "origin", "UK", "GB", R"(did you mean "GB"?)",
       edit(R"("dispatch_country":"HK")", R"("dispatch_country":"UK")")},
      {"currency", "cur", "398", "KZT", "an ISO numeric code; write the alpha-3 code KZT",
       edit(R"("USD")", R"("398")")},
      {"hs", "code", "6109.10", "610910", R"(write the digits alone: "610910")",
       edit("6302218000", "6109.10")},
      {"currency", "cur", "usd", "USD", R"(did you mean "USD"?)", edit(R"("USD")", R"("usd")")},
  };
  const fs::path dir =
      fs::temp_directory_path() / ("daliz_scalar_hints_" + std::to_string(getpid()));
  fs::create_directories(dir);
  for (const Case& c : cases) {
    INFO(c.type << " " << c.text);
    ScalarError err;
    const bool parsed = c.type == "country"    ? parseCountryText(c.text, &err).has_value()
                        : c.type == "currency" ? parseCurrencyText(c.text, &err).has_value()
                                               : parseHsText(c.text, &err).has_value();
    REQUIRE_FALSE(parsed);
    CHECK(err.fix == c.fix);
    CHECK(err.hint == c.hint);

    // The checker and the table loader.
    std::ofstream(dir / "t.csv") << c.column << ",value\n" << c.text << ",1\n";
    std::ofstream(dir / "t.dlz") << "set S: set<" << c.type << "> = { \"" << c.text << "\" }\n"
                                 << "table T(" << c.column << ": " << c.type
                                 << ") -> decimal from \"t.csv\"\n";
    FrontendOptions options;
    options.files = {(dir / "t.dlz").string()};
    options.refDir = dir.string();
    const auto compilation = runFrontend(options);
    std::string literal, literalHelp, cell;
    for (const Diagnostic& d : compilation->diagnostics.all()) {
      if (d.id == Diag::BadCountry || d.id == Diag::BadCurrency || d.id == Diag::BadHsCode) {
        literal = d.message;
        literalHelp = d.help ? d.help->text() : "";
      }
      if (d.id == Diag::TableCell) cell = d.message;
    }
    if (c.type != "hs") CHECK(literal.find("did you mean `" + c.fix + "`?") != std::string::npos);
    CHECK(literalHelp.find("\"" + c.fix + "\"") != std::string::npos);
    CHECK(cell.find("(" + c.hint + ")") != std::string::npos);

    // The decoder.
    const auto r = decodeOnce(c.line);
    CHECK(r.root == nullptr);
    CHECK(r.error.find("\"" + c.text + "\" (" + c.hint + ")") != std::string::npos);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace daliz

// Which profiles take part and for which objects (spec section 7): validity ranges, status,
// sampling (rate, determinism, the documented hash), item scope versus declaration scope, and
// that the VM's profile index (guards) never changes a decision.
#include <catch2/catch.hpp>
#include <xxhash.h>

#include <map>
#include <random>
#include <set>

#include "tests/support/engine_fixture.h"
#include "vm/bundle/bundle_reader.h"
#include "vm/bundle/bundle_writer.h"
#include "vm/exec/evaluator.h"

namespace daliz::testing {
namespace {

using V = std::vector<std::string>;

// ---------------------------------------------------------------------------------------
// Validity ranges
const std::string kValidity = registerCorpus("validity", R"dlz(
profile "YEAR"  { level low  valid 2025-01-01 .. 2025-12-31  when true  measures documentary_check }
profile "DAY"   { level low  valid 2025-03-01 .. 2025-03-01  when true  measures documentary_check }
profile "ITEMS" { level low  valid 2025-02-01 .. 2025-02-28  scope item i  when true  measures documentary_check }
profile "ALWAYS" { level low  when true  measures post_release_audit }
)dlz");

TEST_CASE("valid ranges are inclusive at both ends; outside them a profile does not run", "[vm][profiles]") {
  Engine e(kValidity);
  auto on = [&](const char* date) {
    Json d = baseDeclaration().set("registered", date);
    d.set("items", Json::array({baseItem(2), baseItem(1)}));
    return e.hits(d);
  };
  CHECK(on("2024-12-31") == V{"ALWAYS"});
  CHECK(on("2025-01-01") == V{"ALWAYS", "YEAR"});
  CHECK(on("2025-01-31") == V{"ALWAYS", "YEAR"});
  CHECK(on("2025-02-01") == V{"ALWAYS", "ITEMS#1", "ITEMS#2", "YEAR"});
  CHECK(on("2025-02-28") == V{"ALWAYS", "ITEMS#1", "ITEMS#2", "YEAR"});
  CHECK(on("2025-03-01") == V{"ALWAYS", "DAY", "YEAR"});
  CHECK(on("2025-03-02") == V{"ALWAYS", "YEAR"});
  CHECK(on("2025-12-31") == V{"ALWAYS", "YEAR"});
  CHECK(on("2026-01-01") == V{"ALWAYS"});
  CHECK(e.corridor(baseDeclaration().set("registered", "2026-01-01")) == "blue");
  // Not a calendar date: an error decision, never a corridor.
  CHECK(e.corridor(baseDeclaration().set("registered", "2025-02-29")) == "error");
  CHECK(e.error(baseDeclaration().set("registered", "2025-02-29")).find("registered") != std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Status
const std::string kStatus = R"dlz(
profile "ACTIVE"    { level low  status active     when true  measures documentary_check }
profile "DEFAULT"   { level low                    when true  measures documentary_check }
profile "DRAFT"     { level high status draft      when true  measures customs_examination }
profile "SUSPENDED" { level high status suspended  when true  measures customs_examination }
)dlz";

TEST_CASE("draft profiles run only when compiled with drafts; suspended ones never", "[vm][profiles]") {
  Engine production(kStatus);
  CHECK(production.hits(baseDeclaration()) == V{"ACTIVE", "DEFAULT"});
  CHECK(production.corridor(baseDeclaration()) == "yellow");
  // Drafts are left out of the program; suspended profiles are in it, for traceability.
  std::set<std::string> ids;
  for (const ProfileSpec& p : production.program().program.profiles) ids.insert(p.id);
  CHECK(ids == std::set<std::string>{"ACTIVE", "DEFAULT", "SUSPENDED"});
  CHECK(production.disassembly().find("profile \"SUSPENDED\"") != std::string::npos);

  CompileOptions drafts;
  drafts.includeDrafts = true;
  Engine review(kStatus, drafts);
  CHECK(review.hits(baseDeclaration()) == V{"ACTIVE", "DEFAULT", "DRAFT"});
  CHECK(review.corridor(baseDeclaration()) == "red");
}

TEST_CASE("test blocks see what the bundle would run: drafts only with drafts", "[vm][profiles]") {
  const std::string tests = R"dlz(
test "draft and suspended do not fire" {
  given declaration { id: "T", registered: 2025-03-01, direction: "IM", procedure: "40", customs_office: "1",
    exporter: { name: "E", country: "CN" }, consignee: { name: "C", country: "KZ" },
    declarant: { name: "D", country: "KZ" }, trading_country: "CN", dispatch_country: "CN",
    destination_country: "KZ", container: false, contract_currency: "USD", border_transport_mode: "30",
    total_customs_value: 1 }
  expect no hit "SUSPENDED"
  expect hit "ACTIVE"
  expect corridor yellow
}
)dlz";
  CHECK(tryCompile(kStatus + tests).program != nullptr);
  CompileOptions drafts;
  drafts.includeDrafts = true;
  CompileResult r = tryCompile(kStatus + tests, drafts);
  CHECK(r.program == nullptr);  // with drafts the corridor is red: the test fails
  CHECK(r.diagnostics.find("expected corridor yellow, got red") != std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Sampling

// The documented hash (docs/language.md, Part 3 "Sampling"), computed here independently.
uint64_t documentedHash(uint64_t seed, std::string_view profile, std::string_view declaration, int64_t item) {
  unsigned char le[8];
  std::string bytes;
  for (int i = 0; i < 8; ++i) le[i] = static_cast<unsigned char>(seed >> (8 * i));
  bytes.append(reinterpret_cast<const char*>(le), 8);
  bytes += profile;
  bytes.push_back('\0');
  bytes += declaration;
  bytes.push_back('\0');
  uint64_t no = static_cast<uint64_t>(item);
  for (int i = 0; i < 8; ++i) le[i] = static_cast<unsigned char>(no >> (8 * i));
  bytes.append(reinterpret_cast<const char*>(le), 8);
  return XXH64(bytes.data(), bytes.size(), 0);
}

bool documentedSelection(uint64_t seed, std::string_view profile, std::string_view declaration, int64_t item,
                         uint32_t basisPoints) {
  return documentedHash(seed, profile, declaration, item) % 10000 < basisPoints;
}

TEST_CASE("Evaluator::sampled is the documented XXH64 construction", "[vm][profiles][sample]") {
  std::mt19937_64 rng(12345);
  const std::vector<std::string> ids = {"", "D-1", "55301/150325/0000042", "Ёж", std::string("a\0b", 3)};
  for (int k = 0; k < 2000; ++k) {
    uint64_t seed = k % 3 == 0 ? rng() : static_cast<uint64_t>(k % 5);
    std::string profile = "KZ-" + std::to_string(rng() % 1000);
    std::string decl = k % 7 == 0 ? ids[k % ids.size()] : "D-" + std::to_string(rng());
    int64_t item = k % 4 == 0 ? 0 : static_cast<int64_t>(rng()) % 100000;  // negatives too
    uint32_t bp = static_cast<uint32_t>(rng() % 10001);
    INFO("seed " << seed << " profile " << profile << " declaration " << decl << " item " << item << " bp " << bp);
    CHECK(Evaluator::sampled(seed, profile, decl, item, bp) == documentedSelection(seed, profile, decl, item, bp));
  }
  // Pinned values, computed once with XXH64 outside daliz: the hash is fixed across versions.
  CHECK(documentedHash(0, "KZ-2025-0117", "D-1", 1) == 6074374974924927389ULL);
  CHECK(documentedHash(7, "S10", "D-42", 0) == 4708676190002893250ULL);
  CHECK(Evaluator::sampled(0, "KZ-2025-0117", "D-1", 1, 7390));
  CHECK_FALSE(Evaluator::sampled(0, "KZ-2025-0117", "D-1", 1, 7389));
  CHECK(Evaluator::sampled(7, "S10", "D-42", 0, 3251));
  CHECK_FALSE(Evaluator::sampled(7, "S10", "D-42", 0, 3250));
}

const std::string kSample10 = registerCorpus("sample 10%", R"dlz(
profile "S10" { level low  sample 10%  when true  measures documentary_check }
profile "S10I" { level low  sample 10%  scope item i  when true  measures documentary_check }
)dlz");

// Decides `n` generated declarations; returns the ids selected by `profile`. The lines are
// the base declaration with only the id changed, spliced as text (this runs 10,000 times).
std::vector<std::string> selectedIds(Engine& e, int n, const std::string& profile) {
  static const std::string marker = "@@ID@@";
  static const std::string line = baseDeclaration(marker).dump();
  static const std::string prefix = line.substr(0, line.find(marker));
  static const std::string suffix = line.substr(line.find(marker) + marker.size());
  std::vector<std::string> selected;
  for (int k = 0; k < n; ++k) {
    std::string id = "55301/010325/" + std::to_string(1000000 + k);
    Decision d = e.decideDecisionLine(prefix + id + suffix);
    REQUIRE(d.ok);
    for (const std::string& h : e.hitKeys(d))
      if (h == profile) selected.push_back(id);
  }
  return selected;
}

TEST_CASE("sample 10% fires for 10% ± 1% of 10,000 declarations, exactly those the hash selects",
          "[vm][profiles][sample]") {
  Engine e(kSample10);
  const int n = 10000;
  std::vector<std::string> selected = selectedIds(e, n, "S10");
  CHECK(selected.size() >= 900);
  CHECK(selected.size() <= 1100);
  std::set<std::string> got(selected.begin(), selected.end());
  size_t agree = 0;
  for (int k = 0; k < n; ++k) {
    std::string id = "55301/010325/" + std::to_string(1000000 + k);
    agree += got.count(id) == (documentedSelection(0, "S10", id, 0, 1000) ? 1u : 0u);
  }
  CHECK(agree == static_cast<size_t>(n));
}

TEST_CASE("sampling is deterministic: same seed, same selection; another seed, another", "[vm][profiles][sample]") {
  Engine a(kSample10);
  CompileOptions seed0b;
  seed0b.files = {{"unused.txt", "forces a second compilation"}};
  Engine a2(kSample10, seed0b);
  REQUIRE(&a.program() != &a2.program());
  CompileOptions seed7;
  seed7.seed = 7;
  Engine c(kSample10, seed7);
  const int n = 1000;
  auto s1 = selectedIds(a, n, "S10");
  auto s1again = selectedIds(a, n, "S10");
  auto s2 = selectedIds(a2, n, "S10");
  auto s3 = selectedIds(c, n, "S10");
  CHECK(s1 == s1again);
  CHECK(s1 == s2);
  CHECK(s1 != s3);
  CHECK(s3.size() > 50);
  CHECK(s3.size() < 150);
  for (const std::string& id : s3) CHECK(documentedSelection(7, "S10", id, 0, 1000));
  CHECK(c.disassembly().find("seed 7") != std::string::npos);
}

TEST_CASE("item-scope sampling selects items by their number", "[vm][profiles][sample]") {
  Engine e(kSample10);
  int selected = 0;
  for (int k = 0; k < 300; ++k) {
    std::string id = "I-" + std::to_string(k);
    Json d = baseDeclaration(id);
    Json items = Json::array();
    for (int no : {5, 1, 3, 2, 4, 7, 6, 8, 9, 10}) items.push(baseItem(no));
    d.set("items", items);
    std::vector<std::string> want;
    for (int no = 1; no <= 10; ++no)
      if (documentedSelection(0, "S10I", id, no, 1000)) want.push_back("S10I#" + std::to_string(no));
    if (documentedSelection(0, "S10", id, 0, 1000)) want.insert(want.begin(), "S10");
    INFO(id);
    CHECK(e.hits(d) == want);
    selected += static_cast<int>(want.size());
  }
  CHECK(selected > 200);  // about 10% of 3,300 objects
  CHECK(selected < 460);
}

TEST_CASE("sample rates round half-even to basis points", "[vm][profiles][sample]") {
  // p% × 10000: 0.015% → 1.5 → 2; 0.025% → 2.5 → 2; 0.0125% → 1.25 → 1; 0.0135% → 1.35 → 1;
  // 0.0035% → 0.35 → 0; 0.0051% → 0.51 → 1; 12.5% → 1250; 99.9999% → 9999.99 → 10000.
  Engine e(R"dlz(
profile "A" { level low sample 0.015%   when true measures documentary_check }
profile "B" { level low sample 0.025%   when true measures documentary_check }
profile "C" { level low sample 0.0125%  when true measures documentary_check }
profile "D" { level low sample 0.0135%  when true measures documentary_check }
profile "E" { level low sample 0.0035%  when true measures documentary_check }
profile "F" { level low sample 0.0051%  when true measures documentary_check }
profile "G" { level low sample 12.5%    when true measures documentary_check }
profile "H" { level low sample 99.9999% when true measures documentary_check }
)dlz");
  std::map<std::string, uint32_t> bp;
  for (const ProfileSpec& p : e.program().program.profiles) bp[p.id] = p.sampleBasisPoints;
  CHECK(bp == std::map<std::string, uint32_t>{
                  {"A", 2}, {"B", 2}, {"C", 1}, {"D", 1}, {"E", 0}, {"F", 1}, {"G", 1250}, {"H", 10000}});
}

// ---------------------------------------------------------------------------------------
// Scope
const std::string kScopes = registerCorpus("scopes", R"dlz(
profile "DECL" { level low  when any(i in declaration.items: i.origin == "AF")  measures documentary_check
                 reason "{n} of {len(declaration.items)}"
                 let n = count(i in declaration.items: i.origin == "AF") }
profile "ITEM" { level low  scope item i  when i.origin == "AF"  measures documentary_check  reason "item {i.no}" }
profile "EACH" { level low  scope item i  when true  measures post_release_audit }
)dlz");

TEST_CASE("item scope fires once per matching item, declaration scope once", "[vm][profiles]") {
  Engine e(kScopes);
  Json d = baseDeclaration();
  d.set("items", Json::array({baseItem(4).set("origin", "AF"), baseItem(2), baseItem(9).set("origin", "AF")}));
  Decision dec = e.decideDecision(d);
  REQUIRE(dec.ok);
  CHECK(e.hitKeys(dec) == V{"DECL", "EACH#2", "EACH#4", "EACH#9", "ITEM#4", "ITEM#9"});
  CHECK(dec.hits[0].reason == "2 of 3");
  CHECK(!dec.hits[0].item.has_value());
  CHECK(dec.hits[4].reason == "item 4");
  std::string line = e.decide(d);
  CHECK(line.find(R"({"profile":"DECL","level":"low")") != std::string::npos);  // no "item" key
  CHECK(line.find(R"({"profile":"ITEM","item":9,"level":"low")") != std::string::npos);
  // No goods items: item-scope profiles have nothing to run on.
  d.set("items", Json::array());
  CHECK(e.hits(d) == V{});
  CHECK(e.corridor(d) == "green");
}

// ---------------------------------------------------------------------------------------
// The profile index: whatever the VM skips by a profile's guard must not change a decision.
// Each condition is compiled twice: as `when C` (guardable) and as `when (C) or false` (the same
// truth value, never guardable), and both must fire for exactly the same objects.
const std::vector<std::pair<std::string, std::string>> kItemConditions = {
    {"scope item i", "i.hs_code in TEXTILES"},
    {"scope item i", "i.hs_code in TEXTILES and i.origin in WATCHED"},
    {"scope item i", "i.origin in WATCHED and i.hs_code in { \"8471\", \"8517\" }"},
    {"scope item i", "i.hs_code.heading == \"6109\""},
    {"scope item i", "i.hs_code.subheading == \"610910\""},
    {"scope item i", "i.hs_code.chapter == \"61\" and i.customs_value > 1000"},
    {"scope item i", "i.hs_code == \"6109100000\""},
    {"scope item i", "i.hs_code == \"6109\""},
    {"scope item i", "i.hs_code.heading == \"61\""},
    {"scope item i", "i.origin == \"CN\""},
    {"scope item i", "i.origin != \"CN\" and i.valuation_method in { 1, 3 }"},
    {"scope item i", "i.hs_code in WIDE"},
    {"scope item i", "i.hs_code in { \"630110\"..\"630120\", \"61\", \"6109\" } and i.hs_code not in { \"6301200000\" }"},
    {"scope item i", "i.hs_code in { \"61\" } and i.invoice_value > 0"},
    {"scope item i", "i.hs_code in TEXTILES and i.hs_code in { \"8471\" }"},
    {"scope item i", "not (i.hs_code in TEXTILES)"},
    {"scope item i", "i.hs_code in TEXTILES or i.origin == \"AF\""},
    {"scope item i", "i.no in { 1, 2 } and i.origin in EAEU"},
    {"", "any(x in declaration.items: x.hs_code in TEXTILES)"},
    {"", "any(x in declaration.items: x.hs_code in TEXTILES and x.origin in WATCHED) and declaration.procedure == \"40\""},
    {"", "declaration.procedure == \"40\" and any(x in declaration.items: x.origin == \"AF\")"},
    {"", "any(x in declaration.items: x.hs_code.heading == \"8471\")"},
    {"", "any(x in declaration.items: x.invoice_value > 0 and x.hs_code in WIDE)"},
    {"", "not any(x in declaration.items: x.hs_code in TEXTILES)"},
    {"", "all(x in declaration.items: x.hs_code in TEXTILES)"},
    {"", "count(x in declaration.items: x.origin == \"AF\") >= 2"},
};

std::string guardSources() {
  std::string s = R"dlz(
set TEXTILES: set<hs> = { "61", "62", "6301".."6310", "850440", "8471300000", "01" }
set WATCHED: set<country> = { "AF", "MM" }
set WIDE: set<hs> = { "0101000000".."0199999999", "8400".."8599" }
)dlz";
  for (size_t k = 0; k < kItemConditions.size(); ++k) {
    const auto& [scope, cond] = kItemConditions[k];
    std::string extra = scope + (scope.empty() ? "" : "\n  ") + "valid 2025-01-01 .. 2025-12-31";
    s += profile("G" + std::to_string(100 + k), cond, "", extra);
    s += profile("N" + std::to_string(100 + k), "(" + cond + ") or false", "", extra);
  }
  return s;
}

const std::string kGuards = registerCorpus("guards", guardSources());

TEST_CASE("the profile index never changes a decision (guarded and unguarded conditions agree)",
          "[vm][profiles][guards]") {
  Engine e(kGuards);
  const std::vector<const char*> codes = {
      "6109100000", "6100000000", "6201000000", "6300990000", "6301000000", "6305330000", "6310999999",
      "6311000000", "8504401000", "8504500000", "8471300000", "8471300001", "8517120000", "0101210000",
      "0199999999", "0200000000", "6301100000", "6301200000", "6301150000", "61",         "6109",
      "850440",     "0101",       "6109109000", "8400000000", "8599999999", "8600000000", "8399999999"};
  const std::vector<const char*> origins = {"CN", "AF", "MM", "TR", "KZ"};
  std::mt19937_64 rng(2025);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  int fired = 0;
  for (int k = 0; k < 400; ++k) {
    Json d = baseDeclaration("G-" + std::to_string(k));
    d.set("procedure", pick(3) ? "40" : "10");
    d.set("registered", pick(10) ? "2025-06-01" : "2026-06-01");
    Json items = Json::array();
    std::vector<int> numbers = {1, 2, 3, 4, 5, 6, 7};
    std::shuffle(numbers.begin(), numbers.end(), rng);
    size_t n = pick(5);
    for (size_t j = 0; j < n; ++j) {
      Json item = baseItem(numbers[j]);
      item.set("hs_code", codes[pick(codes.size())]);
      item.set("origin", origins[pick(origins.size())]);
      item.set("valuation_method", static_cast<int>(1 + pick(4)));
      item.set("customs_value", pick(2) ? "500" : "5000");
      size_t inv = pick(3);
      if (inv == 1) item.set("invoice_value", "0");
      if (inv == 2) item.set("invoice_value", "100");
      items.push(item);
    }
    d.set("items", items);
    Decision dec = e.decideDecision(d);
    REQUIRE(dec.ok);
    V guarded, plain;
    for (const std::string& h : e.hitKeys(dec)) (h[0] == 'G' ? guarded : plain).push_back(h.substr(1));
    INFO(d.dump());
    CHECK(guarded == plain);
    fired += static_cast<int>(guarded.size());
  }
  CHECK(fired > 400);  // the conditions do fire, often
}

// writeBundle must store ProfileSpec::guard: without it every bundle loads unguarded and
// `daliz run` / the embedding API never use the profile index (decisions stay right, only the
// optimisation is lost). Failed at 10c1e86; the bundle format change was in progress.
TEST_CASE("a bundle round trip keeps the guards of the profile index", "[vm][profiles][guards]") {
  Engine e(kGuards);
  const Program& original = e.program().program;
  LoadResult r = readBundle(writeBundle(original));
  REQUIRE(r.program);
  size_t guarded = 0, kept = 0;
  for (size_t i = 0; i < original.profiles.size(); ++i) {
    const GuardSpec& a = original.profiles[i].guard;
    const GuardSpec& b = r.program->profiles[i].guard;
    guarded += a.kind != GuardSpec::None;
    bool sameHs = a.hs.size() == b.hs.size() &&
                  std::equal(a.hs.begin(), a.hs.end(), b.hs.begin(), [](const HsRange& x, const HsRange& y) {
                    return x.low == y.low && x.high == y.high && x.length == y.length;
                  });
    kept += a.kind != GuardSpec::None && a.kind == b.kind && a.field == b.field && a.anyItem == b.anyItem &&
            a.ints == b.ints && a.strings == b.strings && a.low == b.low && a.high == b.high &&
            a.onDeclaration == b.onDeclaration && sameHs;
  }
  REQUIRE(guarded > 10);
  CHECK(kept == guarded);
}

}  // namespace
}  // namespace daliz::testing

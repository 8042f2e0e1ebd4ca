// `sample p% by k1, k2 per PERIOD` (docs/language.md 2.15 and Part 3): the keyed draw is the
// documented hash, computed here independently; the same declarant re-filing under a new id gets
// the same draw within the period; the rate holds over generated declarations; and both back
// ends agree (the Engine decides every declaration with both where the build has the JIT).
#include <xxhash.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/engine_fixture.h"
#include "vm/exec/runtime.h"

namespace daliz::testing {
namespace {

// One part of a documented key: 0x00 missing, else 0x01, 4-byte LE length, text.
void part(std::string& bytes, const std::optional<std::string>& text) {
  if (!text) {
    bytes.push_back('\0');
    return;
  }
  bytes.push_back('\x01');
  uint32_t n = static_cast<uint32_t>(text->size());
  for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  bytes += *text;
}

uint64_t keyedHash(uint64_t seed, const std::string& profile,
                   const std::vector<std::optional<std::string>>& parts) {
  std::string bytes;
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((seed >> (8 * i)) & 0xFF));
  bytes += profile;
  bytes.push_back('\x01');
  for (const auto& p : parts) part(bytes, p);
  return XXH64(bytes.data(), bytes.size(), 0);
}

bool keyedSelection(uint64_t seed, const std::string& profile,
                    const std::vector<std::optional<std::string>>& parts, uint32_t basisPoints) {
  return keyedHash(seed, profile, parts) % 10000 < basisPoints;
}

const std::string kKeyed = registerCorpus("sample by … per", R"dlz(
profile "BYM" { level low  sample 10% by declaration.declarant.id per month  when true  measures documentary_check }
profile "BYW" { level low  sample 50% by declaration.declarant.id per week   when true  measures documentary_check }
profile "BY2" { level low  sample 30% by declaration.declarant.id, declaration.declarant.category, declaration.total_customs_value
                when true  measures documentary_check }
profile "BYI" { level low  scope item i  sample 40% by i.hs_code, i.no, i.customs_value, i.origin  when true  measures documentary_check }
profile "BYY" { level low  sample 20% by declaration.container, declaration.contract_currency, declaration.registered per year
                when true  measures documentary_check }
)dlz");

std::vector<std::string> hitsOf(Engine& e, const Json& d, const std::string& profile) {
  std::vector<std::string> out;
  for (const std::string& h : e.hits(d))
    if (h == profile || h.rfind(profile + "#", 0) == 0) out.push_back(h);
  return out;
}

TEST_CASE("a keyed sample is the documented hash of its key", "[vm][sample][sample-by]") {
  Engine e(kKeyed);
  int checked = 0;
  for (int k = 0; k < 400; ++k) {
    std::string declarant = "1409400" + std::to_string(10000 + k);
    std::string registered = k % 2 ? "2026-03-15" : "2026-12-31";
    Json d = baseDeclaration("D-" + std::to_string(k))
                 .set("registered", registered)
                 .set("declarant.id", declarant);
    if (k % 5 == 0) d.erase("declarant.id");
    if (k % 7 == 0) d.erase("declarant.category");
    const Json* cat = d.find("declarant.category");
    std::optional<std::string> id;
    if (k % 5 != 0) id = declarant;
    std::optional<std::string> category;
    if (cat) category = "medium";
    const std::string month = k % 2 ? "2026-03" : "2026-12";
    const std::string week = k % 2 ? "2026-W11" : "2026-W53";
    INFO("declaration " << d.dump());
    CHECK(e.fires(d, "BYM") == keyedSelection(0, "BYM", {id, month}, 1000));
    CHECK(e.fires(d, "BYW") == keyedSelection(0, "BYW", {id, week}, 5000));
    // The base declaration's total_customs_value is "4500" and container false.
    CHECK(e.fires(d, "BY2") == keyedSelection(0, "BY2", {id, category, "4500"}, 3000));
    CHECK(e.fires(d, "BYY") ==
          keyedSelection(0, "BYY", {"false", "USD", registered, "2026"}, 2000));
    ++checked;
  }
  CHECK(checked == 400);
}

TEST_CASE("item keys: each item its own draw, money in its exact decimal form",
          "[vm][sample][sample-by]") {
  Engine e(kKeyed);
  for (int k = 0; k < 100; ++k) {
    Json d = baseDeclaration("I-" + std::to_string(k));
    Json items = Json::array();
    for (int no = 1; no <= 5; ++no) {
      Json item = baseItem(no);
      item.set("customs_value", Json::number(std::to_string(1000 + k) + ".50"));
      items.push(item);
    }
    d.set("items", items);
    std::vector<std::string> want;
    for (int no = 1; no <= 5; ++no) {
      const Json& item = d.at("items[" + std::to_string(no - 1) + "]");
      std::string hs = item.find("hs_code")->dump();
      hs = hs.substr(1, hs.size() - 2);
      std::string origin = item.find("origin")->dump();
      origin = origin.substr(1, origin.size() - 2);
      if (keyedSelection(0, "BYI",
                         {hs, std::to_string(no), std::to_string(1000 + k) + ".5", origin}, 4000))
        want.push_back("BYI#" + std::to_string(no));
    }
    INFO(d.dump());
    CHECK(hitsOf(e, d, "BYI") == want);
  }
}

TEST_CASE("the same declarant re-filing under a new id gets the same draw within the month",
          "[vm][sample][sample-by]") {
  Engine e(kKeyed);
  int selected = 0, changedNextMonth = 0;
  for (int k = 0; k < 2000; ++k) {
    const std::string declarant = "DECL-" + std::to_string(k);
    Json first = baseDeclaration("55301/010326/" + std::to_string(k))
                     .set("declarant.id", declarant)
                     .set("registered", "2026-03-02");
    Json refiled = baseDeclaration("55301/170326/" + std::to_string(900000 + k))
                       .set("declarant.id", declarant)
                       .set("registered", "2026-03-31");
    Json april = baseDeclaration("55301/010426/" + std::to_string(k))
                     .set("declarant.id", declarant)
                     .set("registered", "2026-04-01");
    bool drawn = e.fires(first, "BYM");
    REQUIRE(e.fires(refiled, "BYM") == drawn);
    selected += drawn;
    changedNextMonth += e.fires(april, "BYM") != drawn;
  }
  // 10% of 2,000: a binomial standard deviation of about 13.4; allow 5 of them.
  CHECK(std::abs(selected - 200) <= 67);
  // A new month is a new draw: about 2 × 0.1 × 0.9 = 18% of declarants change.
  CHECK(changedNextMonth > 250);
  CHECK(changedNextMonth < 470);
}

TEST_CASE("a keyed 3% over 20,000 generated declarants lands within a binomial bound",
          "[vm][sample][sample-by]") {
  Engine e(R"dlz(
profile "R3" { level low  sample 3% by declaration.declarant.id  when true  measures documentary_check }
)dlz");
  static const std::string marker = "@@DECLARANT@@";
  const std::string line = baseDeclaration("D-1").set("declarant.id", marker).dump();
  const std::string prefix = line.substr(0, line.find(marker)),
                    suffix = line.substr(line.find(marker) + marker.size());
  const int n = 20000;
  int selected = 0;
  for (int k = 0; k < n; ++k) {
    Decision d = e.decideDecisionLine(prefix + "BIN" + std::to_string(100000000 + k) + suffix);
    REQUIRE(d.ok);
    selected += !d.hits.empty();
  }
  // Expected 600, standard deviation sqrt(20000 × 0.03 × 0.97) ≈ 24.1; 5 of them.
  CHECK(selected >= 600 - 121);
  CHECK(selected <= 600 + 121);
}

TEST_CASE("sample without `by` keeps the unkeyed hash and opcode", "[vm][sample][sample-by]") {
  Engine plain(
      R"dlz(profile "S10" { level low  sample 10%  when true  measures documentary_check })dlz");
  CHECK(plain.disassembly().find("SAMPLEBY") == std::string::npos);
  CHECK(plain.disassembly().find("SAMPLE ") != std::string::npos);
  Engine keyed(kKeyed);
  CHECK(keyed.disassembly().find("SKEYPER") != std::string::npos);
}

TEST_CASE("period texts: ISO weeks at year ends, months, years", "[vm][sample][sample-by]") {
  auto text = [](const char* date, SamplePeriod p) {
    return samplePeriodText(*parseDate(date), p);
  };
  CHECK(text("2026-03-15", SamplePeriod::Day) == "2026-03-15");
  CHECK(text("2026-03-15", SamplePeriod::Week) == "2026-W11");
  CHECK(text("2026-12-31", SamplePeriod::Week) == "2026-W53");
  CHECK(text("2027-01-01", SamplePeriod::Week) == "2026-W53");
  CHECK(text("2027-01-04", SamplePeriod::Week) == "2027-W01");
  CHECK(text("2024-12-30", SamplePeriod::Week) == "2025-W01");
  CHECK(text("0001-01-01", SamplePeriod::Week) == "0001-W01");
  CHECK(text("2026-03-15", SamplePeriod::Month) == "2026-03");
  CHECK(text("0987-11-02", SamplePeriod::Year) == "0987");
}

}  // namespace
}  // namespace daliz::testing

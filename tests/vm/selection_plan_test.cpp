// Selection plans (docs/language.md, "Selection plans"): the minimum random rates send a
// declaration that no profile sent to a corridor there at that rate, with the documented seeded
// draw, the office's own plan before the general one; `daliz test` states what the profiles
// decide, without the draw.
#include <xxhash.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "tests/support/cli_run.h"
#include "tests/support/engine_fixture.h"
#include "vm/exec/selection_plan.h"

namespace daliz::testing {
namespace {

const std::string kPlanned = registerCorpus("plans", R"dlz(
profile "WATCHED" {
  level high
  scope item i
  when i.origin == "AF"
  measures customs_examination
  reason "item {i.no} from AF"
}

plan "GENERAL" {
  red    1% .. 3%   random 2%
  yellow 10% .. 20% random 5%
  blue   5% .. 10%
}

plan "ALMATY" office "55301" {
  red 2% .. 6% random 0%
}
)dlz");

Json declarationAt(const std::string& id, const std::string& office) {
  Json d = baseDeclaration(id);
  d.set("customs_office", office);
  return d;
}

// The draw as docs/language.md writes it, computed here on its own.
bool documentedDraw(uint64_t seed, const std::string& corridor, const std::string& id,
                    uint32_t bp) {
  std::string bytes;
  for (int i = 0; i < 8; ++i) bytes += static_cast<char>((seed >> (8 * i)) & 0xFF);
  bytes += "random:" + corridor;
  bytes += '\0';
  bytes += id;
  return XXH64(bytes.data(), bytes.size(), 0) % 10000 < bp;
}

TEST_CASE("plans: random rates hold over generated declarations, with the documented draw",
          "[plans]") {
  CompileOptions options;
  options.seed = 20261206;
  Engine e(kPlanned, options);
  const int n = 20000;
  int red = 0, yellow = 0, mismatched = 0;
  for (int k = 0; k < n; ++k) {
    const std::string id = "51301/061226/" + std::to_string(1000000 + k);
    Decision d = e.decideDecision(declarationAt(id, "51301"));
    REQUIRE(d.ok);
    const bool drawnRed = documentedDraw(options.seed, "red", id, 200);
    const bool drawnYellow = !drawnRed && documentedDraw(options.seed, "yellow", id, 500);
    const std::string want = drawnRed ? "red" : drawnYellow ? "yellow" : "green";
    if (corridorText(d.corridor) != want) ++mismatched;
    red += d.corridor == 3;
    yellow += d.corridor == 2;
    if (d.corridor > 0) {
      REQUIRE(d.engineHits.size() == 1);
      CHECK(d.engineHits[0].profile == std::string("random:") + corridorText(d.corridor));
      CHECK(d.engineHits[0].reason == std::string("random selection for the ") +
                                          corridorText(d.corridor) +
                                          " corridor (plan \"GENERAL\")");
    }
  }
  CHECK(mismatched == 0);
  // Binomial bounds, 5 standard deviations: red 2% of all; yellow 5% of the rest.
  auto within = [](double count, double trials, double p) {
    return std::abs(count - trials * p) <= 5 * std::sqrt(trials * p * (1 - p));
  };
  CHECK(within(red, n, 0.02));
  CHECK(within(yellow, n - red, 0.05));
}

TEST_CASE(
    "plans: a declaration the profiles sent to red is not drawn; the office's plan "
    "comes first",
    "[plans]") {
  Engine e(kPlanned);
  Json watched = declarationAt("D-AF", "51301");
  watched.set("items[0].origin", "AF");
  Decision d = e.decideDecision(watched);
  CHECK(d.corridor == 3);
  CHECK(d.engineHits.empty());
  // Office 55301's plan has no random rate for red and none for yellow: nothing is ever drawn.
  int drawn = 0;
  for (int k = 0; k < 2000; ++k)
    drawn += e.decideDecision(declarationAt("55301/" + std::to_string(k), "55301")).corridor > 0;
  CHECK(drawn == 0);
  // The same ids at another office fall under the general plan and some are drawn.
  int general = 0;
  for (int k = 0; k < 2000; ++k)
    general += e.decideDecision(declarationAt("55301/" + std::to_string(k), "51301")).corridor > 0;
  CHECK(general > 50);
  const std::string line = e.decide(declarationAt("55301/1", "51301"));
  CHECK(line.find("\"hits\":[") != std::string::npos);
}

TEST_CASE("plans: replayable with the bundle's seed, different under another seed", "[plans]") {
  CompileOptions a, b;
  a.seed = 1;
  b.seed = 2;
  Engine one(kPlanned, a), again(kPlanned, a), other(kPlanned, b);
  int differ = 0;
  for (int k = 0; k < 3000; ++k) {
    const Json d = declarationAt("R-" + std::to_string(k), "51301");
    CHECK(one.decide(d) == again.decide(d));
    differ += one.corridor(d) != other.corridor(d);
  }
  CHECK(differ > 0);
}

TEST_CASE("plans: daliz test states what the profiles decide, without the random draw",
          "[plans][cli]") {
  TempDir dir;
  const std::string literal = R"dlz(
profile "NOTHING" { level low  when declaration.procedure == "99"  measures documentary_check }
plan "ALL-RED" { red 100% .. 100% random 100% }
test "green by the profiles" {
  given declaration {
    id: "T-1", registered: 2025-03-01, direction: "IM", procedure: "40", customs_office: "55301",
    exporter: { name: "Exporter Ltd", country: "CN" },
    consignee: { name: "Importer LLP", country: "KZ" },
    declarant: { name: "Importer LLP", country: "KZ" },
    trading_country: "CN", dispatch_country: "CN", destination_country: "KZ", container: false,
    contract_currency: "USD", border_transport_mode: "30", total_customs_value: 4500,
    items: [ { no: 1, hs_code: "6109100000", description: "T-shirts", origin: "CN",
               gross_weight: 110, net_weight: 100, procedure: "4000000", valuation_method: 1,
               customs_value: 4500, documents: [] } ]
  }
  expect corridor green
}
)dlz";
  dir.write("p.dlz", literal);
  Run t = daliz(dir, "test p.dlz");
  CHECK(t.exit == 0);
  INFO(t.out << t.err);
  REQUIRE(daliz(dir, "compile p.dlz -o p.bundle").exit == 0);
  dir.write("d.jsonl", baseDeclaration("T-1").dump() + "\n");
  Run r = daliz(dir, "run p.bundle --in d.jsonl");
  CHECK(r.out.find("\"status\":\"ok\",\"corridor\":\"red\"") != std::string::npos);
  CHECK(r.out.find("\"profile\":\"random:red\"") != std::string::npos);
}

}  // namespace
}  // namespace daliz::testing

// The public embedding API (include/daliz/daliz.h): load a bundle once, decide from JSON or
// from an api::Record built in code, refuse bad bundles with an error, and share one Engine
// between threads, each with its own Session.
#include <catch2/catch.hpp>

#include <functional>
#include <thread>

#include "daliz/daliz.h"
#include "tests/support/engine_fixture.h"
#include "vm/bundle/approval.h"
#include "vm/bundle/bundle_writer.h"

namespace daliz::testing {
namespace {

const api::TrustPolicy kDev = api::TrustPolicy::development();

const char* kProfiles = R"dlz(
set WATCHED: set<country> = { "AF", "MM" }

profile "EMB-1" {
  title "Cheap items from watched origins"
  level high
  scope item i
  when i.origin in WATCHED and i.customs_value / i.net_weight < 10
  measures documentary_check, request_documents
  reason "item {i.no} from {i.origin}: {i.customs_value / i.net_weight} per kg"
}

profile "EMB-2" {
  level low
  when declaration.declarant.category == low and declaration.container
  measures post_release_audit
  reason "container of a low-risk declarant, {len(declaration.items)} items"
}

profile "EMB-3" {
  level medium
  sample 50%
  when any(i in declaration.items: i.invoice_value is present and i.customs_value < i.invoice_value * 90%)
  measures customs_examination
}
)dlz";

struct BundleFile {
  TempDir dir;
  std::string path;
  std::string bytes;
  BundleFile() {
    auto lp = compileProgram(kProfiles);
    bytes = writeBundle(lp->program);
    path = dir.write("emb.bundle", bytes);
  }
};

api::Record party(const char* name, const char* country, const char* category = nullptr) {
  api::Record p;
  p.set("name", name).set("country", country);
  if (category) p.set("category", category);
  return p;
}

api::Record item(int no, const char* origin, const char* value, const char* invoice = nullptr) {
  api::Record i;
  i.set("no", no)
      .set("hs_code", "6109100000")
      .set("description", "T-shirts")
      .set("origin", origin)
      .set("gross_weight", "110")
      .set("net_weight", "100")
      .set("procedure", "4000000")
      .set("valuation_method", 1)
      .set("customs_value", value);
  if (invoice) i.set("invoice_value", invoice);
  api::Record invoiceDoc;
  invoiceDoc.set("kind", "04021");
  i.set("documents", api::Record::List{invoiceDoc});
  return i;
}

// The same declaration built in code and as JSON (through the test fixture's builder).
api::Record recordDeclaration(const std::string& id, bool container, const char* category) {
  api::Record d;
  d.set("id", id)
      .set("registered", "2025-03-01")
      .set("direction", "IM")
      .set("procedure", "40")
      .set("customs_office", "55301")
      .set("exporter", party("Exporter Ltd", "CN"))
      .set("consignee", party("Importer LLP", "KZ"))
      .set("declarant", party("Importer LLP", "KZ", category))
      .set("trading_country", "CN")
      .set("dispatch_country", "CN")
      .set("destination_country", "KZ")
      .set("container", container)
      .set("contract_currency", "USD")
      .set("border_transport_mode", "30")
      .set("total_customs_value", "1450.50")
      .set("items", api::Record::List{item(2, "AF", "450.5", "1000"), item(1, "CN", "1000"), item(3, "MM", "999")});
  return d;
}

Json jsonDeclaration(const std::string& id, bool container, const char* category) {
  Json d = baseDeclaration(id);
  d.set("container", container).set("declarant.category", category).set("total_customs_value", "1450.50");
  d.erase("consignee.id").erase("declarant.id");
  d.set("items", Json::array({baseItem(2).set("origin", "AF").set("customs_value", "450.5").set("invoice_value", "1000"),
                              baseItem(1).set("origin", "CN").set("customs_value", "1000"),
                              baseItem(3).set("origin", "MM").set("customs_value", "999")}));
  d.at("items[0]").set("description", "T-shirts");
  d.at("items[1]").set("description", "T-shirts");
  d.at("items[2]").set("description", "T-shirts");
  return d;
}

TEST_CASE("Engine::loadFile and Session::decide: JSON and Record give the same decision", "[vm][embedding]") {
  BundleFile b;
  std::string error;
  std::shared_ptr<const api::Engine> engine = api::Engine::loadFile(b.path, kDev, error);
  INFO(error);
  REQUIRE(engine);
  CHECK(error.empty());
  CHECK(engine->profileCount() == 3);
  CHECK(engine->contentHash() == contentHashHex(b.bytes));
  CHECK(engine->contentHash().size() == 32);

  api::Session session(engine);
  for (int k = 0; k < 20; ++k) {
    std::string id = "E-" + std::to_string(k);
    bool container = k % 2 == 0;
    const char* category = k % 3 == 0 ? "low" : "medium";
    api::Decision fromJson = session.decide(jsonDeclaration(id, container, category).dump());
    api::Decision fromRecord = session.decide(recordDeclaration(id, container, category));
    INFO(fromJson.json);
    REQUIRE(fromJson.ok);
    CHECK(fromRecord.json == fromJson.json);
    CHECK(fromRecord.corridor == fromJson.corridor);
    CHECK(fromRecord.measures == fromJson.measures);
    REQUIRE(fromRecord.hits.size() == fromJson.hits.size());
    for (size_t h = 0; h < fromJson.hits.size(); ++h) {
      CHECK(fromRecord.hits[h].profile == fromJson.hits[h].profile);
      CHECK(fromRecord.hits[h].item == fromJson.hits[h].item);
      CHECK(fromRecord.hits[h].reason == fromJson.hits[h].reason);
    }
    // The structured view agrees with the JSON line, which is what `daliz run` writes.
    CHECK(fromJson.id == id);
    CHECK(fromJson.bundle == engine->contentHash());
    CHECK(fromJson.json.find("\"bundle\":\"" + engine->contentHash() + "\"") != std::string::npos);
    CHECK(fromJson.json.find("\"corridor\":\"" + fromJson.corridor + "\"") != std::string::npos);
    REQUIRE(fromJson.hits.size() >= 2);
    CHECK(fromJson.hits[0].profile == "EMB-1");
    CHECK(fromJson.hits[0].item == 2);
    CHECK(fromJson.hits[0].level == "high");
    CHECK(fromJson.hits[0].corridor == "yellow");
    CHECK(fromJson.hits[0].measures == std::vector<std::string>{"documentary_check", "request_documents"});
    CHECK(fromJson.hits[0].reason == "item 2 from AF: 4.50 per kg");
    CHECK(fromJson.hits[1].profile == "EMB-1");
    CHECK(fromJson.hits[1].item == 3);
    bool low = container && k % 3 == 0;
    CHECK((std::find_if(fromJson.hits.begin(), fromJson.hits.end(),
                        [](const api::Hit& h) { return h.profile == "EMB-2"; }) != fromJson.hits.end()) == low);
  }
}

TEST_CASE("the embedding API decides as the in-memory engine and as daliz run", "[vm][embedding]") {
  BundleFile b;
  std::string error;
  auto engine = api::Engine::loadBytes(b.bytes, kDev, error);
  REQUIRE(engine);
  api::Session session(engine);
  Engine reference(kProfiles);  // in memory: bundle hash ""
  Json d = jsonDeclaration("E-X", true, "low");
  std::string fromApi = session.decide(d.dump()).json;
  std::string inMemory = reference.decide(d);
  const std::string emptyHash = "\"bundle\":\"\"}";
  REQUIRE(inMemory.size() > emptyHash.size());
  CHECK(fromApi == inMemory.substr(0, inMemory.size() - emptyHash.size()) + "\"bundle\":\"" + engine->contentHash() +
                       "\"}");
}

TEST_CASE("error decisions through the API: no corridor, the error and the id", "[vm][embedding]") {
  BundleFile b;
  std::string error;
  auto engine = api::Engine::loadFile(b.path, kDev, error);
  REQUIRE(engine);
  api::Session session(engine);
  api::Decision notJson = session.decide("{\"id\":\"E-1\",");
  CHECK_FALSE(notJson.ok);
  CHECK(notJson.corridor.empty());
  CHECK(notJson.hits.empty());
  CHECK_FALSE(notJson.error.empty());
  CHECK(notJson.json.find("\"status\":\"error\"") != std::string::npos);
  api::Record missingField = recordDeclaration("E-2", false, "low");
  missingField.set("items", api::Record::List{item(1, "AF", "not money")});
  api::Decision bad = session.decide(missingField);
  CHECK_FALSE(bad.ok);
  CHECK(bad.id == "E-2");
  CHECK(bad.corridor.empty());
  CHECK(bad.error.find("items[0].customs_value") != std::string::npos);
  // The session goes on deciding after an error.
  api::Decision after = session.decide(recordDeclaration("E-3", false, "low"));
  CHECK(after.ok);
  CHECK(after.id == "E-3");
}

// A session reuses its Decision: an ok decision after an error one must not keep the old text.
TEST_CASE("an ok decision after an error decision carries no error text", "[vm][embedding]") {
  BundleFile b;
  std::string error;
  auto engine = api::Engine::loadFile(b.path, kDev, error);
  REQUIRE(engine);
  api::Session session(engine);
  REQUIRE_FALSE(session.decide("not json").ok);
  api::Decision after = session.decide(jsonDeclaration("E-4", false, "low").dump());
  REQUIRE(after.ok);
  CHECK(after.error == "");
}

TEST_CASE("a bad bundle gives a null engine and an error", "[vm][embedding]") {
  BundleFile b;
  std::string error;
  CHECK(api::Engine::loadFile(b.dir.file("no-such.bundle"), kDev, error) == nullptr);
  CHECK_FALSE(error.empty());

  std::string flipped = b.bytes;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 1);
  error.clear();
  CHECK(api::Engine::loadFile(b.dir.write("flipped.bundle", flipped), kDev, error) == nullptr);
  CHECK(error.find("bundle") != std::string::npos);

  error.clear();
  CHECK(api::Engine::loadBytes(std::string_view(b.bytes).substr(0, b.bytes.size() - 1), kDev, error) == nullptr);
  CHECK_FALSE(error.empty());
  error.clear();
  CHECK(api::Engine::loadBytes("", kDev, error) == nullptr);
  CHECK_FALSE(error.empty());
  error.clear();
  CHECK(api::Engine::loadBytes("not a bundle at all, just some text that is long enough", kDev, error) == nullptr);
  CHECK_FALSE(error.empty());
}

TEST_CASE("several sessions on several threads share one engine", "[vm][embedding]") {
  BundleFile b;
  std::string error;
  std::shared_ptr<const api::Engine> engine = api::Engine::loadFile(b.path, kDev, error);
  REQUIRE(engine);
  const int n = 300;
  std::vector<std::string> inputs;
  for (int k = 0; k < n; ++k) {
    Json d = jsonDeclaration("T-" + std::to_string(k), k % 2 == 0, k % 3 ? "medium" : "low");
    if (k % 4 == 0) d.at("items[1]").set("invoice_value", std::to_string(2000 + k));
    if (k % 17 == 0) d.set("items[2].hs_code", "61A9");  // an error line now and then
    inputs.push_back(d.dump());
  }
  std::vector<std::string> expected;
  {
    api::Session s(engine);
    for (const std::string& in : inputs) expected.push_back(s.decide(in).json);
  }
  const int threads = 4;
  std::vector<std::vector<std::string>> got(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      api::Session s(engine);
      // Each thread walks the inputs from its own starting point, so they interleave.
      for (int k = 0; k < n; ++k) got[static_cast<size_t>(t)].push_back(s.decide(inputs[static_cast<size_t>((k + t * 71) % n)]).json);
    });
  for (auto& th : pool) th.join();
  for (int t = 0; t < threads; ++t)
    for (int k = 0; k < n; ++k) {
      INFO("thread " << t << " input " << (k + t * 71) % n);
      CHECK(got[static_cast<size_t>(t)][static_cast<size_t>(k)] == expected[static_cast<size_t>((k + t * 71) % n)]);
    }
  // The engine outlives the sessions' threads and can still be used.
  CHECK(api::Session(engine).decide(inputs[1]).json == expected[1]);
}

TEST_CASE("the trust policy: nothing loads by default, an approved bundle loads with its metadata", "[vm][embedding][approval]") {
  BundleFile b;
  PublicKey pub;
  SecretKey secret;
  REQUIRE(generateKeyPair(pub, secret));
  std::string error;
  // The default policy accepts nothing; development must be asked for by name.
  auto none = api::Engine::loadBytes(b.bytes, api::TrustPolicy{}, error);
  CHECK_FALSE(none);
  CHECK(error.find("no trusted key") != std::string::npos);
  api::TrustPolicy policy;
  REQUIRE(policy.addKeyHex(toHex(pub.data(), pub.size())));
  CHECK_FALSE(policy.addKeyHex("abc"));
  api::LoadFailure failure = api::LoadFailure::Invalid;
  error.clear();
  CHECK_FALSE(api::Engine::loadBytes(b.bytes, policy, error, &failure));
  CHECK(failure == api::LoadFailure::Refused);
  CHECK(error == "the bundle is not signed");

  auto approved = withApproval(b.bytes, Approval{9, "17-ОД", Date{20422}, 1764547200}, error);
  REQUIRE(approved);
  auto signedFile = addSignature(*approved, secret, error);
  REQUIRE(signedFile);
  auto engine = api::Engine::loadBytes(*signedFile, policy, error);
  INFO(error);
  REQUIRE(engine);
  CHECK(engine->contentHash() == contentHashHex(b.bytes));  // approval never changes the hash
  REQUIRE(engine->approval());
  CHECK(engine->approval()->sequence == 9);
  CHECK(engine->approval()->act == "17-ОД");
  CHECK(engine->approval()->actDate == "2025-11-30");
  CHECK(engine->approval()->effectiveFromText == "2025-12-01T00:00:00Z");
  CHECK(engine->signers() == std::vector<std::string>{toHex(pub.data(), pub.size())});
  api::Decision d = api::Session(engine).decide(jsonDeclaration("A-1", false, "low").dump());
  CHECK(d.sequence == 9u);
  CHECK(d.json.substr(d.json.size() - 14) == ",\"sequence\":9}");

  // Two approvals required: one is refused, two distinct keys pass.
  policy.required = 2;
  failure = api::LoadFailure::Invalid;
  CHECK_FALSE(api::Engine::loadBytes(*signedFile, policy, error, &failure));
  CHECK(failure == api::LoadFailure::Refused);
  // A signed file whose approval metadata is changed afterwards is refused under any policy.
  std::string changed = *signedFile;
  const size_t at = changed.find("DALIZAPV") + 12;  // the sequence's first byte
  changed[at] = 10;
  CHECK_FALSE(api::Engine::loadBytes(changed, kDev, error));
  CHECK(error.find("does not match the bundle") != std::string::npos);
  // Signed metadata cannot be changed by signing again.
  CHECK_FALSE(withApproval(*signedFile, Approval{10, "18", Date{20423}, 0}, error));
  CHECK(error.find("would void those signatures") != std::string::npos);
  CHECK(withApproval(*signedFile, Approval{9, "17-ОД", Date{20422}, 1764547200}, error) == *signedFile);
}

TEST_CASE("a session without an engine answers with errors, never a crash", "[vm][embedding]") {
  api::Session s(nullptr);
  CHECK_FALSE(s.valid());
  api::Decision d = s.decide("{}");
  CHECK_FALSE(d.ok);
  CHECK(d.error.find("no engine") != std::string::npos);
  CHECK_FALSE(s.decide(api::Record()).ok);
  CHECK_FALSE(s.categorize("{}").ok);
  CHECK_FALSE(s.categorize(api::Record()).ok);
  BundleFile b;
  std::string error;
  api::Session noCategorize(api::Engine::loadFile(b.path, kDev, error));
  REQUIRE(noCategorize.valid());
  api::Category c = noCategorize.categorize("{}");
  CHECK_FALSE(c.ok);
  CHECK(c.error.find("no categorize block") != std::string::npos);
}

TEST_CASE("Session::categorize: JSON and Record give the category `daliz categorize` writes", "[vm][embedding][categorize]") {
  TempDir dir;
  const std::string path = dir.write("c.bundle", writeBundle(compileProgram(R"(
categorize "PC-1" {
  rule "debt" high when participant.unpaid_debt > 0 reason "debt {participant.unpaid_debt}"
  rule "new" medium when participant.declarations_36m < 5 reason "new"
  default low reason "no rule applies"
}
)")->program));
  std::string error;
  auto engine = api::Engine::loadFile(path, kDev, error);
  REQUIRE(engine);
  CHECK(engine->canCategorize());
  api::Session s(engine);
  api::Record p;
  p.set("id", "P-1").set("registered", "2015-06-01").set("declarations_12m", 10).set("declarations_36m", 30);
  p.set("violations_12m", 0).set("violations_36m", 0).set("unpaid_debt", "12.50").set("aeo", "none");
  api::Category fromRecord = s.categorize(p);
  api::Category fromJson = s.categorize(p.toJson());
  REQUIRE(fromRecord.ok);
  CHECK(fromRecord.json == fromJson.json);
  CHECK(fromRecord.category == "high");
  CHECK(fromRecord.rule == "debt");
  CHECK(fromRecord.reason == "debt 12.50");
  CHECK(fromRecord.json == "{\"participant\":\"P-1\",\"status\":\"ok\",\"category\":\"high\",\"rule\":\"debt\","
                           "\"reason\":\"debt 12.50\",\"bundle\":\"" + engine->contentHash() + "\"}");
  api::Category bad = s.categorize(api::Record(p).set("aeo", "gold"));
  CHECK_FALSE(bad.ok);
  CHECK(bad.id == "P-1");
  CHECK(bad.error.find("aeo: expected") != std::string::npos);
}

TEST_CASE("a Record gets the checks and messages of the same JSON, and is a value", "[vm][embedding]") {
  BundleFile b;
  std::string error;
  api::Session s(api::Engine::loadFile(b.path, kDev, error));
  REQUIRE(s.valid());
  // Each bad value, set in code and written in JSON, gets the same error decision.
  const std::vector<std::pair<const char*, std::function<void(api::Record&)>>> cases = {
      {"hs letters", [](api::Record& d) { d.set("items", api::Record::List{item(1, "CN", "1").set("hs_code", "61A9")}); }},
      {"money text", [](api::Record& d) { d.set("total_customs_value", "12,50"); }},
      {"int as text", [](api::Record& d) { d.set("items", api::Record::List{item(1, "CN", "1").set("no", "x1")}); }},
      {"bool as int", [](api::Record& d) { d.set("container", 1); }},
      {"string for object", [](api::Record& d) { d.set("declarant", "Importer"); }},
      {"object for string", [](api::Record& d) { d.set("procedure", party("x", "KZ")); }},
      {"list for object", [](api::Record& d) { d.set("declarant", api::Record::List{}); }},
      {"bad country", [](api::Record& d) { d.set("trading_country", "kz"); }},
      {"alpha-3", [](api::Record& d) { d.set("trading_country", "KAZ"); }},
      {"bad date", [](api::Record& d) { d.set("registered", "2025-02-30"); }},
      {"bad enum", [](api::Record& d) { d.set("declarant", party("x", "KZ", "severe")); }},
      {"missing", [](api::Record& d) { d.set("items", api::Record::List{api::Record().set("no", 1)}); }},
      {"invalid utf-8", [](api::Record& d) { d.set("items", api::Record::List{item(1, "CN", "1").set("description", "\xff")}); }},
  };
  for (const auto& [name, spoil] : cases) {
    api::Record d = recordDeclaration("V-1", false, "low");
    spoil(d);
    api::Decision fromRecord = s.decide(d);
    api::Decision fromJson = s.decide(d.toJson());
    INFO(name << ": " << fromRecord.error << " | " << fromJson.error);
    CHECK_FALSE(fromRecord.ok);
    CHECK(fromRecord.id == "V-1");
    if (std::string(name) != "invalid utf-8") CHECK(fromRecord.json == fromJson.json);  // JSON text cannot hold it
  }
  // Copies are independent: a record set into another keeps the value it had then.
  api::Record a;
  a.set("origin", "AF");
  api::Record parent;
  parent.set("child", a);
  a.set("origin", "CN");
  api::Record copy = parent;
  copy.set("extra", true);
  CHECK(parent.toJson() == "{\"child\":{\"origin\":\"AF\"}}");
  CHECK(copy.toJson() == "{\"child\":{\"origin\":\"AF\"},\"extra\":true}");
  CHECK(a.toJson() == "{\"origin\":\"CN\"}");
  api::Record moved = std::move(a);
  CHECK(a.toJson() == "{}");
  a.set("x", 1);
  CHECK(moved.toJson() == "{\"origin\":\"CN\"}");
}

}  // namespace
}  // namespace daliz::testing

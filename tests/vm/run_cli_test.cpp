// The command line end to end (spec section 10), through the daliz binary built with the tests
// (DALIZ_BINARY): reproducible bundles, `daliz run` with any thread count giving the same bytes in
// input order, exit codes, unreadable bundles, atomic --out, `daliz test`, `compile` refusing to
// write on a failing test, and `disasm`.
#include <sys/wait.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>

#include "compiler/diag/diagnostic.h"
#include "tests/support/cli_run.h"
#include "tests/support/engine_fixture.h"
#include "vm/jit/jit.h"

namespace daliz::testing {
namespace {

std::vector<std::string> listDir(const TempDir& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

const char* kProfilesA = R"dlz(
// Customs value against reference prices.
set TEXTILES: set<hs> = { "61", "62", "6301".."6310" }
set WATCHED: set<country> = { "AF", "MM" }

profile "KZ-0117" {
  title "Cheap textiles from watched origins"
  level high
  scope item i
  let per_kg = i.customs_value / i.net_weight
  let ref = PRICE[i.hs_code, i.origin]
  when i.hs_code in TEXTILES and i.origin in WATCHED and per_kg < ref * 70%
  measures documentary_check
  reason "item {i.no}: {per_kg} per kg against {ref}"
}

profile "KZ-0200" {
  level medium
  sample 20%
  when declaration.total_customs_value > 100000
  measures customs_examination
  reason "total {declaration.total_customs_value}"
}

test "cheap shirts go yellow" {
  given declaration { id: "T1", registered: 2025-03-01, direction: "IM", procedure: "40", customs_office: "1",
    exporter: { name: "E", country: "AF" }, consignee: { name: "C", country: "KZ" },
    declarant: { name: "D", country: "KZ" }, trading_country: "AF", dispatch_country: "AF",
    destination_country: "KZ", container: false, contract_currency: "USD", border_transport_mode: "30",
    total_customs_value: 450,
    items: [ { no: 1, hs_code: "6109100000", description: "T-shirts", origin: "AF", gross_weight: 110,
               net_weight: 100, procedure: "4000000", valuation_method: 1, customs_value: 450 } ] }
  expect corridor yellow
  expect hit "KZ-0117" item 1
}
)dlz";

const char* kProfilesB = R"dlz(
table PRICE(code: hs, origin: country) -> money from "prices.csv"

profile "KZ-0300" {
  level low
  when declaration.declarant.category == low and len(declaration.items) >= 3
  measures post_release_audit
}

profile "KZ-0400" {
  status suspended
  level high
  when true
  measures customs_examination
}
)dlz";

const char* kPrices = "code,origin,value\n61,AF,38.00\n6109,AF,35.00\n62,MM,42.00\n";

// One declaration line of the generated input; every 37th line is broken in one of three ways.
std::string declarationLine(int k, std::mt19937_64& rng, bool allowErrors) {
  std::string id = "D-" + std::to_string(100000 + k);
  if (allowErrors && k % 37 == 5) {
    switch ((k / 37) % 3) {
      case 0:
        return "{\"id\":\"" + id + "\",\"registered\":";  // not JSON
      case 1:
        return baseDeclaration(id).erase("customs_office").dump();  // required field
      default:
        return baseDeclaration(id).set("items[0].hs_code", "61A9").dump();  // wrong form
    }
  }
  static const char* codes[] = {"6109100000", "6201000000", "6305330000", "8471300000",
                                "0101210000"};
  static const char* origins[] = {"AF", "MM", "CN", "TR"};
  static const char* categories[] = {"low", "medium", "high"};
  Json d = baseDeclaration(id);
  d.set("declarant.category", categories[rng() % 3]);
  d.set("total_customs_value", std::to_string(rng() % 300000));
  Json items = Json::array();
  int n = static_cast<int>(rng() % 5);
  for (int j = 0; j < n; ++j) {
    Json item = baseItem(n - j);  // items out of order
    item.set("hs_code", codes[rng() % 5]).set("origin", origins[rng() % 4]);
    item.set("customs_value",
             std::to_string(100 + rng() % 9000) + "." + std::to_string(rng() % 100));
    items.push(item);
  }
  d.set("items", items);
  return d.dump();
}

struct CliFixture {
  TempDir dir;
  CliFixture() {
    dir.write("a.dlz", kProfilesA);
    dir.write("b.dlz", kProfilesB);
    dir.write("prices.csv", kPrices);
  }
  std::string compile(const std::string& out, const std::string& files = "a.dlz b.dlz",
                      const std::string& more = "") {
    Run r = daliz(dir, "compile " + files + " -o " + out + " " + more);
    INFO(r.err);
    REQUIRE(r.exit == 0);
    return readFile(dir.file(out));
  }
};

TEST_CASE("daliz compile: the same sources give the same bundle bytes, in any file order",
          "[vm][cli]") {
  CliFixture f;
  std::string first = f.compile("x.bundle");
  std::string again = f.compile("y.bundle");
  std::string swapped = f.compile("z.bundle", "b.dlz a.dlz");
  REQUIRE(!first.empty());
  CHECK(first == again);
  CHECK(first == swapped);
  // The seed is part of the bundle.
  std::string seeded = f.compile("s.bundle", "a.dlz b.dlz", "--seed 7");
  CHECK(seeded != first);
  CHECK(seeded == f.compile("s2.bundle", "b.dlz a.dlz", "--seed 7"));
  // compile prints the PASS lines and the hash to stderr, nothing to stdout.
  Run r = daliz(f.dir, "compile a.dlz b.dlz -o w.bundle");
  CHECK(r.out.empty());
  CHECK(r.err.find("PASS  cheap shirts go yellow") != std::string::npos);
  CHECK(r.err.find("wrote w.bundle: 4 profiles") != std::string::npos);
}

TEST_CASE("daliz run: byte-identical output in input order with 1, 2 and 4 threads", "[vm][cli]") {
  CliFixture f;
  f.compile("p.bundle");
  std::mt19937_64 rng(7);
  std::string input, clean;
  std::vector<std::string> ids;
  const int n = 5000;
  int bad = 0;
  for (int k = 0; k < n; ++k) {
    std::string line = declarationLine(k, rng, true);
    input += line + "\n";
    if (k % 37 == 5) ++bad;
    ids.push_back("D-" + std::to_string(100000 + k));
    if (k == 10) input += "   \n";  // blank lines get no decision
  }
  f.dir.write("in.jsonl", input);
  std::vector<Run> runs;
  for (int threads : {1, 2, 4}) {
    runs.push_back(daliz(f.dir, "run p.bundle --in in.jsonl --threads " + std::to_string(threads)));
    INFO("threads " << threads << ": " << runs.back().err);
    CHECK(runs.back().exit == 2);  // some lines are errors
  }
  REQUIRE(!runs[0].out.empty());
  CHECK(runs[1].out == runs[0].out);
  CHECK(runs[2].out == runs[0].out);
  if (jitAvailable()) {  // the JIT's bytes too (docs/jit.md)
    Run jit = daliz(f.dir, "run p.bundle --jit --in in.jsonl --threads 2");
    INFO(jit.err);
    CHECK(jit.exit == 2);
    CHECK(jit.out == runs[0].out);
  }

  std::vector<std::string> out = lines(runs[0].out);
  REQUIRE(out.size() == static_cast<size_t>(n));
  int errors = 0, hits = 0;
  for (int k = 0; k < n; ++k) {
    const std::string& line = out[static_cast<size_t>(k)];
    bool notJson = k % 37 == 5 && (k / 37) % 3 == 0;
    std::string idPrefix =
        notJson ? "{\"id\":null," : "{\"id\":\"" + ids[static_cast<size_t>(k)] + "\",";
    INFO("line " << k << ": " << line);
    CHECK(line.rfind(idPrefix, 0) == 0);
    bool isError = line.find("\"status\":\"error\"") != std::string::npos;
    CHECK(isError == (k % 37 == 5));
    if (isError) CHECK(line.find("\"corridor\"") == std::string::npos);  // never a corridor
    errors += isError;
    hits += line.find("\"profile\":\"KZ-0117\"") != std::string::npos;
  }
  CHECK(errors == bad);
  CHECK(hits > 100);
  CHECK(runs[0].err.find(std::to_string(bad) + " of " + std::to_string(n)) != std::string::npos);

  // Without bad lines: exit 0.
  std::string good;
  for (int k = 0; k < 500; ++k) good += declarationLine(k, rng, false) + "\n";
  f.dir.write("good.jsonl", good);
  Run ok = daliz(f.dir, "run p.bundle --in good.jsonl --threads 2");
  CHECK(ok.exit == 0);
  CHECK(lines(ok.out).size() == 500);
  // Standard input gives the same.
  Run piped = daliz(f.dir, "run p.bundle --threads 3", f.dir.file("good.jsonl"));
  CHECK(piped.exit == 0);
  CHECK(piped.out == ok.out);

  // CRLF line ends and a last line without a newline decide the same.
  std::string crlf;
  for (const std::string& l : lines(good)) crlf += l + "\r\n";
  crlf.resize(crlf.size() - 2);
  f.dir.write("crlf.jsonl", crlf);
  Run fromCrlf = daliz(f.dir, "run p.bundle --in crlf.jsonl --threads 2");
  CHECK(fromCrlf.exit == 0);
  CHECK(fromCrlf.out == ok.out);
}

TEST_CASE("daliz run: an unreadable or corrupted bundle stops the run with exit 1 and a message",
          "[vm][cli]") {
  CliFixture f;
  std::string bytes = f.compile("p.bundle");
  f.dir.write("in.jsonl", baseDeclaration().dump() + "\n");
  auto expectRefused = [&](const std::string& bundle, const std::string& message) {
    Run r = daliz(f.dir, "run " + bundle + " --in in.jsonl");
    INFO(bundle << ": " << r.err);
    CHECK(r.exit == 1);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("daliz: error: ", 0) == 0);
    CHECK(r.err.find(bundle) != std::string::npos);
    if (message.empty()) {
      bool explained = false;
      for (const char* why : {"not a valid bundle", "truncated", "corrupted", "signature", "magic"})
        explained |= r.err.find(why) != std::string::npos;
      CHECK(explained);
    } else {
      CHECK(r.err.find(message) != std::string::npos);
    }
  };
  // Which check refuses a damaged file (signature framing, magic, hash, structure) is the
  // loader's business; the message names the file and says it is not a usable bundle.
  const std::string invalid = "";
  expectRefused("missing.bundle", "cannot read bundle");
  std::string flipped = bytes;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x40);
  f.dir.write("flipped.bundle", flipped);
  expectRefused("flipped.bundle", invalid);
  f.dir.write("truncated.bundle", bytes.substr(0, bytes.size() / 3));
  expectRefused("truncated.bundle", invalid);
  f.dir.write("empty.bundle", "");
  expectRefused("empty.bundle", invalid);
  f.dir.write("text.bundle", "profile \"X\" { when true measures documentary_check }\n");
  expectRefused("text.bundle", invalid);
  // disasm refuses the same way.
  Run d = daliz(f.dir, "disasm flipped.bundle");
  CHECK(d.exit == 1);
  CHECK(d.err.find("flipped.bundle") != std::string::npos);
  // A good bundle with unreadable input: exit 1.
  Run noInput = daliz(f.dir, "run p.bundle --in does-not-exist.jsonl");
  CHECK(noInput.exit == 1);
  CHECK(noInput.err.find("cannot read") != std::string::npos);
}

TEST_CASE("daliz keygen/sign/verify and run --trust: only approved, unchanged bundles run",
          "[vm][cli][approval]") {
  CliFixture f;
  std::string bytes = f.compile("p.bundle");
  f.dir.write("in.jsonl", baseDeclaration().dump() + "\n");
  REQUIRE(daliz(f.dir, "keygen --out head").exit == 0);
  REQUIRE(daliz(f.dir, "keygen --out deputy").exit == 0);
  // The secret key is the approver's alone, and keygen never overwrites one.
  CHECK((std::filesystem::status(f.dir.file("head.key")).permissions() &
         std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  std::string key = readFile(f.dir.file("head.key"));
  Run again = daliz(f.dir, "keygen --out head");
  CHECK(again.exit == 1);
  CHECK(again.err.find("already exists") != std::string::npos);
  CHECK(readFile(f.dir.file("head.key")) == key);

  // Unsigned: refused by verify and by run --trust, which writes nothing.
  CHECK(daliz(f.dir, "verify p.bundle --trust head.pub").exit == 1);
  Run unsigned_ = daliz(f.dir, "run p.bundle --trust head.pub --in in.jsonl");
  CHECK(unsigned_.exit == 1);
  CHECK(unsigned_.out.empty());
  // Signed by one approver: one signature suffices by default, two are required on demand.
  REQUIRE(daliz(f.dir, "sign p.bundle --key head.key").exit == 0);
  CHECK(daliz(f.dir, "verify p.bundle --trust head.pub").exit == 0);
  CHECK(daliz(f.dir, "verify p.bundle --trust head.pub deputy.pub --require 2").exit == 1);
  REQUIRE(daliz(f.dir, "sign p.bundle --key deputy.key").exit == 0);
  CHECK(daliz(f.dir, "verify p.bundle --trust head.pub deputy.pub --require 2").exit == 0);
  Run approved = daliz(f.dir, "run p.bundle --trust head.pub deputy.pub --require 2 --in in.jsonl");
  CHECK(approved.exit == 0);
  CHECK(lines(approved.out).size() == 1);
  // A key nobody trusts does not count.
  CHECK(daliz(f.dir, "verify p.bundle --trust deputy.pub head.pub --require 3").exit == 1);
  // One flipped byte of the bundle after signing: refused.
  std::string signedBytes = readFile(f.dir.file("p.bundle"));
  std::string flipped = signedBytes;
  flipped[bytes.size() / 2] = static_cast<char>(flipped[bytes.size() / 2] ^ 0x01);
  f.dir.write("flipped.bundle", flipped);
  Run changed = daliz(f.dir, "run flipped.bundle --trust head.pub --in in.jsonl");
  CHECK(changed.exit == 1);
  CHECK(changed.out.empty());
  CHECK(changed.err.find("flipped.bundle") != std::string::npos);
}

TEST_CASE("daliz run --out: written atomically, no temporary file left behind", "[vm][cli]") {
  CliFixture f;
  f.compile("p.bundle");
  std::mt19937_64 rng(3);
  std::string input;
  for (int k = 0; k < 200; ++k) input += declarationLine(k, rng, false) + "\n";
  f.dir.write("in.jsonl", input);
  Run toStdout = daliz(f.dir, "run p.bundle --in in.jsonl --threads 2");
  REQUIRE(toStdout.exit == 0);
  auto before = listDir(f.dir);

  Run r = daliz(f.dir, "run p.bundle --in in.jsonl --out decisions.jsonl --threads 2");
  CHECK(r.exit == 0);
  CHECK(r.out.empty());
  CHECK(readFile(f.dir.file("decisions.jsonl")) == toStdout.out);
  auto after = listDir(f.dir);
  before.push_back("decisions.jsonl");
  std::sort(before.begin(), before.end());
  CHECK(after == before);  // the output and nothing else (no *.tmp.*)

  // A run that fails leaves an existing output untouched and no temporary file.
  f.dir.write("decisions.jsonl", "previous\n");
  f.dir.write("bad.bundle", "garbage");
  Run failed = daliz(f.dir, "run bad.bundle --in in.jsonl --out decisions.jsonl");
  CHECK(failed.exit == 1);
  CHECK(readFile(f.dir.file("decisions.jsonl")) == "previous\n");
  // An output in a folder that does not exist: exit 1, a message, nothing left behind.
  Run unwritable = daliz(f.dir, "run p.bundle --in in.jsonl --out no/such/dir/out.jsonl");
  CHECK(unwritable.exit == 1);
  CHECK(unwritable.err.find("cannot write") != std::string::npos);
  for (const std::string& name : listDir(f.dir)) CHECK(name.find(".tmp") == std::string::npos);
}

TEST_CASE(
    "daliz test prints PASS/FAIL lines and exits 1 on a failing test; compile then writes nothing",
    "[vm][cli]") {
  CliFixture f;
  Run passing = daliz(f.dir, "test a.dlz b.dlz");
  CHECK(passing.exit == 0);
  CHECK(passing.out == "PASS  cheap shirts go yellow\n1 passed, 0 failed\n");

  f.dir.write("c.dlz", R"dlz(
test "expects red but gets yellow" {
  given declaration { id: "T2", registered: 2025-03-01, direction: "IM", procedure: "40", customs_office: "1",
    exporter: { name: "E", country: "AF" }, consignee: { name: "C", country: "KZ" },
    declarant: { name: "D", country: "KZ" }, trading_country: "AF", dispatch_country: "AF",
    destination_country: "KZ", container: false, contract_currency: "USD", border_transport_mode: "30",
    total_customs_value: 450,
    items: [ { no: 1, hs_code: "6109100000", description: "T-shirts", origin: "AF", gross_weight: 110,
               net_weight: 100, procedure: "4000000", valuation_method: 1, customs_value: 450 } ] }
  expect corridor red
  expect no hit "KZ-0117"
}
)dlz");
  Run failing = daliz(f.dir, "test a.dlz b.dlz c.dlz");
  CHECK(failing.exit == 1);
  CHECK(failing.out.find("PASS  cheap shirts go yellow\n") != std::string::npos);
  CHECK(failing.out.find("FAIL  expects red but gets yellow\n") != std::string::npos);
  CHECK(failing.out.find("      expected corridor red, got yellow (hits \"KZ-0117\" item 1)\n") !=
        std::string::npos);
  CHECK(failing.out.find("      expected no hit of \"KZ-0117\", got hits \"KZ-0117\" item 1\n") !=
        std::string::npos);
  CHECK(failing.out.find("1 passed, 1 failed\n") != std::string::npos);

  // compile refuses to write a bundle, and leaves an existing one alone.
  Run refused = daliz(f.dir, "compile a.dlz b.dlz c.dlz -o out.bundle");
  CHECK(refused.exit == 1);
  CHECK(refused.err.find("FAIL  expects red but gets yellow") != std::string::npos);
  CHECK(refused.err.find("no bundle written") != std::string::npos);
  CHECK(!std::filesystem::exists(f.dir.file("out.bundle")));
  f.dir.write("old.bundle", "old bytes");
  CHECK(daliz(f.dir, "compile a.dlz b.dlz c.dlz -o old.bundle").exit == 1);
  CHECK(readFile(f.dir.file("old.bundle")) == "old bytes");
  for (const std::string& name : listDir(f.dir)) CHECK(name.find(".tmp") == std::string::npos);
}

// The command line's own errors are rows of the diagnostics table (compiler/diag/diagnostics.def),
// printed as `daliz: error: …` like those of check and compile.
TEST_CASE("daliz: the command line's errors come from the diagnostics table", "[vm][cli]") {
  CliFixture f;
  f.compile("p.bundle");
  f.dir.write("in.jsonl", baseDeclaration().dump() + "\n");
  auto line = [](Diag id, const std::vector<std::string>& args = {}) {
    return "daliz: error: " + formatDiagnostic(id, args) + "\n";
  };
  Run sign = daliz(f.dir, "sign p.bundle --key in.jsonl");
  CHECK(sign.exit == 1);
  CHECK(sign.err == line(Diag::NotSecretKey, {"in.jsonl"}));
  CHECK(sign.err ==
        "daliz: error: `in.jsonl` is not a secret key file (one line of 128 hex digits)\n");

  Run stream = daliz(f.dir, "run p.bundle --stream --out out.jsonl");
  CHECK(stream.exit == 1);
  CHECK(stream.err == line(Diag::StreamTakesNoOut));

  Run missing = daliz(f.dir, "run p.bundle --in nowhere.jsonl");
  CHECK(missing.exit == 1);
  CHECK(missing.err == line(Diag::CannotOpenInput, {"nowhere.jsonl"}));

  Run notKey = daliz(f.dir, "run p.bundle --trust in.jsonl --in in.jsonl");
  CHECK(notKey.exit == 1);
  CHECK(notKey.err == line(Diag::NotPublicKey, {"in.jsonl"}));

  Run history = daliz(f.dir, "backtest p.bundle --history missing.jsonl");
  CHECK(history.exit == 1);
  CHECK(history.err == line(Diag::CannotReadHistory, {"missing.jsonl"}));
}

TEST_CASE("daliz disasm lists every profile of the bundle", "[vm][cli]") {
  CliFixture f;
  f.compile("p.bundle");
  Run r = daliz(f.dir, "disasm p.bundle");
  CHECK(r.exit == 0);
  for (const char* id : {"KZ-0117", "KZ-0200", "KZ-0300", "KZ-0400"})
    CHECK(r.out.find(std::string("profile \"") + id + "\"") != std::string::npos);
  CHECK(r.out.find("status suspended") != std::string::npos);
  CHECK(r.out.find("sample 2000/10000") != std::string::npos);
  CHECK(r.out.find("LOOKUP") != std::string::npos);
  CHECK(r.out.find("table PRICE") != std::string::npos);
  // The hash in the header is the one decisions carry.
  std::string hash = r.out.substr(std::string("bundle ").size(), 32);
  f.dir.write("in.jsonl", baseDeclaration().dump() + "\n");
  CHECK(daliz(f.dir, "run p.bundle --in in.jsonl").out.find("\"bundle\":\"" + hash + "\"") !=
        std::string::npos);
}

TEST_CASE(
    "daliz compile: a profile beyond the code limits is an error at the profile, never an internal "
    "error",
    "[vm][cli][robustness]") {
  TempDir dir;
  // Each indicator uses the one before three times: the inlined code doubles and more per level.
  auto chain = [](int levels) {
    std::string s = "indicator a0(i: Item): bool = i.customs_value > 1 or i.net_weight > 1\n";
    for (int k = 1; k <= levels; ++k)
      s += "indicator a" + std::to_string(k) + "(i: Item): bool = a" + std::to_string(k - 1) +
           "(i) and a" + std::to_string(k - 1) + "(i) or not a" + std::to_string(k - 1) + "(i)\n";
    return s + "profile \"BIG-1\" {\n  level low\n  scope item i\n  when a" +
           std::to_string(levels) + "(i)\n  measures post_release_audit\n}\n";
  };
  for (int levels : {7, 9}) {
    INFO(levels << " levels");
    dir.write("big.dlz", chain(levels));
    Run r = daliz(dir, "compile big.dlz -o big.bundle");
    CHECK(r.exit == 1);
    CHECK(r.err.find("internal error") == std::string::npos);
    CHECK(r.err.find("big.dlz:" + std::to_string(levels + 2) +
                     ":9: error: profile \"BIG-1\" is too large to run safely") !=
          std::string::npos);
    CHECK(r.err.find(levels == 9 ? "ProfileCode" : "VerifierStateCells") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.file("big.bundle")));
  }
}

}  // namespace
}  // namespace daliz::testing

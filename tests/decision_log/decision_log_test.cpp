// The decision log (decision_log/): records chained by hash, continued across restarts and
// rotations, a torn last line kept aside; `daliz run --log` and `daliz replay` on 100,000
// decisions; `daliz run --stream` driven through a pipe.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "decision_log/chain.h"
#include "decision_log/writer.h"
#include "tests/support/child_process.h"
#include "tests/support/cli_run.h"
#include "tests/support/engine_fixture.h"
#include "vm/bundle/bundle_writer.h"

namespace daliz::testing {
namespace {

using namespace std::chrono_literals;
namespace dl = decision_log;

const char* kProfiles = R"dlz(
profile "LOG-1" {
  level high
  scope item i
  when i.origin == "AF"
  measures documentary_check
  reason "item {i.no} from AF"
}
)dlz";

// Checks the chain of the log at `path` (all its files) and returns the records.
std::vector<dl::Record> readChain(const std::string& path, std::vector<std::string>& problems) {
  dl::ChainCheck chain;
  std::vector<dl::Record> records;
  for (const std::string& file : dl::logSegments(path)) {
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
      std::string why;
      auto r = dl::parseRecord(line, why);
      if (!r) {
        problems.push_back(why);
        continue;
      }
      for (auto& p : chain.next(line, *r)) problems.push_back(p);
      records.push_back(*r);
    }
  }
  return records;
}

TEST_CASE("decision log: records chain, continue after a restart, rotate by size, keep a torn end",
          "[decision_log]") {
  TempDir dir;
  const std::string path = dir.file("d.log");
  std::string error;
  {
    auto w = dl::Writer::open({path, 1 << 20, 0, true}, error);
    REQUIRE(w);
    std::string id;
    REQUIRE(w->append({"{\"id\":\"A\"}", "{\"id\":\"A\",\"status\":\"ok\"}", "h1", 7}, error, &id));
    CHECK(id.find("-1") == id.size() - 2);
    REQUIRE(w->append({"{\"id\":\"B\"}", "{\"id\":\"B\",\"status\":\"ok\"}", "h1", std::nullopt},
                      error));
    CHECK(w->records() == 2);
  }
  {
    auto w =
        dl::Writer::open({path, 1 << 20, 100, false}, error);  // a restart, inputs not kept now
    REQUIRE(w);
    CHECK(w->records() == 2);
    REQUIRE(w->append({"{\"id\":\"C\"}", "{\"id\":\"C\"}", "h2", 8}, error));
  }
  std::vector<std::string> problems;
  auto records = readChain(path, problems);
  CHECK(problems.empty());
  REQUIRE(records.size() == 3);
  CHECK(records[0].n == 1);
  CHECK(records[0].prev == std::string(dl::kGenesis));
  CHECK(records[0].input == "{\"id\":\"A\"}");
  CHECK(records[0].sequence == 7u);
  CHECK(records[0].decision == "{\"id\":\"A\",\"status\":\"ok\"}");
  CHECK_FALSE(records[1].sequence);
  CHECK(records[2].n == 3);
  CHECK_FALSE(records[2].input);  // logged without input
  CHECK(records[2].inputSha256 == dl::sha256Hex("{\"id\":\"C\"}"));
  CHECK(records[0].id != records[2].id);

  // Rotation: small files, the chain runs on across them.
  {
    auto w = dl::Writer::open({path, 2000, 0, true}, error);
    REQUIRE(w);
    for (int k = 0; k < 40; ++k)
      REQUIRE(w->append(
          {std::string(100, 'x'), "{\"id\":\"R" + std::to_string(k) + "\"}", "h3", std::nullopt},
          error));
  }
  CHECK(dl::logSegments(path).size() > 3);
  problems.clear();
  records = readChain(path, problems);
  CHECK(problems.empty());
  CHECK(records.size() == 43);
  CHECK(records.back().n == 43);

  // A crash mid-write leaves a line without its newline: it is kept aside, the chain goes on.
  {
    std::ofstream torn(path, std::ios::app | std::ios::binary);
    torn << "{\"n\":44,\"id\":\"x\",\"ti";
  }
  {
    auto w = dl::Writer::open({path, 1 << 20, 0, true}, error);
    INFO(error);
    REQUIRE(w);
    CHECK(w->records() == 43);
    REQUIRE(w->append({"{}", "{\"id\":null}", "h3", std::nullopt}, error));
  }
  problems.clear();
  records = readChain(path, problems);
  CHECK(problems.empty());
  CHECK(records.size() == 44);
  bool keptAside = false;
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    keptAside |= e.path().filename().string().find("d.log.torn-") == 0 &&
                 readFile(e.path().string()) == "{\"n\":44,\"id\":\"x\",\"ti";
  CHECK(keptAside);

  // A last record that is not a record: the writer refuses to start a broken chain.
  dir.write("bad.log", "not a record\n");
  CHECK_FALSE(dl::Writer::open({dir.file("bad.log"), 1 << 20, 0, true}, error));
  CHECK(error.find("cannot be read") != std::string::npos);
}

TEST_CASE("daliz run --log: a log of 100,000 decisions replays with 0 differences",
          "[decision_log][cli]") {
  TempDir dir;
  dir.write("p.bundle", writeBundle(compileProgram(kProfiles)->program));
  {
    // Two templates, the id spliced in: building 100,000 Json values would dominate the test.
    const std::string af = baseDeclaration("@").set("items[0].origin", "AF").dump();
    const std::string cn = baseDeclaration("@").set("items[0].origin", "CN").dump();
    const size_t at = af.find("\"@\"") + 1;
    std::ofstream in(dir.file("in.jsonl"), std::ios::binary);
    for (int k = 0; k < 100000; ++k) {
      const std::string& t = k % 7 == 0 ? af : cn;
      if (k % 1000 == 999)
        in << "{\"id\":\"bad-" << k << "\",\"registered\":\"2025-13-01\"}\n";
      else
        in << t.substr(0, at) << "D-" << k << t.substr(at + 1) << "\n";
    }
  }
  Run run =
      daliz(dir, "run p.bundle --in in.jsonl --out out.jsonl --log d.log --log-max-bytes 50000000");
  INFO(run.err);
  CHECK(run.exit == 2);                                   // the deliberate error lines
  CHECK(dl::logSegments(dir.file("d.log")).size() >= 2);  // rotated on the way
  Run replay = daliz(dir, "replay --log d.log --bundles .");
  INFO(replay.out << replay.err);
  CHECK(replay.exit == 0);
  CHECK(replay.out.find("100000 records in") != std::string::npos);
  CHECK(replay.out.find("chain intact; 100000 re-decided, 0 difference(s)") != std::string::npos);
}

TEST_CASE("daliz run --stream answers each line before the next is sent", "[cli]") {
  TempDir dir;
  dir.write("p.bundle", writeBundle(compileProgram(kProfiles)->program));
  ChildProcess p({DALIZ_BINARY, "run", "p.bundle", "--stream", "--log", "s.log"},
                 dir.path().string());
  for (int k = 0; k < 20; ++k) {
    const std::string id = "S-" + std::to_string(k);
    Json d = baseDeclaration(id);
    d.set("items[0].origin", k % 2 ? "AF" : "CN");
    REQUIRE(p.write(k == 7 ? "{\"id\":\"S-7\"}\n" : d.dump() + "\n"));
    // The reader waits for the answer to this line before it sends another.
    auto line = p.readLine(30s);
    REQUIRE(line);
    CHECK(line->find("\"id\":\"" + id + "\"") != std::string::npos);
    if (k == 7)
      CHECK(line->find("\"status\":\"error\"") != std::string::npos);
    else
      CHECK(line->find(k % 2 ? "\"corridor\":\"yellow\"" : "\"corridor\":\"green\"") !=
            std::string::npos);
  }
  p.closeStdin();
  CHECK(p.wait(30s) == 2);  // one line could not be evaluated
  std::vector<std::string> problems;
  CHECK(readChain(dir.file("s.log"), problems).size() == 20);
  CHECK(problems.empty());
  Run withOut = daliz(dir, "run p.bundle --stream --out x.jsonl");
  CHECK(withOut.exit == 1);
  CHECK(withOut.err.find("--stream") != std::string::npos);
}

}  // namespace
}  // namespace daliz::testing

// Under ThreadSanitizer (scripts/build --tsan): the code that runs on many threads at once — the
// batch runner, several embedding sessions on one engine, the decision log's writers and its
// fsync thread, and the service deciding while bundles are reloaded. The bundles come from the
// CLI of the normal build (DALIZ_CLI), which compiles the sample profiles.
#include <httplib.h>
#include <signal.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "daliz/daliz.h"
#include "decision_log/writer.h"
#include "service/server.h"
#include "vm/exec/batch.h"
#include "vm/exec/loaded_program.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A temporary folder with two bundles (all the sample profiles, and some of them) and the
// sample declarations.
struct Samples {
  fs::path dir;
  std::string bundle, smaller;
  std::vector<std::string> declarations;
  Samples() {
    char tmpl[] = "/tmp/daliz-tsan-XXXXXX";
    dir = mkdtemp(tmpl);
    bundle = (dir / "samples.bundle").string();
    smaller = (dir / "smaller.bundle").string();
    const std::string src = DALIZ_SOURCE_DIR, cli = DALIZ_CLI;
    const std::string all = "'" + cli + "' compile " + src + "/samples/*.dlz --ref " + src +
                            "/samples -o '" + bundle + "' 2>/dev/null";
    const std::string some = "'" + cli + "' compile " + src + "/samples/valuation.dlz " + src +
                             "/samples/origin.dlz --ref " + src + "/samples -o '" + smaller +
                             "' 2>/dev/null";
    REQUIRE(std::system(all.c_str()) == 0);
    REQUIRE(std::system(some.c_str()) == 0);
    std::ifstream in(src + "/samples/declarations.jsonl");
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) declarations.push_back(line);
    REQUIRE(declarations.size() > 100);
  }
  ~Samples() { fs::remove_all(dir); }
};

TEST_CASE("tsan: the batch runner on 4 threads decides as on 1", "[tsan]") {
  Samples s;
  std::string error;
  auto program = daliz::loadProgram(readAll(s.bundle), daliz::TrustPolicy::development(), error);
  REQUIRE(program);
  std::vector<std::string_view> lines(s.declarations.begin(), s.declarations.end());
  std::vector<std::string> one, four;
  daliz::BatchCounts c1, c4;
  daliz::BatchRunner(*program, 1).run(lines, one, c1);
  daliz::BatchRunner runner(*program, 4);
  for (int round = 0; round < 3; ++round) runner.run(lines, four, c4);
  CHECK(one == four);
}

TEST_CASE("tsan: sessions on threads share an engine that is released while they run", "[tsan]") {
  Samples s;
  std::string error;
  auto engine =
      daliz::api::Engine::loadFile(s.bundle, daliz::api::TrustPolicy::development(), error);
  REQUIRE(engine);
  std::vector<std::string> expected;
  {
    daliz::api::Session one(engine);
    for (const std::string& d : s.declarations) expected.push_back(one.decide(d).json);
  }
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, session = std::make_shared<daliz::api::Session>(engine), t] {
      for (size_t k = 0; k < s.declarations.size(); ++k) {
        const size_t i = (k + 37 * t) % s.declarations.size();
        if (session->decide(s.declarations[i]).json != expected[i]) ++mismatches;
      }
    });
  engine.reset();  // the sessions keep it loaded
  for (auto& th : threads) th.join();
  CHECK(mismatches == 0);
}

TEST_CASE("tsan: sessions decide while the JIT compiles in the background, and stop it",
          "[tsan][jit]") {
  Samples s;
  std::string error;
  daliz::api::EngineOptions background;
  background.jit = true;
  background.jitInBackground = true;
  const auto dev = daliz::api::TrustPolicy::development();
  auto plain = daliz::api::Engine::loadFile(s.bundle, dev, error);
  auto engine = daliz::api::Engine::loadFile(s.bundle, dev, background, error);
  REQUIRE((plain && engine));
  std::vector<std::string> expected;
  {
    daliz::api::Session one(plain);
    for (const std::string& d : s.declarations) expected.push_back(one.decide(d).json);
  }
  // Function pointers are published by the compile threads while these read them.
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t)
    threads.emplace_back([&, session = std::make_shared<daliz::api::Session>(engine), t] {
      for (int round = 0; round < 3; ++round)
        for (size_t k = 0; k < s.declarations.size(); ++k) {
          const size_t i = (k + 53 * t) % s.declarations.size();
          if (session->decide(s.declarations[i]).json != expected[i]) ++mismatches;
        }
    });
  engine.reset();  // the sessions keep it loaded; the last one stops and joins the compile threads
  for (auto& th : threads) th.join();
  CHECK(mismatches == 0);
}

TEST_CASE("tsan: the decision log takes appends from many threads and syncs meanwhile",
          "[tsan][decision_log]") {
  Samples s;
  std::string error;
  const std::string path = (s.dir / "d.log").string();
  {
    auto log = daliz::decision_log::Writer::open({path, 64 * 1024, 1, true},
                                                 error);  // rotates, syncs each ms
    REQUIRE(log);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        std::string e;
        for (int k = 0; k < 300; ++k)
          log->append({s.declarations[(t * 300 + k) % s.declarations.size()], "{}", "h", 1}, e);
      });
    for (auto& th : threads) th.join();
    CHECK(log->records() == 1200);
  }
  size_t lines = 0;
  for (const std::string& f : daliz::decision_log::logSegments(path)) {
    std::ifstream in(f);
    for (std::string l; std::getline(in, l);) ++lines;
  }
  CHECK(lines == 1200);
}

TEST_CASE("tsan: the service decides while bundles are reloaded, then drains", "[tsan][service]") {
  Samples s;
  const fs::path bundles = s.dir / "bundles";
  fs::create_directories(bundles);
  fs::copy_file(s.bundle, bundles / "a.bundle");
  std::atomic<int> port{0};
  daliz::service::ServerOptions o;
  o.bundles = bundles.string();
  o.policy = daliz::api::TrustPolicy::development();
  o.port = 0;
  o.workers = 2;
  o.pollMs = 20;
  o.log = (s.dir / "serve.log").string();
  o.onListening = [&](int p) { port = p; };
  int status = -1;
  std::thread server([&] { status = daliz::service::runServer(o); });
  for (int k = 0; k < 3000 && port == 0; ++k) std::this_thread::sleep_for(1ms);
  REQUIRE(port != 0);

  std::atomic<bool> done{false};
  std::atomic<int> answered{0}, failed{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 3; ++t)
    clients.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", port);
      c.set_keep_alive(true);
      for (size_t k = 0; !done && k < 100000; ++k) {
        auto r = k % 5 == 4 ? c.Get("/metrics")
                            : c.Post("/v1/decide", s.declarations[(k + t) % s.declarations.size()],
                                     "application/json");
        ++(r && (r->status == 200 || r->status == 400) ? answered : failed);
      }
    });
  // Reloads meanwhile: the two sets in turn, each newer than the last (development policy: the
  // newest file wins), so the active bundle changes under the clients.
  for (int k = 0; k < 6; ++k) {
    std::this_thread::sleep_for(100ms);
    const fs::path next = bundles / ("b" + std::to_string(k) + ".bundle");
    fs::copy_file(k % 2 ? s.bundle : s.smaller, next);
    fs::last_write_time(next, fs::file_time_type::clock::now() + std::chrono::seconds(k + 1));
  }
  // Slow under TSan: keep the clients going until enough were answered (at most 30 s).
  for (int k = 0; k < 300 && answered < 100; ++k) std::this_thread::sleep_for(100ms);
  done = true;
  for (auto& th : clients) th.join();
  ::kill(::getpid(), SIGTERM);  // the service's handler: drain and return
  server.join();
  CHECK(status == 0);
  CHECK(answered > 100);
  CHECK(failed == 0);
}

}  // namespace

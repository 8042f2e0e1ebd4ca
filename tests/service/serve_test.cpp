// `daliz serve` end to end: the real server process on an ephemeral port of 127.0.0.1, driven by
// a real HTTP client. Every endpoint, every reload case, a flood of parallel requests, overload,
// a drain on SIGTERM, and the decision log replayed. Every wait has a time limit.
#include <httplib.h>
#include <signal.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "tests/support/child_process.h"
#include "tests/support/cli_run.h"
#include "tests/support/engine_fixture.h"
#include "vm/bundle/approval.h"
#include "vm/bundle/bundle_writer.h"
#include "vm/jit/jit.h"

namespace daliz::testing {
namespace {

using namespace std::chrono_literals;

const char* kProfiles = R"dlz(
profile "SRV-1" {
  level high
  scope item i
  when i.origin == "AF"
  measures documentary_check
  reason "item {i.no} from AF"
}
)dlz";

// Another set (a second version of the profiles), to see which bundle decided.
const char* kProfilesV2 = R"dlz(
profile "SRV-1" {
  level high
  scope item i
  when i.origin == "AF" or i.origin == "MM"
  measures customs_examination
  reason "item {i.no} from a watched origin"
}
)dlz";

// Costs items³ per declaration: a request that takes a while, to hold a worker.
const char* kSlowProfiles = R"dlz(
profile "SLOW-1" {
  level low
  when any(a in declaration.items: any(b in declaration.items: any(c in declaration.items:
         a.customs_value + b.customs_value + c.customs_value < 0)))
  measures post_release_audit
}
)dlz";

std::string bundleOf(const char* source) { return writeBundle(compileProgram(source)->program); }

struct Approver {
  PublicKey pub;
  SecretKey secret;
  Approver() { REQUIRE(generateKeyPair(pub, secret)); }
  // `bundle` signed with approval metadata (sequence, effective from `from`).
  std::string approve(const std::string& bundle, uint64_t sequence, int64_t from = 0) const {
    std::string error;
    auto with = withApproval(
        bundle, Approval{sequence, "ACT-" + std::to_string(sequence), Date{20000}, from}, error);
    REQUIRE(with);
    auto signedFile = addSignature(*with, secret, error);
    REQUIRE(signedFile);
    return *signedFile;
  }
  std::string pubFile(const TempDir& dir) const {
    return dir.write("approver.pub", toHex(pub.data(), pub.size()) + "\n");
  }
};

std::string declaration(const std::string& id, const char* origin = "CN", int items = 1) {
  Json d = baseDeclaration(id);
  Json list = Json::array();
  for (int k = 1; k <= items; ++k) list.push(baseItem(k).set("origin", origin));
  d.set("items", list);
  return d.dump();
}

// A running `daliz serve BUNDLES --listen 127.0.0.1:0 ARGS…`.
class Server {
 public:
  Server(const TempDir& dir, const std::string& bundles, std::vector<std::string> args) {
    std::vector<std::string> argv = {DALIZ_BINARY, "serve", bundles, "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), args.begin(), args.end());
    process = std::make_unique<ChildProcess>(argv, dir.path().string());
    auto line = process->waitForStderr("listening on http://127.0.0.1:", 60s);
    INFO(process->stderrText());
    REQUIRE(line);
    std::smatch m;
    REQUIRE(std::regex_search(*line, m, std::regex("127\\.0\\.0\\.1:([0-9]+)")));
    port = std::stoi(m[1]);
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(120, 0);
    c.set_write_timeout(30, 0);
    c.set_connection_timeout(10, 0);
    return c;
  }
  // Waits until GET /v1/bundle names `hash` (a reload is asynchronous).
  bool waitForBundle(const std::string& hash, std::chrono::milliseconds limit = 30s) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    auto c = client();
    while (std::chrono::steady_clock::now() < deadline) {
      auto r = c.Get("/v1/bundle");
      if (r && r->status == 200 && r->body.find(hash) != std::string::npos) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
  std::unique_ptr<ChildProcess> process;
  int port = 0;
};

std::string hashOf(const std::string& fileBytes) {
  std::string error;
  auto opened = openBundleFile(fileBytes, TrustPolicy::development(), error);
  REQUIRE(opened);
  return contentHashHex(opened->bundle);
}

// Waits until the server's stderr holds every one of `needles`, in any order.
bool waitForAll(ChildProcess& p, const std::vector<std::string>& needles,
                std::chrono::milliseconds limit = 30s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string& text = p.stderrText();
    if (std::all_of(needles.begin(), needles.end(),
                    [&](const std::string& n) { return text.find(n) != std::string::npos; }))
      return true;
  }
  return false;
}

// The value of an unlabelled or labelled sample in a /metrics text, or -1.
double metric(const std::string& text, const std::string& series) {
  const size_t at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

TEST_CASE("serve: every endpoint answers on an ephemeral port of 127.0.0.1", "[service]") {
  TempDir dir;
  Approver head;
  const std::string bundle = head.approve(bundleOf(kProfiles), 1);
  dir.write("bundles/a.bundle", bundle);
  dir.write("token", "admin-token-0123456789\n");
  Server s(dir, "bundles", {"--trust", head.pubFile(dir), "--admin-token-file", "token"});
  auto c = s.client();
  const std::string hash = hashOf(bundle);

  auto health = c.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  auto ready = c.Get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 200);
  CHECK(ready->body.find(hash) != std::string::npos);

  auto d = c.Post("/v1/decide", declaration("D-1", "AF"), "application/json");
  REQUIRE(d);
  CHECK(d->status == 200);
  CHECK(d->body ==
        "{\"id\":\"D-1\",\"status\":\"ok\",\"corridor\":\"yellow\",\"measures\":[\"documentary_"
        "check\"],\"measure_codes\":[\"101\"],\"declaration\":{\"office\":\"55301\",\"declarant\":"
        "\"123456789012\",\"items\":1},"
        "\"hits\":[{\"profile\":\"SRV-1\",\"item\":1,\"level\":\"high\",\"corridor\":\"yellow\","
        "\"measures\":[\"documentary_check\"],\"reason\":\"item 1 from AF\"}],\"bundle\":\"" +
            hash + "\",\"sequence\":1}\n");
  CHECK(d->get_header_value("Daliz-Bundle") == hash);

  // ?view=: the same decision for the declarant (coded measures, no profile) and the auditor.
  auto forDeclarant =
      c.Post("/v1/decide?view=declarant", declaration("D-1", "AF"), "application/json");
  REQUIRE(forDeclarant);
  CHECK(forDeclarant->status == 200);
  CHECK(forDeclarant->body ==
        "{\"id\":\"D-1\",\"status\":\"ok\",\"corridor\":\"yellow\",\"measures\":[{\"code\":"
        "\"101\",\"name\":\"Check of documents and information\"}],\"notices\":[]}\n");
  auto forAudit = c.Post("/v1/decide?view=audit", declaration("D-1", "AF"), "application/json");
  REQUIRE(forAudit);
  CHECK(forAudit->body.find("\"measure_codes\":[\"101\"]") != std::string::npos);
  auto badView = c.Post("/v1/decide?view=public", declaration("D-1", "AF"), "application/json");
  REQUIRE(badView);
  CHECK(badView->status == 400);
  CHECK(badView->body.find("officer, declarant or audit") != std::string::npos);
  auto batchView = c.Post("/v1/decide/batch?view=declarant",
                          declaration("D-1", "AF") + "\n" + declaration("D-2", "CN") + "\n",
                          "application/x-ndjson");
  REQUIRE(batchView);
  CHECK(batchView->body.find("SRV-1") == std::string::npos);
  CHECK(batchView->body.find("\"corridor\":\"green\",\"measures\":[],\"notices\":[]") !=
        std::string::npos);

  // A malformed declaration: 400 with the decoder's message, as an error decision.
  auto bad =
      c.Post("/v1/decide", "{\"id\":\"D-2\",\"registered\":\"2025-02-30\"}", "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(bad->body.find("\"status\":\"error\"") != std::string::npos);
  CHECK(bad->body.find("not a valid date") != std::string::npos);
  auto notJson = c.Post("/v1/decide", "{\"id\":", "application/json");
  REQUIRE(notJson);
  CHECK(notJson->status == 400);
  CHECK(notJson->body.find("not JSON") != std::string::npos);

  // Batch: JSON Lines in, the same lines out in order, blank lines skipped, errors as lines.
  std::string batch, expected;
  for (int k = 0; k < 50; ++k) {
    batch += declaration("B-" + std::to_string(k), k % 3 ? "CN" : "AF") + "\n";
    if (k == 10) batch += "\n  \n";
    if (k == 20) batch += "{broken\n";
  }
  auto b = c.Post("/v1/decide/batch", batch, "application/x-ndjson");
  REQUIRE(b);
  CHECK(b->status == 200);
  auto out = lines(b->body);
  REQUIRE(out.size() == 51);
  for (int k = 0, line = 0; k < 50; ++k, ++line) {
    if (k == 21) {
      CHECK(out[static_cast<size_t>(line)].find("\"status\":\"error\"") != std::string::npos);
      ++line;
    }
    CHECK(out[static_cast<size_t>(line)].find("\"id\":\"B-" + std::to_string(k) + "\"") !=
          std::string::npos);
    CHECK(out[static_cast<size_t>(line)].find(
              k % 3 ? "\"corridor\":\"green\"" : "\"corridor\":\"yellow\"") != std::string::npos);
  }

  // The bundle: hash, sequence, profiles, signers, loaded-at.
  auto info = c.Get("/v1/bundle");
  REQUIRE(info);
  CHECK(info->status == 200);
  for (const std::string& part :
       {"\"bundle\":\"" + hash + "\"", std::string("\"sequence\":1"),
        std::string("\"profile_ids\":[\"SRV-1\"]"), toHex(head.pub.data(), 32),
        std::string("\"loaded_at\":\""), std::string("\"act\":\"ACT-1\"")})
    CHECK(info->body.find(part) != std::string::npos);

  // The bundle has no categorize block.
  auto cat = c.Post("/v1/categorize", "{}", "application/json");
  REQUIRE(cat);
  CHECK(cat->status == 409);

  // Unknown endpoint, a body over the limit, the admin endpoint without the token.
  auto none = c.Get("/v1/nothing");
  REQUIRE(none);
  CHECK(none->status == 404);
  CHECK(none->body.find("no such endpoint") != std::string::npos);
  auto noToken = c.Post("/v1/admin/reload", "", "application/json");
  REQUIRE(noToken);
  CHECK(noToken->status == 401);
  httplib::Headers auth = {{"Authorization", "Bearer admin-token-0123456789"}};
  auto reload = c.Post("/v1/admin/reload", auth, "", "application/json");
  REQUIRE(reload);
  CHECK(reload->status == 200);
  CHECK(reload->body.find("\"activated\":false") != std::string::npos);

  // Metrics in the Prometheus text format: decisions by corridor and bundle, hits per profile,
  // errors by kind, a latency histogram, in flight, the active sequence.
  auto m = c.Get("/metrics");
  REQUIRE(m);
  CHECK(m->status == 200);
  CHECK(m->get_header_value("Content-Type").find("text/plain; version=0.0.4") == 0);
  const std::string& t = m->body;
  const std::string label = "bundle=\"" + hash + "\"";
  // D-1 three times (officer, declarant, audit), once in the view batch, 17 of the batch: the
  // metrics count the decision, whatever view answered.
  CHECK(metric(t, "daliz_decisions_total{corridor=\"yellow\"," + label + "}") == 21);
  CHECK(metric(t, "daliz_decisions_total{corridor=\"green\"," + label + "}") == 34);
  CHECK(metric(t, "daliz_profile_hits_total{profile=\"SRV-1\"," + label + "}") == 21);
  CHECK(metric(t, "daliz_errors_total{kind=\"input\"}") == 3);
  CHECK(metric(t, "daliz_errors_total{kind=\"bad_request\"}") >= 2);
  CHECK(metric(t, "daliz_request_duration_seconds_count{endpoint=\"decide\"}") == 5);
  CHECK(metric(t, "daliz_request_duration_seconds_bucket{endpoint=\"batch\",le=\"+Inf\"}") == 2);
  CHECK(metric(t, "daliz_requests_in_flight") == 0);
  CHECK(metric(t, "daliz_bundle_sequence{" + label + "}") == 1);
  // Every line is a comment or `name{labels} value`.
  for (const std::string& line : lines(t))
    CHECK(
        std::regex_match(line, std::regex("(# (HELP|TYPE) .*|[a-z_]+(\\{[^}]*\\})? [0-9.e+-]+)")));

  s.process->signal(SIGTERM);
  CHECK(s.process->wait(30s) == 0);
}

TEST_CASE(
    "serve: hot reload on a folder change, SIGHUP and the admin endpoint, older and bad bundles "
    "refused",
    "[service]") {
  TempDir dir;
  Approver head;
  const std::string v1 = head.approve(bundleOf(kProfiles), 1),
                    v2 = head.approve(bundleOf(kProfilesV2), 2);
  const std::string v3 = head.approve(bundleOf(kProfiles), 3);  // the first set approved again
  dir.write("bundles/v1.bundle", v1);
  dir.write("token", "admin-token-0123456789\n");
  Server s(dir, "bundles",
           {"--trust", head.pubFile(dir), "--admin-token-file", "token", "--poll-ms", "60000"});
  auto c = s.client();
  REQUIRE(s.waitForBundle(hashOf(v1)));

  // A newer approved set dropped into the folder: activated without a restart (inotify).
  dir.write("bundles/.v2.tmp", v2);
  std::filesystem::rename(dir.file("bundles/.v2.tmp"), dir.file("bundles/v2.bundle"));
  REQUIRE(s.waitForBundle(hashOf(v2)));
  auto d = c.Post("/v1/decide", declaration("R-1", "MM"), "application/json");
  REQUIRE(d);
  CHECK(d->body.find("\"measures\":[\"customs_examination\"]") != std::string::npos);
  CHECK(d->body.find("\"sequence\":2") != std::string::npos);

  // Unsigned, tampered and older bundles are refused and logged; v2 keeps serving.
  dir.write("bundles/unsigned.bundle", bundleOf(kProfiles));
  std::string tampered = v3;
  tampered[tampered.size() / 3] = static_cast<char>(tampered[tampered.size() / 3] ^ 1);
  dir.write("bundles/tampered.bundle", tampered);
  dir.write("bundles/old.bundle", head.approve(bundleOf(kProfilesV2), 1));
  CHECK(waitForAll(*s.process, {"refused bundles/tampered.bundle",
                                "refused bundles/unsigned.bundle: the bundle is not signed",
                                "not activated: bundle " + hashOf(v2) + " (sequence 1"}));
  httplib::Headers auth = {{"Authorization", "Bearer admin-token-0123456789"}};
  auto r = c.Post("/v1/admin/reload", auth, "", "application/json");
  REQUIRE(r);
  CHECK(r->body.find("\"activated\":false") != std::string::npos);
  CHECK(s.waitForBundle(hashOf(v2), 1s));

  // SIGHUP: with change events missed (written by an outside copy the watcher saw), a rescan
  // picks the newest approved set.
  dir.write("bundles/v3.bundle", v3);
  s.process->signal(SIGHUP);
  REQUIRE(s.waitForBundle("\"sequence\":3"));
  CHECK(waitForAll(*s.process, {"SIGHUP: rescanning the bundles",
                                "activated bundle " + hashOf(v3) + " (sequence 3"}));

  // The admin endpoint: a newer set is reported as activated.
  const std::string v4 = head.approve(bundleOf(kProfilesV2), 4);
  dir.write("bundles/v4.bundle", v4);
  bool activated = false;
  for (int k = 0; k < 50 && !activated; ++k) {
    auto rr = c.Post("/v1/admin/reload", auth, "", "application/json");
    REQUIRE(rr);
    activated = s.waitForBundle("\"sequence\":4", 200ms);
  }
  CHECK(activated);
  s.process->signal(SIGTERM);
  CHECK(s.process->wait(30s) == 0);
}

TEST_CASE("serve: the plan gauges show the corridor shares of the last --plan-window decisions",
          "[service]") {
  TempDir dir;
  Approver head;
  std::string source = kProfiles;
  source += R"dlz(
plan "P" {
  yellow 20% .. 40%
  green 60% .. 80%
}
)dlz";
  dir.write("bundles/a.bundle", head.approve(bundleOf(source.c_str()), 1));
  Server s(dir, "bundles", {"--trust", head.pubFile(dir), "--plan-window", "4"});
  auto c = s.client();
  const std::string labels = "plan=\"P\",office=\"\",bundle=\"" +
                             hashOf(head.approve(bundleOf(source.c_str()), 1)) + "\"";
  auto gauge = [&](const char* name, const char* corridor) {
    auto m = c.Get("/metrics");
    REQUIRE(m);
    return metric(m->body, std::string(name) + "{corridor=\"" + corridor + "\"," + labels + "}");
  };
  // Four yellow (AF: documentary_check) then three green: the window of 4 holds only the green ones.
  for (int k = 0; k < 4; ++k)
    REQUIRE(c.Post("/v1/decide", declaration("W-" + std::to_string(k), "AF"), "application/json"));
  CHECK(gauge("daliz_plan_share", "yellow") == 1);
  CHECK(gauge("daliz_plan_out_of_range", "yellow") == 1);
  CHECK(gauge("daliz_plan_share_min", "yellow") == Approx(0.2));
  CHECK(gauge("daliz_plan_share_max", "green") == Approx(0.8));
  for (int k = 4; k < 7; ++k)
    REQUIRE(c.Post("/v1/decide", declaration("W-" + std::to_string(k), "CN"), "application/json"));
  // The last four: one yellow, three green.
  CHECK(gauge("daliz_plan_share", "yellow") == Approx(0.25));
  CHECK(gauge("daliz_plan_out_of_range", "yellow") == 0);
  CHECK(gauge("daliz_plan_share", "green") == Approx(0.75));
  CHECK(gauge("daliz_plan_out_of_range", "green") == 0);
  auto m = c.Get("/metrics");
  REQUIRE(m);
  CHECK(metric(m->body, "daliz_plan_window_declarations{" + labels + "}") == 4);
  CHECK(m->body.find("daliz_plan_share{corridor=\"red\"") == std::string::npos);  // not planned
}

TEST_CASE("serve --jit: the compiled bundle answers with the interpreter's bytes",
          "[service][jit]") {
  if (!jitAvailable()) {
    WARN("this build has no JIT");
    return;
  }
  TempDir dir;
  Approver head;
  dir.write("bundles/a.bundle", head.approve(bundleOf(kProfiles), 1));
  Server interpreted(dir, "bundles", {"--trust", head.pubFile(dir)});
  Server compiled(dir, "bundles", {"--trust", head.pubFile(dir), "--jit"});
  auto a = interpreted.client();
  auto b = compiled.client();
  for (const char* origin : {"AF", "CN"}) {
    auto x = a.Post("/v1/decide", declaration("J-1", origin, 3), "application/json");
    auto y = b.Post("/v1/decide", declaration("J-1", origin, 3), "application/json");
    REQUIRE((x && y));
    CHECK(x->status == 200);
    CHECK(y->status == x->status);
    CHECK(y->body == x->body);
  }
}

TEST_CASE("serve: not ready until an approved bundle is effective, serve needs a policy",
          "[service]") {
  TempDir dir;
  Approver head;
  std::filesystem::create_directories(dir.path() / "bundles");
  // No policy, no --insecure-dev: refused at start.
  Run noPolicy = daliz(dir, "serve bundles --listen 127.0.0.1:0");
  CHECK(noPolicy.exit == 1);
  CHECK(noPolicy.err.find("--trust") != std::string::npos);

  Server s(dir, "bundles", {"--trust", head.pubFile(dir), "--poll-ms", "100"});
  auto c = s.client();
  auto ready = c.Get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 503);
  auto d = c.Post("/v1/decide", declaration("N-1"), "application/json");
  REQUIRE(d);
  CHECK(d->status == 503);
  CHECK(d->body.find("no approved bundle") != std::string::npos);
  // Effective two seconds from now: waits, then activates by itself.
  const int64_t soon = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count() +
                       2;
  const std::string later = head.approve(bundleOf(kProfiles), 1, soon);
  dir.write("bundles/later.bundle", later);
  CHECK(s.process->waitForStderr("waiting:", 30s));
  CHECK(c.Get("/readyz")->status == 503);
  REQUIRE(s.waitForBundle(hashOf(later)));
  CHECK(c.Get("/readyz")->status == 200);
  s.process->signal(SIGTERM);
  CHECK(s.process->wait(30s) == 0);
}

TEST_CASE("serve: a flood of parallel requests, every answer once and to its own request",
          "[service]") {
  TempDir dir;
  dir.write("bundles/a.bundle", bundleOf(kProfiles));
  Server s(dir, "bundles", {"--insecure-dev", "--log", "decisions.log", "--queue", "256"});
  const int threads = 16, perThread = 60;
  std::atomic<int> ok{0}, wrong{0};
  std::mutex mutex;
  std::set<std::string> ids;
  std::vector<std::string> failures;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      auto c = s.client();
      for (int k = 0; k < perThread; ++k) {
        const std::string id = "F-" + std::to_string(t) + "-" + std::to_string(k);
        const bool af = (t + k) % 2 == 0;
        auto r = k % 10 == 9
                     ? c.Post("/v1/decide/batch", declaration(id, af ? "AF" : "CN") + "\n",
                              "application/x-ndjson")
                     : c.Post("/v1/decide", declaration(id, af ? "AF" : "CN"), "application/json");
        if (!r || r->status != 200 || r->body.find("\"id\":\"" + id + "\"") == std::string::npos ||
            r->body.find(af ? "yellow" : "green") == std::string::npos) {
          ++wrong;
          std::lock_guard lock(mutex);
          failures.push_back(
              id + ": " +
              (r ? std::to_string(r->status) + " " + r->body : httplib::to_string(r.error())));
          continue;
        }
        ++ok;
        std::lock_guard lock(mutex);
        ids.insert(id);
      }
    });
  for (auto& th : pool) th.join();
  for (const std::string& f : failures) UNSCOPED_INFO(f);
  CHECK(wrong == 0);
  CHECK(ok == threads * perThread);
  CHECK(ids.size() == static_cast<size_t>(threads * perThread));
  s.process->signal(SIGTERM);
  REQUIRE(s.process->wait(30s) == 0);
  // Every decision is in the log, once, and the log replays with no difference.
  const std::string log = readFile(dir.file("decisions.log"));
  CHECK(lines(log).size() == static_cast<size_t>(threads * perThread));
  Run replay = daliz(dir, "replay --log decisions.log --bundles bundles");
  INFO(replay.out << replay.err);
  CHECK(replay.exit == 0);
  CHECK(replay.out.find("chain intact; 960 re-decided, 0 difference(s)") != std::string::npos);
}

TEST_CASE("serve: 503 with Retry-After when the queue is full, 413 over the body limit",
          "[service]") {
  TempDir dir;
  dir.write("bundles/slow.bundle", bundleOf(kSlowProfiles));
  Server s(dir, "bundles",
           {"--insecure-dev", "--workers", "1", "--queue", "1", "--max-body", "200000",
            "--deadline-ms", "600000", "--budget", "4000000000"});
  const std::string slow = declaration("S-1", "CN", 160);
  std::atomic<int> served{0}, overloaded{0}, other{0};
  std::atomic<bool> retryAfter{true};
  std::vector<std::thread> pool;
  for (int t = 0; t < 6; ++t)
    pool.emplace_back([&] {
      auto r = s.client().Post("/v1/decide", slow, "application/json");
      if (r && r->status == 200)
        ++served;
      else if (r && r->status == 503) {
        ++overloaded;
        if (r->get_header_value("Retry-After") != "1") retryAfter = false;
      } else {
        ++other;
      }
    });
  for (auto& th : pool) th.join();
  CHECK(other == 0);
  CHECK(served >= 1);
  CHECK(overloaded >= 1);  // at most 1 deciding + 1 waiting: of 6 at once, some are turned away
  CHECK(retryAfter);
  // Past the execution budget: 422 with the error decision; the service goes on.
  {
    TempDir other;
    other.write("bundles/slow.bundle", bundleOf(kSlowProfiles));
    Server tight(other, "bundles", {"--insecure-dev", "--budget", "100000"});
    auto r = tight.client().Post("/v1/decide", slow, "application/json");
    REQUIRE(r);
    CHECK(r->status == 422);
    CHECK(r->body.find("budget exceeded in profile SLOW-1") != std::string::npos);
    CHECK(tight.client()
              .Post("/v1/decide", declaration("S-2", "CN", 2), "application/json")
              ->status == 200);
    CHECK(metric(tight.client().Get("/metrics")->body, "daliz_errors_total{kind=\"budget\"}") == 1);
    tight.process->signal(SIGTERM);
    CHECK(tight.process->wait(30s) == 0);
  }
  auto big = s.client().Post("/v1/decide", std::string(300000, ' '), "application/json");
  REQUIRE(big);
  CHECK(big->status == 413);
  auto m = s.client().Get("/metrics");
  REQUIRE(m);
  CHECK(metric(m->body, "daliz_errors_total{kind=\"overloaded\"}") == overloaded);
  CHECK(metric(m->body, "daliz_errors_total{kind=\"too_large\"}") == 1);
  s.process->signal(SIGTERM);
  CHECK(s.process->wait(60s) == 0);
}

TEST_CASE(
    "serve: requests in flight finish on their bundle across a reload, and SIGTERM drains them",
    "[service]") {
  TempDir dir;
  const std::string slow = bundleOf(kSlowProfiles);
  dir.write("bundles/a.bundle", slow);
  Server s(dir, "bundles", {"--insecure-dev", "--workers", "2", "--budget", "4000000000"});
  const std::string request = declaration("T-1", "CN", 250);
  int inFlightStatus = 0;
  std::string inFlightBody;
  std::thread client([&] {
    auto r = s.client().Post("/v1/decide", request, "application/json");
    if (!r) return;
    inFlightStatus = r->status;
    inFlightBody = r->body;
  });
  // Once it is being decided, a new bundle arrives and SIGTERM follows.
  for (int k = 0; k < 2000; ++k) {
    auto m = s.client().Get("/metrics");
    if (m && metric(m->body, "daliz_requests_in_flight") >= 1) break;
    std::this_thread::sleep_for(5ms);
  }
  const std::string next = bundleOf(kProfiles);
  dir.write("bundles/b.bundle", next);
  REQUIRE(s.waitForBundle(hashOf(next)));
  s.process->signal(SIGTERM);
  client.join();
  CHECK(inFlightStatus == 200);
  CHECK(inFlightBody.find("\"bundle\":\"" + hashOf(slow) + "\"") !=
        std::string::npos);  // the old one
  CHECK(s.process->wait(60s) == 0);
  CHECK(s.process->stderrText().find("drained; exiting") != std::string::npos);
}

TEST_CASE(
    "serve: the decision log replays with 0 differences, an edited and a removed line are caught",
    "[service][decision_log]") {
  TempDir dir;
  Approver head;
  const std::string v1 = head.approve(bundleOf(kProfiles), 1);
  dir.write("bundles/v1.bundle", v1);
  Server s(dir, "bundles", {"--trust", head.pubFile(dir), "--log", "decisions.log"});
  auto c = s.client();
  for (int k = 0; k < 20; ++k)
    REQUIRE(c.Post("/v1/decide", declaration("L-" + std::to_string(k), k % 2 ? "AF" : "CN"),
                   "application/json"));
  const std::string v2 = head.approve(bundleOf(kProfilesV2), 2);
  dir.write("bundles/v2.bundle", v2);
  REQUIRE(s.waitForBundle(hashOf(v2)));
  for (int k = 20; k < 40; ++k)
    REQUIRE(c.Post("/v1/decide", declaration("L-" + std::to_string(k), "MM"), "application/json"));
  REQUIRE(c.Post("/v1/decide", "not json", "application/json"));  // error decisions are logged too
  s.process->signal(SIGTERM);
  REQUIRE(s.process->wait(30s) == 0);

  Run replay = daliz(dir, "replay --log decisions.log --bundles bundles --trust approver.pub");
  INFO(replay.out << replay.err);
  CHECK(replay.exit == 0);
  CHECK(replay.out.find("41 records in 1 file(s); chain intact; 41 re-decided, 0 difference(s)") !=
        std::string::npos);

  std::vector<std::string> records = lines(readFile(dir.file("decisions.log")));
  REQUIRE(records.size() == 41);
  CHECK(records[0].find(
            "\"prev\":\"0000000000000000000000000000000000000000000000000000000000000000\"") !=
        std::string::npos);
  // An edited decision: its replay differs and the next record's chain breaks.
  std::vector<std::string> edited = records;
  const size_t at = edited[5].find("\"corridor\":\"yellow\"");
  REQUIRE(at != std::string::npos);
  edited[5].replace(at, 19, "\"corridor\":\"green\"");
  std::string text;
  for (const auto& l : edited) text += l + "\n";
  dir.write("edited.log", text);
  Run e = daliz(dir, "replay --log edited.log --bundles bundles");
  CHECK(e.exit == 1);
  CHECK(e.out.find("edited.log:7: record 7: its prev hash") != std::string::npos);
  CHECK(e.out.find("edited.log:6: record 6: the replayed decision differs") != std::string::npos);
  // A removed line.
  text.clear();
  for (size_t k = 0; k < records.size(); ++k)
    if (k != 30) text += records[k] + "\n";
  dir.write("removed.log", text);
  Run r = daliz(dir, "replay --log removed.log --bundles bundles");
  CHECK(r.exit == 1);
  CHECK(r.out.find("record 32 follows record 30: 1 record(s) missing") != std::string::npos);
  // An edited input, with its decision left alone.
  std::vector<std::string> input = records;
  const size_t id = input[2].find("L-2");
  REQUIRE(id != std::string::npos);
  input[2].replace(id, 3, "L-X");
  text.clear();
  for (const auto& l : input) text += l + "\n";
  dir.write("input.log", text);
  Run i = daliz(dir, "replay --log input.log --bundles bundles");
  CHECK(i.exit == 1);
  CHECK(i.out.find("its input does not match its input_sha256") != std::string::npos);
  // A bundle missing from the archive cannot be replayed: exit 1, named.
  std::filesystem::remove(dir.file("bundles/v1.bundle"));
  Run missing = daliz(dir, "replay --log decisions.log --bundles bundles");
  CHECK(missing.exit == 1);
  CHECK(missing.out.find("is not in the archive") != std::string::npos);
}

TEST_CASE("serve: POST /v1/assign gives decided declarations officers and saves the state",
          "[service][assign]") {
  TempDir dir;
  dir.write("bundles/a.bundle", bundleOf(kProfiles));
  dir.write("officers.jsonl",
            "{\"id\":\"K-1\",\"office\":\"55301\",\"measures\":[\"101\"],\"capacity\":100,"
            "\"present\":true}\n"
            "{\"id\":\"K-2\",\"office\":\"55301\",\"measures\":[\"101\"],\"capacity\":100,"
            "\"present\":true}\n");
  Server s(dir, "bundles",
           {"--insecure-dev", "--officers", "officers.jsonl", "--assign-state", "state.json"});
  auto c = s.client();
  auto d =
      c.Post("/v1/decide/batch", declaration("D-1", "AF") + "\n" + declaration("D-2", "CN") + "\n",
             "application/x-ndjson");
  REQUIRE(d);
  REQUIRE(d->status == 200);
  auto a = c.Post("/v1/assign", d->body + "not a decision\n", "application/x-ndjson");
  REQUIRE(a);
  CHECK(a->status == 200);
  auto out = lines(a->body);
  REQUIRE(out.size() == 3);
  CHECK(std::regex_match(out[0], std::regex(R"(\{"id":"D-1","officer":"K-[12]","weight":15\})")));
  CHECK(out[1] == R"({"id":"D-2","skipped":"green"})");
  CHECK(out[2] == R"({"id":null,"line":3,"error":"expected a JSON object"})");
  CHECK(readFile(dir.file("state.json")).find("\"load\":{\"K-") != std::string::npos);
  // The same declarant again: the other officer (never twice in a row).
  auto b = c.Post("/v1/assign", d->body, "application/x-ndjson");
  REQUIRE(b);
  CHECK(lines(b->body)[0].find(out[0].substr(23, 3)) == std::string::npos);
}

}  // namespace
}  // namespace daliz::testing

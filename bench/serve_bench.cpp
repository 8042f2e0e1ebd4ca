// The load test of `daliz serve` (docs/performance.md, "The service"): keep-alive HTTP clients
// on loopback against a real server started here, with the 1,000-profile bench set and its
// generated declarations. Three phases, each bounded in time and in requests:
//   single  closed loop: every client sends one declaration, waits, sends the next;
//   half    open loop at half the single-phase throughput, latency from the scheduled send time
//           (no coordinated omission);
//   batch   every client sends batches of --batch declarations to /v1/decide/batch;
// and `daliz run` on the same declarations for comparison. Prints a table, then one JSON line.
//
//   daliz_serve_bench --daliz PATH [--profiles 1000] [--decls 20000] [--seconds 8] [--clients 2]
//                     [--batch 500] [--workers 2] [--work DIR]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "bench/profile_generator.h"
#include "bench/workload.h"
#include "daliz/daliz.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
using namespace daliz::bench;

struct Options {
  std::string daliz = "build-release/daliz", work = "/tmp/daliz-serve-bench";
  size_t profiles = 1000, decls = 20000, clients = 2, batch = 500;  // clients: as many as workers
  unsigned workers = 2;
  double seconds = 8;
};

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

struct Phase {
  size_t answered = 0, failed = 0, decisions = 0;
  double seconds = 0;
  std::vector<double> latencies;  // seconds
  double rate() const { return static_cast<double>(decisions) / seconds; }
  // Counts one answer carrying `decided` decisions; always true (the phase goes on).
  bool record(double latency, int status, size_t decided) {
    latencies.push_back(latency);
    if (status == 200) {
      ++answered;
      decisions += decided;
    } else {
      ++failed;
    }
    return true;
  }
};

// The server, started with `daliz serve` on a free port; stopped with SIGTERM.
class Server {
 public:
  Server(const Options& o, const std::string& bundle) {
    int err[2];
    if (pipe(err) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(err[1], 2);
      close(err[0]);
      const std::string workers = std::to_string(o.workers);
      execl(o.daliz.c_str(), o.daliz.c_str(), "serve", bundle.c_str(), "--insecure-dev", "--listen",
            "127.0.0.1:0", "--workers", workers.c_str(), "--queue", "1024", "--connections", "256",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(err[1]);
    std::string text;
    char buf[4096];
    std::smatch m;
    const auto start = Clock::now();
    while (since(start) < 60) {
      const ssize_t n = read(err[0], buf, sizeof buf);
      if (n <= 0) break;
      text.append(buf, static_cast<size_t>(n));
      if (std::regex_search(text, m, std::regex("listening on http://127\\.0\\.0\\.1:([0-9]+)"))) {
        port_ = std::stoi(m[1]);
        break;
      }
    }
    errFd_ = err[0];
  }
  ~Server() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (errFd_ >= 0) close(errFd_);
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0, errFd_ = -1;
};

// A minimal keep-alive HTTP/1.1 client on a blocking socket: requests are written whole, and a
// response is read up to its Content-Length. Lighter than a general client, so that on a 2-core
// machine the figures are the server's more than the client's.
class Client {
 public:
  explicit Client(int port) : port_(port) { connect(); }
  ~Client() {
    if (fd_ >= 0) close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  struct Response {
    int status = 0;
    std::string body;
  };
  // POSTs `body` to `path`; status 0 when the connection failed (it is then reopened).
  Response post(const std::string& path, const std::string& body, const char* type) {
    std::string request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + type +
                          "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    request += body;
    Response r;
    if (fd_ < 0 && !connect()) return r;
    if (!sendAll(request) || !read(r)) {
      close(fd_);
      fd_ = -1;
      r.status = 0;
    }
    return r;
  }

 private:
  bool connect() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port_));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return true;
    close(fd_);
    fd_ = -1;
    return false;
  }
  bool sendAll(std::string_view b) {
    while (!b.empty()) {
      const ssize_t n = send(fd_, b.data(), b.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      b.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  bool fill() {
    char chunk[65536];
    const ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
  bool read(Response& r) {
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
      if (!fill()) return false;
    r.status = std::atoi(buffer_.c_str() + 9);  // "HTTP/1.1 200"
    size_t length = 0;
    const size_t at = buffer_.find("Content-Length: ");
    if (at != std::string::npos && at < end)
      length = std::strtoul(buffer_.c_str() + at + 16, nullptr, 10);
    while (buffer_.size() < end + 4 + length)
      if (!fill()) return false;
    r.body = buffer_.substr(end + 4, length);
    buffer_.erase(0, end + 4 + length);
    return true;
  }
  int port_;
  int fd_ = -1;
  std::string buffer_;
};

// Runs `clients` threads for at most `seconds`, each calling `step(client, thread, k)` until it
// returns false or the time is up; merges their counts.
template <typename Step>
Phase runPhase(const Options& o, int port, double seconds, Step step) {
  std::vector<Phase> perThread(o.clients);
  std::vector<std::thread> pool;
  const auto start = Clock::now();
  const auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (size_t t = 0; t < o.clients; ++t)
    pool.emplace_back([&, t] {
      Client c(port);
      for (size_t k = 0; Clock::now() < end && k < 10'000'000; ++k)
        if (!step(c, t, k, end, perThread[t])) break;
    });
  for (auto& th : pool) th.join();
  Phase total;
  total.seconds = since(start);
  for (Phase& p : perThread) {
    total.answered += p.answered;
    total.failed += p.failed;
    total.decisions += p.decisions;
    total.latencies.insert(total.latencies.end(), p.latencies.begin(), p.latencies.end());
  }
  return total;
}

void report(const char* name, Phase& p) {
  const double p50 = percentile(p.latencies, 0.50) * 1e3, p99 = percentile(p.latencies, 0.99) * 1e3;
  std::printf("%-28s %10.0f decisions/s  %8zu requests  p50 %7.3f ms  p99 %7.3f ms  %zu failed\n",
              name, p.rate(), p.answered, p50, p99, p.failed);
}

}  // namespace

int main(int argc, char** argv) {
  prctl(PR_SET_TIMERSLACK, 1);  // paced sends wake on time, not up to 50 µs late
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "daliz_serve_bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--daliz")
      o.daliz = value();
    else if (a == "--work")
      o.work = value();
    else if (a == "--profiles")
      o.profiles = std::stoul(value());
    else if (a == "--decls")
      o.decls = std::stoul(value());
    else if (a == "--clients")
      o.clients = std::stoul(value());
    else if (a == "--batch")
      o.batch = std::stoul(value());
    else if (a == "--workers")
      o.workers = static_cast<unsigned>(std::stoul(value()));
    else if (a == "--seconds")
      o.seconds = std::stod(value());
    else {
      std::fprintf(stderr,
                   "usage: daliz_serve_bench --daliz PATH [--profiles N] [--decls N] [--seconds S] "
                   "[--clients N] [--batch N] [--workers N] [--work DIR]\n");
      return 2;
    }
  }
  fs::create_directories(o.work);
  // The bench set and its declarations, as scripts/bench generates them.
  const std::string source = o.work + "/profiles.dlz", bundle = o.work + "/profiles.bundle";
  std::ofstream(source, std::ios::binary)
      << toDaliz(makeProfileSet(o.profiles), "reference_prices.csv");
  std::ofstream(o.work + "/reference_prices.csv", std::ios::binary) << world().refCsv();
  const std::string compile = "'" + o.daliz + "' compile '" + source + "' --ref '" + o.work +
                              "' -o '" + bundle + "' 2>/dev/null";
  if (std::system(compile.c_str()) != 0) {
    std::fprintf(stderr, "daliz_serve_bench: cannot compile the bench profiles with %s\n",
                 o.daliz.c_str());
    return 1;
  }
  std::vector<std::string> decls;
  WorkloadGenerator gen(1234);
  const std::string declsFile = o.work + "/declarations.jsonl";
  {
    std::ofstream out(declsFile, std::ios::binary);
    for (size_t i = 0; i < o.decls; ++i) {
      std::string line;
      appendJson(line, gen.next());
      out << line << '\n';
      decls.push_back(std::move(line));
    }
  }
  // `daliz run` on the same declarations five times over (so that its start-up, the bundle's load,
  // weighs little), on the server's worker count.
  const std::string runFile = o.work + "/declarations_x5.jsonl";
  {
    std::ofstream out(runFile, std::ios::binary);
    for (int round = 0; round < 5; ++round)
      for (const std::string& d : decls) out << d << '\n';
  }
  const auto runStart = Clock::now();
  const std::string run = "'" + o.daliz + "' run '" + bundle + "' --in '" + runFile + "' --out '" +
                          o.work + "/run.jsonl' --threads " + std::to_string(o.workers) +
                          " 2>/dev/null";
  const int runStatus = std::system(run.c_str());
  const double runRate = static_cast<double>(5 * o.decls) / since(runStart);
  if (runStatus != 0) std::fprintf(stderr, "daliz_serve_bench: daliz run exited %d\n", runStatus);

  // The floor: each declaration decided in this process through the embedding API, one thread,
  // no HTTP. A server cannot answer faster than its decision takes.
  std::vector<double> inProcess;
  {
    std::string error;
    auto engine =
        daliz::api::Engine::loadFile(bundle, daliz::api::TrustPolicy::development(), error);
    if (!engine) {
      std::fprintf(stderr, "daliz_serve_bench: %s\n", error.c_str());
      return 1;
    }
    daliz::api::Session session(engine);
    for (const std::string& d : decls) session.decide(d);  // warm
    for (const std::string& d : decls) {
      const auto t = Clock::now();
      session.decide(d);
      inProcess.push_back(since(t));
    }
  }
  double inTotal = 0;
  for (double t : inProcess) inTotal += t;
  const double inRate = static_cast<double>(inProcess.size()) / inTotal;
  const double inP50 = percentile(inProcess, 0.5) * 1e3, inP99 = percentile(inProcess, 0.99) * 1e3;

  Server server(o, bundle);
  if (server.port() == 0) {
    std::fprintf(stderr, "daliz_serve_bench: the server did not start\n");
    return 1;
  }
  std::printf(
      "daliz serve: %zu profiles, %zu declarations, %zu keep-alive clients, %u workers, %.0f s per "
      "phase\n",
      o.profiles, o.decls, o.clients, o.workers, o.seconds);
  const int port = server.port();
  // Warm-up: every declaration once (and the server's sessions made).
  runPhase(o, port, 1.0, [&](Client& c, size_t t, size_t k, Clock::time_point, Phase& p) {
    auto r = c.post("/v1/decide", decls[(t * 7919 + k) % decls.size()], "application/json");
    p.answered += r.status == 200;
    return r.status != 0;
  });

  auto single = [&](Client& c, size_t t, size_t k, Clock::time_point, Phase& p) {
    const auto sent = Clock::now();
    auto r = c.post("/v1/decide", decls[(t * 104729 + k) % decls.size()], "application/json");
    return p.record(since(sent), r.status, 1);
  };
  Phase closed = runPhase(o, port, o.seconds, single);

  // Half load, open loop: each client sends on a fixed schedule, so a slow answer does not slow
  // the offered load. Latency counts from the send; how late the client itself woke to send (the
  // machine's scheduling, not the server) is reported apart.
  const double rate = closed.rate() / 2, perClient = rate / static_cast<double>(o.clients);
  std::vector<Clock::time_point> due(o.clients, Clock::now());
  std::vector<std::vector<double>> lateness(o.clients);
  auto paced = [&](Client& c, size_t t, size_t k, Clock::time_point end, Phase& p) {
    due[t] +=
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / perClient));
    if (due[t] >= end) return false;
    std::this_thread::sleep_until(due[t]);
    const auto sent = Clock::now();
    lateness[t].push_back(std::chrono::duration<double>(sent - due[t]).count());
    auto r = c.post("/v1/decide", decls[(t * 15485863 + k) % decls.size()], "application/json");
    return p.record(since(sent), r.status, 1);
  };
  for (auto& d : due) d = Clock::now();
  Phase half = runPhase(o, port, o.seconds, paced);

  std::vector<std::string> batches;
  for (size_t b = 0; b + o.batch <= decls.size(); b += o.batch) {
    std::string body;
    for (size_t i = b; i < b + o.batch; ++i) body += decls[i] + "\n";
    batches.push_back(std::move(body));
  }
  auto batch = [&](Client& c, size_t t, size_t k, Clock::time_point, Phase& p) {
    const auto sent = Clock::now();
    auto r = c.post("/v1/decide/batch", batches[(t + k * o.clients) % batches.size()],
                    "application/x-ndjson");
    return p.record(since(sent), r.status, o.batch);
  };
  Phase batched = runPhase(o, port, o.seconds, batch);

  report("POST /v1/decide", closed);
  char halfName[64];
  std::snprintf(halfName, sizeof halfName, "  at half load (%.0f/s)", rate);
  report(halfName, half);
  std::vector<double> late;
  for (auto& l : lateness) late.insert(late.end(), l.begin(), l.end());
  std::printf("%-28s sends late by p50 %.3f ms, p99 %.3f ms (client wake-up)\n", "",
              percentile(late, 0.5) * 1e3, percentile(late, 0.99) * 1e3);
  char batchName[64];
  std::snprintf(batchName, sizeof batchName, "POST /v1/decide/batch (%zu)", o.batch);
  report(batchName, batched);
  std::printf("%-28s %10.0f decisions/s  (%zu declarations, %u threads)\n", "daliz run", runRate,
              5 * o.decls, o.workers);
  std::printf(
      "%-28s %10.0f decisions/s  p50 %7.3f ms  p99 %7.3f ms  (one thread, the decision alone)\n",
      "in process (embedding API)", inRate, inP50, inP99);
  std::printf(
      "{\"serve_single_per_s\": %.0f, \"serve_single_p50_ms\": %.3f, \"serve_single_p99_ms\": "
      "%.3f, "
      "\"serve_half_rate\": %.0f, \"serve_half_p50_ms\": %.3f, \"serve_half_p99_ms\": %.3f, "
      "\"serve_batch_per_s\": %.0f, \"run_per_s\": %.0f, \"batch_vs_run\": %.3f, "
      "\"decide_p50_ms\": %.3f, "
      "\"decide_p99_ms\": %.3f, \"failed\": %zu}\n",
      closed.rate(), percentile(closed.latencies, 0.5) * 1e3,
      percentile(closed.latencies, 0.99) * 1e3, rate, percentile(half.latencies, 0.5) * 1e3,
      percentile(half.latencies, 0.99) * 1e3, batched.rate(), runRate, batched.rate() / runRate,
      inP50, inP99, closed.failed + half.failed + batched.failed);
  return closed.failed + half.failed + batched.failed == 0 ? 0 : 1;
}

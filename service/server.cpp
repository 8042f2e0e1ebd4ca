#include "service/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "assign/assignment.h"
#include "decision_log/writer.h"
#include "service/bundle_shelf.h"
#include "service/metrics.h"
#include "vm/exec/decision.h"
#include "vm/value/timestamp.h"

namespace daliz::service {
namespace {

using Clock = std::chrono::steady_clock;

int64_t unixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The operator's log: one line per event on stderr, with the time.
void note(const std::string& line) {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::cerr << formatTimestamp(unixNow()) << " daliz serve: " << line << std::endl;
}

// Signals reach the watcher thread through a pipe: the handler only writes one byte, whatever
// thread the kernel chose to run it on.
int gSignalPipe[2] = {-1, -1};

extern "C" void onSignal(int signo) {
  const unsigned char b = static_cast<unsigned char>(signo);
  const int saved = errno;
  if (gSignalPipe[1] >= 0) [[maybe_unused]]
    ssize_t n = ::write(gSignalPipe[1], &b, 1);
  errno = saved;
}

// httplib's connection queue, bounded: when every connection thread is busy and `capacity`
// accepted connections wait, the accept loop waits too, and new clients wait in the kernel's
// listen backlog instead of in memory.
class BoundedPool : public httplib::TaskQueue {
 public:
  BoundedPool(size_t threads, size_t capacity) : capacity_(capacity) {
    for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
  }
  ~BoundedPool() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return jobs_.size() < capacity_ || stopping_; });
    jobs_.push_back(std::move(fn));
    ready_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      if (stopping_ && threads_.empty()) return;
      stopping_ = true;
    }
    ready_.notify_all();
    space_.notify_all();
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

 private:
  void work() {
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return !jobs_.empty() || stopping_; });
        if (jobs_.empty()) return;  // stopping, and every accepted connection was served
        fn = std::move(jobs_.front());
        jobs_.pop_front();
        space_.notify_one();
      }
      fn();
    }
  }

  size_t capacity_;
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  bool stopping_ = false;
};

// The workers: at most `count` requests decide at once; the others wait, each until its deadline.
// A mutex and a condition variable: with std::counting_semaphore::try_acquire_until (GCC 12), the
// load test saw waiters sleep on to their 2 s deadline after a release (p99 of batches over 1 s).
class WorkerSlots {
 public:
  explicit WorkerSlots(unsigned count) : free_(count) {}
  bool acquireUntil(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    if (!freed_.wait_until(lock, deadline, [&] { return free_ > 0; })) return false;
    --free_;
    return true;
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      ++free_;
    }
    freed_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable freed_;
  unsigned free_;
};

// Sessions of one bundle, reused between requests (a session owns decoders and scratch memory).
class SessionPool {
 public:
  SessionPool(std::shared_ptr<const api::Engine> engine, uint64_t budget)
      : engine_(std::move(engine)), budget_(budget) {}
  std::unique_ptr<api::Session> acquire() {
    {
      std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        auto s = std::move(free_.back());
        free_.pop_back();
        return s;
      }
    }
    auto s = std::make_unique<api::Session>(engine_);
    if (budget_ != 0) s->setBudget(budget_);
    return s;
  }
  void release(std::unique_ptr<api::Session> s) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(s));
  }

 private:
  std::shared_ptr<const api::Engine> engine_;
  uint64_t budget_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<api::Session>> free_;
};

// The bundle in service, with what the request path needs of it. Requests hold it by
// shared_ptr: a reload swaps it, and requests in flight finish on the one they started with.
struct Active {
  ShelvedBundle bundle;
  std::shared_ptr<BundleCounters> counters;
  SessionPool sessions;
  std::string json;  // GET /v1/bundle
  Active(ShelvedBundle b, std::shared_ptr<BundleCounters> c, uint64_t budget)
      : bundle(std::move(b)),
        counters(std::move(c)),
        sessions(bundle.engine, budget),
        json(describe()) {}

  std::string describe() const {
    const api::Engine& e = *bundle.engine;
    std::string j = "{\"bundle\":\"" + e.contentHash() + "\",\"sequence\":";
    j += e.approval() ? std::to_string(e.approval()->sequence) : "null";
    j += ",\"profiles\":" + std::to_string(e.profileCount()) + ",\"profile_ids\":[";
    const auto ids = e.profileIds();
    for (size_t i = 0; i < ids.size(); ++i) {
      if (i) j += ',';
      appendJsonString(j, ids[i]);
    }
    j += "],\"categorize\":";
    j += e.canCategorize() ? "true" : "false";
    j += ",\"signers\":[";
    for (size_t i = 0; i < e.signers().size(); ++i) j += (i ? ",\"" : "\"") + e.signers()[i] + "\"";
    j += "],\"approval\":";
    if (const auto& a = e.approval()) {
      j += "{\"sequence\":" + std::to_string(a->sequence) + ",\"act\":";
      appendJsonString(j, a->act);
      j += ",\"act_date\":\"" + a->actDate + "\",\"effective_from\":\"" + a->effectiveFromText +
           "\"}";
    } else {
      j += "null";
    }
    j += ",\"file\":";
    appendJsonString(j, bundle.file);
    j += ",\"loaded_at\":\"" + formatTimestamp(bundle.loadedAt) + "\"}";
    return j;
  }
};

// cpp-httplib 0.11 listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, fixed in the packaged
// library), so a burst of new connections overflows the kernel's accept queue. Calling listen(2)
// again on the bound socket raises the backlog; the socket is found among this process's
// descriptors as the listening TCP socket on `port`.
void raiseListenBacklog(int port) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    int fd = -1;
    try {
      fd = std::stoi(entry.path().filename().string());
    } catch (...) {
      continue;
    }
    int listening = 0;
    socklen_t len = sizeof listening;
    sockaddr_storage addr{};
    socklen_t addrLen = sizeof addr;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening) continue;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &addrLen) != 0) continue;
    const int bound =
        addr.ss_family == AF_INET    ? ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port)
        : addr.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port)
                                     : -1;
    if (bound == port) ::listen(fd, SOMAXCONN);
  }
}

std::string errorJson(std::string_view message) {
  std::string j = "{\"error\":";
  appendJsonString(j, message);
  return j + "}\n";
}

// The non-blank lines of a JSON Lines body, without their line terminators.
std::vector<std::string_view> bodyLines(std::string_view body) {
  std::vector<std::string_view> lines;
  while (!body.empty()) {
    size_t nl = body.find('\n');
    std::string_view line = body.substr(0, nl);
    body.remove_prefix(nl == std::string_view::npos ? body.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) lines.push_back(line);
  }
  return lines;
}

class Server {
 public:
  explicit Server(const ServerOptions& o)
      : o_(o), metrics_(o.planWindow), shelf_(o.bundles, o.policy, o.engine), slots_(o.workers) {}

  int run();

 private:
  // ---- bundles ----
  std::shared_ptr<Active> active() {
    std::lock_guard lock(activeMutex_);
    return active_;
  }
  // Rescans the bundles; returns the report's lines (also written to the operator's log).
  ScanReport rescan();
  void watch();

  // ---- admission: at most workers deciding, queue waiting, the rest refused ----
  class Admission {
   public:
    Admission(Server& s) : s_(s) {
      const int64_t admitted = s_.metrics_.inFlight().fetch_add(1) + 1;
      admitted_ = admitted <= static_cast<int64_t>(s_.o_.workers + s_.o_.queue);
    }
    ~Admission() {
      if (slot_) s_.slots_.release();
      s_.metrics_.inFlight().fetch_sub(1);
    }
    bool admitted() const { return admitted_; }
    bool acquire(Clock::time_point deadline) { return slot_ = s_.slots_.acquireUntil(deadline); }

   private:
    Server& s_;
    bool admitted_ = false, slot_ = false;
  };
  // Admits the request and waits for a worker; on failure sets the 503 and returns false.
  bool admit(Admission& a, Clock::time_point start, httplib::Response& res);
  void refuse(httplib::Response& res, int status, ErrorKind kind, const std::string& message);

  // ---- handlers ----
  // Runs `work(bundle, session)` for a request that decides: a bundle must be active, the request
  // admitted and given a worker within its deadline; its latency is observed once answered.
  template <typename Work>
  void serveDecision(httplib::Response& res, Endpoint endpoint, Work work);
  void count(const Active& bundle, const api::Decision& d);
  void decide(const httplib::Request& req, httplib::Response& res);
  void decideBatch(const httplib::Request& req, httplib::Response& res);
  void categorize(const httplib::Request& req, httplib::Response& res);
  void reload(const httplib::Request& req, httplib::Response& res);
  void assignDecisions(const httplib::Request& req, httplib::Response& res);
  bool authorized(const httplib::Request& req) const;
  void routes();

  const ServerOptions& o_;
  httplib::Server http_;
  Metrics metrics_;
  std::mutex shelfMutex_;
  BundleShelf shelf_;
  std::mutex activeMutex_;
  std::shared_ptr<Active> active_;
  WorkerSlots slots_;
  std::unique_ptr<decision_log::Writer> log_;
  std::string adminToken_;
  std::mutex assignMutex_;  // assignments are sequential: each depends on the state before it
  std::atomic<bool> draining_{false};
  int wakePipe_[2] = {-1, -1};
};

ScanReport Server::rescan() {
  std::lock_guard lock(shelfMutex_);
  ScanReport report = shelf_.scan(unixNow());
  for (const std::string& e : report.events) note(e);
  bool refused = false;
  for (const std::string& e : report.events)
    refused |= e.rfind("refused", 0) == 0 || e.rfind("not activated", 0) == 0;
  metrics_.reload(report.activated.has_value(), refused);
  if (report.activated) {
    auto next = std::make_shared<Active>(*report.activated,
                                         metrics_.bundle(*report.activated->engine), o_.budget);
    metrics_.setActive(*report.activated->engine);
    std::lock_guard activeLock(activeMutex_);
    active_ = std::move(next);  // requests in flight keep the one they hold
  }
  return report;
}

// The watcher: bundle folder changes (inotify), signals, and a periodic scan for effective-from
// times and for file systems that send no change events.
void Server::watch() {
  std::filesystem::path dir = shelf_.isDirectory()
                                  ? std::filesystem::path(o_.bundles)
                                  : std::filesystem::path(o_.bundles).parent_path();
  if (dir.empty()) dir = ".";
  int inotify = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify >= 0 && ::inotify_add_watch(inotify, dir.c_str(),
                                          IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
                                              IN_ATTRIB) < 0) {
    ::close(inotify);
    inotify = -1;
  }
  if (inotify < 0)
    note("cannot watch " + dir.string() + " for changes; scanning every " +
         std::to_string(o_.pollMs) + " ms");
  for (;;) {
    pollfd fds[3] = {{gSignalPipe[0], POLLIN, 0}, {wakePipe_[0], POLLIN, 0}, {inotify, POLLIN, 0}};
    const int n = ::poll(fds, inotify >= 0 ? 3 : 2, static_cast<int>(o_.pollMs));
    if (n < 0 && errno != EINTR) break;
    bool stop = false, scan = n == 0;
    if (n > 0 && (fds[0].revents & POLLIN)) {
      unsigned char signals[64];
      const ssize_t got = ::read(gSignalPipe[0], signals, sizeof signals);
      for (ssize_t i = 0; i < got; ++i) {
        if (signals[i] == SIGHUP) {
          note("SIGHUP: rescanning the bundles");
          scan = true;
        } else {
          stop = true;
        }
      }
    }
    if (n > 0 && (fds[1].revents & POLLIN)) break;  // the server is done
    if (n > 0 && inotify >= 0 && (fds[2].revents & POLLIN)) {
      char events[4096];
      while (::read(inotify, events, sizeof events) > 0) {
      }
      scan = true;
    }
    if (stop) {
      note("stopping: draining the requests in flight");
      draining_ = true;
      // A signal during start-up: wait for the listener to run, so that stop() has one to stop.
      for (int i = 0; i < 1000 && !http_.is_running(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      http_.stop();
      break;
    }
    if (scan) rescan();
    if (log_) metrics_.setLogRecords(log_->records());
  }
  if (inotify >= 0) ::close(inotify);
}

void Server::refuse(httplib::Response& res, int status, ErrorKind kind,
                    const std::string& message) {
  metrics_.error(kind);
  res.status = status;
  if (status == 503) res.set_header("Retry-After", "1");
  res.set_content(errorJson(message), "application/json");
}

bool Server::admit(Admission& a, Clock::time_point start, httplib::Response& res) {
  if (!a.admitted()) {
    refuse(res, 503, ErrorKind::Overloaded,
           "overloaded: every worker is busy and the queue is full; retry later");
    return false;
  }
  if (!a.acquire(start + std::chrono::milliseconds(o_.deadlineMs))) {
    refuse(res, 503, ErrorKind::Deadline,
           "no worker became free within the deadline of " + std::to_string(o_.deadlineMs) +
               " ms; retry later");
    return false;
  }
  return true;
}

template <typename Work>
void Server::serveDecision(httplib::Response& res, Endpoint endpoint, Work work) {
  const auto start = Clock::now();
  auto bundle = active();
  if (!bundle)
    return refuse(res, 503, ErrorKind::NotReady, "not ready: no approved bundle is active");
  if (endpoint == Endpoint::Categorize && !bundle->bundle.engine->canCategorize())
    return refuse(res, 409, ErrorKind::BadRequest, "the active bundle has no categorize block");
  Admission a(*this);
  if (!admit(a, start, res)) return;
  auto session = bundle->sessions.acquire();
  work(*bundle, *session);
  bundle->sessions.release(std::move(session));
  metrics_.observe(endpoint, std::chrono::duration<double>(Clock::now() - start).count());
}

void Server::count(const Active& bundle, const api::Decision& d) {
  if (d.ok)
    bundle.counters->count(d);
  else
    metrics_.error(d.overBudget ? ErrorKind::Budget : ErrorKind::Input);
}

// `?view=officer|declarant|audit` (docs/serve.md): whom the answer is for. The log and the
// metrics always take the officer's decision.
std::optional<api::View> requestedView(const httplib::Request& req) {
  if (!req.has_param("view")) return api::View::Officer;
  auto view = decisionViewNamed(req.get_param_value("view"));
  if (!view) return std::nullopt;
  return static_cast<api::View>(*view);
}

void Server::decide(const httplib::Request& req, httplib::Response& res) {
  const auto view = requestedView(req);
  if (!view)
    return refuse(res, 400, ErrorKind::BadRequest, "`view` must be officer, declarant or audit");
  serveDecision(res, Endpoint::Decide, [&](const Active& bundle, api::Session& session) {
    api::Decision d = session.decide(req.body);
    std::string answer = *view == api::View::Officer ? d.json : session.lastJson(*view);
    if (log_) {
      std::string error, id;
      if (!log_->append({req.body, d.json, d.bundle, d.sequence}, error, &id))
        return refuse(res, 503, ErrorKind::Log, "the decision is not given: " + error);
      res.set_header("Daliz-Decision-Id", id);
    }
    count(bundle, d);
    res.status = d.ok ? 200 : d.overBudget ? 422 : 400;
    res.set_header("Daliz-Bundle", d.bundle);
    answer += '\n';
    res.set_content(answer, "application/json");
  });
}

void Server::decideBatch(const httplib::Request& req, httplib::Response& res) {
  const auto view = requestedView(req);
  if (!view)
    return refuse(res, 400, ErrorKind::BadRequest, "`view` must be officer, declarant or audit");
  serveDecision(res, Endpoint::Batch, [&](const Active& bundle, api::Session& session) {
    const std::vector<std::string_view> lines = bodyLines(req.body);
    std::vector<api::Decision> decisions;
    std::vector<std::string> answers;  // in the requested view, when not the officer's
    decisions.reserve(lines.size());
    for (std::string_view line : lines) {
      decisions.push_back(session.decide(line));
      if (*view != api::View::Officer) answers.push_back(session.lastJson(*view));
    }
    if (log_) {
      std::vector<decision_log::Entry> entries;
      entries.reserve(lines.size());
      for (size_t i = 0; i < lines.size(); ++i)
        entries.push_back(
            {lines[i], decisions[i].json, decisions[i].bundle, decisions[i].sequence});
      std::string error;
      if (!log_->append(entries, error))
        return refuse(res, 503, ErrorKind::Log, "the decisions are not given: " + error);
    }
    std::string out;
    size_t bytes = 0;
    for (const api::Decision& d : decisions) bytes += d.json.size() + 1;
    out.reserve(bytes);
    for (size_t i = 0; i < decisions.size(); ++i) {
      count(bundle, decisions[i]);
      out += answers.empty() ? decisions[i].json : answers[i];
      out += '\n';
    }
    res.status = 200;
    res.set_header("Daliz-Bundle", bundle.bundle.engine->contentHash());
    res.set_content(out, "application/x-ndjson");
  });
}

void Server::categorize(const httplib::Request& req, httplib::Response& res) {
  serveDecision(res, Endpoint::Categorize, [&](const Active& bundle, api::Session& session) {
    api::Category c = session.categorize(req.body);
    if (c.ok)
      bundle.counters->countCategory(c);
    else
      metrics_.error(ErrorKind::Input);
    res.status = c.ok ? 200 : 400;
    c.json += '\n';
    res.set_content(c.json, "application/json");
  });
}

bool Server::authorized(const httplib::Request& req) const {
  const std::string header = req.get_header_value("Authorization");
  const std::string_view prefix = "Bearer ";
  if (header.compare(0, prefix.size(), prefix) != 0) return false;
  // Compared as hashes, in constant time: the token's length and bytes do not leak by timing.
  unsigned char given[crypto_hash_sha256_BYTES], want[crypto_hash_sha256_BYTES];
  const std::string token = header.substr(prefix.size());
  crypto_hash_sha256(given, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  crypto_hash_sha256(want, reinterpret_cast<const unsigned char*>(adminToken_.data()),
                     adminToken_.size());
  return crypto_verify_32(given, want) == 0;
}

void Server::reload(const httplib::Request& req, httplib::Response& res) {
  if (adminToken_.empty())
    return refuse(res, 403, ErrorKind::BadRequest,
                  "admin endpoints are off: start serve with --admin-token-file");
  if (!authorized(req)) {
    res.set_header("WWW-Authenticate", "Bearer");
    return refuse(res, 401, ErrorKind::BadRequest,
                  "a valid admin token is required (Authorization: Bearer TOKEN)");
  }
  note("reload requested by " + req.remote_addr);
  ScanReport report = rescan();
  auto bundle = active();
  std::string j = "{\"activated\":";
  j += report.activated ? "true" : "false";
  j += ",\"active\":" + (bundle ? bundle->json : std::string("null")) + ",\"events\":[";
  for (size_t i = 0; i < report.events.size(); ++i) {
    if (i) j += ',';
    appendJsonString(j, report.events[i]);
  }
  j += "]}\n";
  res.set_content(j, "application/json");
}

void Server::assignDecisions(const httplib::Request& req, httplib::Response& res) {
  if (!o_.assigner)
    return refuse(res, 404, ErrorKind::BadRequest,
                  "assignment is off: start serve with --officers FILE");
  std::string out;
  {
    std::lock_guard lock(assignMutex_);
    assign::State before = o_.assigner->state();
    uint64_t lineNumber = 0;
    std::string_view body = req.body;
    while (!body.empty()) {
      const size_t nl = body.find('\n');
      std::string_view line = body.substr(0, nl);
      body.remove_prefix(nl == std::string_view::npos ? body.size() : nl + 1);
      ++lineNumber;  // lines of the body, blank ones included, as the error lines count them
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      bool bad = false;
      out += o_.assigner->assignLine(line, lineNumber, bad);
      out += '\n';
      if (bad) metrics_.error(ErrorKind::Input);
    }
    std::string why;
    if (!o_.assignState.empty() && !assign::saveState(o_.assignState, o_.assigner->state(), why)) {
      o_.assigner->restore(std::move(before));
      return refuse(res, 503, ErrorKind::Log,
                    "the assignments are not given: the state file: " + why);
    }
  }
  res.status = 200;
  res.set_content(out, "application/x-ndjson");
}

void Server::routes() {
  using httplib::Request;
  using httplib::Response;
  http_.Post("/v1/decide", [this](const Request& q, Response& r) { decide(q, r); });
  http_.Post("/v1/decide/batch", [this](const Request& q, Response& r) { decideBatch(q, r); });
  http_.Post("/v1/categorize", [this](const Request& q, Response& r) { categorize(q, r); });
  http_.Post("/v1/admin/reload", [this](const Request& q, Response& r) { reload(q, r); });
  http_.Post("/v1/assign", [this](const Request& q, Response& r) { assignDecisions(q, r); });
  http_.Get("/v1/bundle", [this](const Request&, Response& r) {
    auto bundle = active();
    if (!bundle)
      return refuse(r, 503, ErrorKind::NotReady, "not ready: no approved bundle is active");
    r.set_content(bundle->json + "\n", "application/json");
  });
  http_.Get("/healthz", [](const Request&, Response& r) {
    r.set_content("{\"status\":\"ok\"}\n", "application/json");
  });
  http_.Get("/readyz", [this](const Request&, Response& r) {
    auto bundle = active();
    if (draining_) return refuse(r, 503, ErrorKind::NotReady, "not ready: draining before exit");
    if (!bundle)
      return refuse(r, 503, ErrorKind::NotReady, "not ready: no approved bundle is active");
    r.set_content("{\"ready\":true,\"bundle\":\"" + bundle->bundle.engine->contentHash() + "\"}\n",
                  "application/json");
  });
  http_.Get("/metrics", [this](const Request&, Response& r) {
    if (log_) metrics_.setLogRecords(log_->records());
    r.set_content(metrics_.render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  // httplib answers errors itself (400, 404, 413, …) with an empty body: give them a JSON one.
  http_.set_error_handler([this](const Request& q, Response& r) {
    if (!r.body.empty()) return;
    if (r.status == 413)
      metrics_.error(ErrorKind::TooLarge);
    else
      metrics_.error(ErrorKind::BadRequest);
    const bool form =
        q.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0;
    std::string why;
    if (r.status == 404)
      why = "no such endpoint: " + q.method + " " + q.path;
    else if (r.status == 413 && form)
      why =
          "a form-encoded body is limited to 8192 bytes: send Content-Type: application/json (or "
          "application/x-ndjson for a batch)";
    else if (r.status == 413)
      why = "the body is larger than " + std::to_string(o_.maxBodyBytes) + " bytes (--max-body)";
    else if (q.method == "POST" && !q.has_header("Content-Length") &&
             !q.has_header("Transfer-Encoding"))
      why = "a POST needs a body with a Content-Length";
    else
      why = "bad request";
    r.set_content(errorJson(why), "application/json");
  });
  http_.set_exception_handler([this](const Request&, Response& r, std::exception_ptr e) {
    std::string what = "unknown exception";
    try {
      if (e) std::rethrow_exception(e);
    } catch (const std::exception& x) {
      what = x.what();
    } catch (...) {
    }
    note("internal error: " + what);
    refuse(r, 500, ErrorKind::Internal, "internal error: " + what);
  });
}

int Server::run() {
  if (!o_.adminTokenFile.empty()) {
    std::ifstream in(o_.adminTokenFile, std::ios::binary);
    std::stringstream text;
    if (in) text << in.rdbuf();
    adminToken_ = text.str();
    while (!adminToken_.empty() && (adminToken_.back() == '\n' || adminToken_.back() == '\r'))
      adminToken_.pop_back();
    if (!in || adminToken_.size() < 16) {
      note("error: the admin token file `" + o_.adminTokenFile +
           "` cannot be read or holds under 16 characters");
      return 1;
    }
  }
  if (!o_.log.empty()) {
    std::string error;
    log_ = decision_log::Writer::open({o_.log, o_.logMaxBytes, o_.logSyncMs, o_.logInputs}, error);
    if (!log_) {
      note("error: " + error);
      return 1;
    }
    note("decision log " + o_.log + " (" + std::to_string(log_->records()) + " records so far)");
  }
  if (::pipe2(gSignalPipe, O_CLOEXEC | O_NONBLOCK) != 0 || ::pipe2(wakePipe_, O_CLOEXEC) != 0) {
    note("error: cannot make a pipe");
    return 1;
  }
  struct sigaction sa {};
  sa.sa_handler = onSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (int s : {SIGTERM, SIGINT, SIGHUP}) ::sigaction(s, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);  // a client that hangs up is a write error, not a dead server

  if (o_.policy.allowUnsigned) note("warning: --insecure-dev: unsigned bundles are accepted");
  rescan();
  if (!active())
    note("not ready: no approved, effective bundle in " + o_.bundles + " yet; waiting for one");

  routes();
  const size_t connections = std::max<size_t>(o_.connections, o_.workers + 1);
  http_.new_task_queue = [connections] { return new BoundedPool(connections, connections); };
  http_.set_payload_max_length(o_.maxBodyBytes);
  http_.set_keep_alive_max_count(1000000);
  http_.set_keep_alive_timeout(5);
  http_.set_read_timeout(5, 0);
  http_.set_write_timeout(5, 0);
  http_.set_tcp_nodelay(true);
  int port = o_.port;
  if (port == 0) {
    port = http_.bind_to_any_port(o_.host);
  } else if (!http_.bind_to_port(o_.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    note("error: cannot listen on " + o_.host + ":" + std::to_string(o_.port));
    return 1;
  }
  raiseListenBacklog(port);
  note("listening on http://" + o_.host + ":" + std::to_string(port) + " (" +
       std::to_string(o_.workers) + " workers, queue " + std::to_string(o_.queue) + ")");
  if (o_.onListening) o_.onListening(port);
  std::thread watcher([this] { watch(); });
  http_.listen_after_bind();  // returns once stopped and every request in flight is answered
  const char done = 1;
  [[maybe_unused]] ssize_t n = ::write(wakePipe_[1], &done, 1);
  watcher.join();
  if (log_) {
    std::string error;
    if (!log_->sync(error)) note("error: " + error);
    note("decision log synced: " + std::to_string(log_->records()) + " records");
  }
  note("drained; exiting");
  for (int s : {SIGTERM, SIGINT, SIGHUP}) ::signal(s, SIG_DFL);
  return 0;
}

}  // namespace

int runServer(const ServerOptions& options) {
  ServerOptions o = options;
  if (o.workers == 0) o.workers = std::max(1u, std::thread::hardware_concurrency());
  Server server(o);
  return server.run();
}

}  // namespace daliz::service

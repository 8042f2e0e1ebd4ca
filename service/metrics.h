#pragma once
// The service's metrics, rendered in the Prometheus text exposition format 0.0.4 at GET /metrics
// (docs/serve.md, "Metrics"). Counting is lock-free on the request path; rendering takes a lock.
#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "daliz/daliz.h"
#include "service/plan_window.h"
#include "vm/value/keyed_hash.h"

namespace daliz::service {

// What went wrong with a request or a decision: the `kind` label of daliz_errors_total.
enum class ErrorKind : uint8_t {
  Input,       // a declaration or participant that cannot be evaluated (400, or an error line)
  BadRequest,  // a request the service cannot take (bad path, method, missing token, …)
  TooLarge,    // a body over --max-body (413)
  Overloaded,  // the work queue is full (503)
  Deadline,    // no worker within the request's deadline (503)
  NotReady,    // no approved bundle is active (503)
  Log,         // the decision log could not be written (503)
  Budget,      // a declaration that passed the execution budget (422, or an error line)
  Internal,    // an exception in a handler (500)
};
inline constexpr size_t kErrorKinds = 9;

// A label value: backslash, double quote and newline escaped (exposition format 0.0.4).
std::string labelValue(std::string_view v);

enum class Endpoint : uint8_t { Decide, Batch, Categorize };
inline constexpr size_t kEndpoints = 3;

// Counters of one bundle: decisions by corridor and hits by profile.
class BundleCounters {
 public:
  // `planWindow`: how many of the last decisions the plan gauges cover (docs/serve.md).
  BundleCounters(const api::Engine& engine, size_t planWindow);
  // Counts one decision with a corridor, and its hits.
  void count(const api::Decision& d);
  // Counts one participant's category.
  void countCategory(const api::Category& c);
  // Appends this bundle's samples of each family; `labels` is `bundle="HASH"`.
  void renderDecisions(std::string& out, const std::string& labels) const;
  void renderHits(std::string& out, const std::string& labels) const;
  void renderCategories(std::string& out, const std::string& labels) const;
  void renderPlans(std::string& out, const std::string& labels) const;

 private:
  std::unique_ptr<PlanWindow> plans_;  // when the bundle has selection plans
  std::array<std::atomic<uint64_t>, 4> corridors_{};   // green, blue, yellow, red
  std::array<std::atomic<uint64_t>, 3> categories_{};  // low, medium, high
  std::vector<std::string> profiles_;
  std::unordered_map<std::string, size_t, KeyedHash, std::equal_to<>> profileIndex_;
  std::unique_ptr<std::atomic<uint64_t>[]> hits_;
};

class Metrics {
 public:
  // `planWindow`: serve --plan-window, the decisions each bundle's plan gauges cover.
  explicit Metrics(size_t planWindow = 10000);
  // The counters of `engine`'s bundle, made on first use and kept for the life of the process.
  std::shared_ptr<BundleCounters> bundle(const api::Engine& engine);

  void error(ErrorKind kind) {
    errors_[static_cast<size_t>(kind)].fetch_add(1, std::memory_order_relaxed);
  }
  void observe(Endpoint e, double seconds);
  void reload(bool activated, bool refused);
  std::atomic<int64_t>& inFlight() { return inFlight_; }
  void setActive(const api::Engine& engine);
  void setLogRecords(uint64_t n) { logRecords_.store(n, std::memory_order_relaxed); }

  std::string render() const;

 private:
  static constexpr size_t kBuckets = 14;
  static const std::array<double, kBuckets> kBounds;
  struct Histogram {
    std::array<std::atomic<uint64_t>, kBuckets + 1> buckets{};  // the last is +Inf
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> sumMicros{0};
  };
  std::array<std::atomic<uint64_t>, kErrorKinds> errors_{};
  std::array<Histogram, kEndpoints> latency_;
  std::atomic<int64_t> inFlight_{0};
  std::atomic<uint64_t> reloadsActivated_{0}, reloadsRefused_{0}, reloadsUnchanged_{0};
  std::atomic<uint64_t> logRecords_{0};
  size_t planWindow_;
  mutable std::mutex mutex_;  // guards bundles_ and the active bundle's identity
  std::map<std::string, std::shared_ptr<BundleCounters>> bundles_;
  std::string activeHash_;
  std::optional<uint64_t> activeSequence_;
};

}  // namespace daliz::service

#include "service/metrics.h"

#include <cstdio>

#include "vm/exec/loaded_program.h"

namespace daliz::service {
namespace {

const char* const kCategories[] = {"low", "medium", "high"};
const char* const kErrorNames[kErrorKinds] = {"input",     "bad_request", "too_large", "overloaded", "deadline",
                                              "not_ready", "log",         "budget",    "internal"};
const char* const kEndpointNames[kEndpoints] = {"decide", "batch", "categorize"};


void family(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void sample(std::string& out, const char* name, const std::string& labels, uint64_t value) {
  out += name;
  if (!labels.empty()) out += "{" + labels + "}";
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

int indexOf(const char* const* names, size_t n, std::string_view name) {
  for (size_t i = 0; i < n; ++i)
    if (name == names[i]) return static_cast<int>(i);
  return -1;
}

}  // namespace

std::string labelValue(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

BundleCounters::BundleCounters(const api::Engine& engine, size_t planWindow)
    : profiles_(engine.profileIds()) {
  hits_ = std::make_unique<std::atomic<uint64_t>[]>(profiles_.size());
  for (size_t i = 0; i < profiles_.size(); ++i) profileIndex_.emplace(profiles_[i], i);
  if (!engine.program().program.plans.empty())
    plans_ = std::make_unique<PlanWindow>(engine.program(), planWindow);
}

void BundleCounters::count(const api::Decision& d) {
  const int c = indexOf(kCorridorNames, 4, d.corridor);
  if (c >= 0) corridors_[c].fetch_add(1, std::memory_order_relaxed);
  for (const api::Hit& h : d.hits)
    if (auto it = profileIndex_.find(h.profile); it != profileIndex_.end())
      hits_[it->second].fetch_add(1, std::memory_order_relaxed);
  if (plans_ && c >= 0) plans_->add(d.office, static_cast<uint8_t>(c));
}

void BundleCounters::renderPlans(std::string& out, const std::string& labels) const {
  if (plans_) plans_->render(out, labels);
}

void BundleCounters::countCategory(const api::Category& c) {
  if (int k = indexOf(kCategories, 3, c.category); k >= 0)
    categories_[k].fetch_add(1, std::memory_order_relaxed);
}

void BundleCounters::renderDecisions(std::string& out, const std::string& labels) const {
  for (size_t c = 0; c < 4; ++c)
    sample(out, "daliz_decisions_total",
           std::string("corridor=\"") + kCorridorNames[c] + "\"," + labels, corridors_[c].load());
}

void BundleCounters::renderHits(std::string& out, const std::string& labels) const {
  for (size_t i = 0; i < profiles_.size(); ++i)
    sample(out, "daliz_profile_hits_total",
           "profile=\"" + labelValue(profiles_[i]) + "\"," + labels, hits_[i].load());
}

void BundleCounters::renderCategories(std::string& out, const std::string& labels) const {
  for (size_t c = 0; c < 3; ++c)
    sample(out, "daliz_categorizations_total",
           std::string("category=\"") + kCategories[c] + "\"," + labels, categories_[c].load());
}

const std::array<double, Metrics::kBuckets> Metrics::kBounds = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

Metrics::Metrics(size_t planWindow) : planWindow_(planWindow) {}

std::shared_ptr<BundleCounters> Metrics::bundle(const api::Engine& engine) {
  std::lock_guard lock(mutex_);
  auto& slot = bundles_[engine.contentHash()];
  if (!slot) slot = std::make_shared<BundleCounters>(engine, planWindow_);
  return slot;
}

void Metrics::observe(Endpoint e, double seconds) {
  Histogram& h = latency_[static_cast<size_t>(e)];
  size_t b = 0;
  while (b < kBuckets && seconds > kBounds[b]) ++b;
  h.buckets[b].fetch_add(1, std::memory_order_relaxed);
  h.count.fetch_add(1, std::memory_order_relaxed);
  h.sumMicros.fetch_add(static_cast<uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Metrics::reload(bool activated, bool refused) {
  (activated ? reloadsActivated_ : refused ? reloadsRefused_ : reloadsUnchanged_).fetch_add(1);
}

void Metrics::setActive(const api::Engine& engine) {
  std::lock_guard lock(mutex_);
  activeHash_ = engine.contentHash();
  activeSequence_.reset();
  if (engine.approval()) activeSequence_ = engine.approval()->sequence;
}

std::string Metrics::render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  family(out, "daliz_decisions_total", "counter", "Decisions given, by corridor and bundle.");
  for (const auto& [hash, b] : bundles_)
    b->renderDecisions(out, "bundle=\"" + labelValue(hash) + "\"");
  family(out, "daliz_profile_hits_total", "counter", "Hits of each profile, by bundle.");
  for (const auto& [hash, b] : bundles_) b->renderHits(out, "bundle=\"" + labelValue(hash) + "\"");
  family(out, "daliz_categorizations_total", "counter",
         "Participants categorised, by category and bundle.");
  for (const auto& [hash, b] : bundles_)
    b->renderCategories(out, "bundle=\"" + labelValue(hash) + "\"");
  family(out, "daliz_plan_share", "gauge",
         "Share of a corridor among the last --plan-window decisions a selection plan governs.");
  family(out, "daliz_plan_share_min", "gauge", "The plan's lowest expected share of the corridor.");
  family(out, "daliz_plan_share_max", "gauge", "The plan's highest expected share of the corridor.");
  family(out, "daliz_plan_out_of_range", "gauge", "1 when the share is outside the plan's range.");
  family(out, "daliz_plan_window_declarations", "gauge",
         "Decisions of the window that the plan governs.");
  for (const auto& [hash, b] : bundles_) b->renderPlans(out, "bundle=\"" + labelValue(hash) + "\"");
  family(out, "daliz_errors_total", "counter", "Requests and records that got an error, by kind.");
  for (size_t k = 0; k < kErrorKinds; ++k)
    sample(out, "daliz_errors_total", std::string("kind=\"") + kErrorNames[k] + "\"",
           errors_[k].load());
  family(out, "daliz_request_duration_seconds", "histogram",
         "Time to answer a request, by endpoint.");
  for (size_t e = 0; e < kEndpoints; ++e) {
    const Histogram& h = latency_[e];
    const std::string endpoint = std::string("endpoint=\"") + kEndpointNames[e] + "\"";
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kBuckets; ++b) {
      cumulative += h.buckets[b].load();
      char le[32];
      if (b < kBuckets)
        std::snprintf(le, sizeof le, "%g", kBounds[b]);
      else
        std::snprintf(le, sizeof le, "+Inf");
      sample(out, "daliz_request_duration_seconds_bucket", endpoint + ",le=\"" + le + "\"",
             cumulative);
    }
    char sum[64];
    std::snprintf(sum, sizeof sum, "%.6f", static_cast<double>(h.sumMicros.load()) / 1e6);
    out += "daliz_request_duration_seconds_sum{" + endpoint + "} " + sum + "\n";
    sample(out, "daliz_request_duration_seconds_count", endpoint, h.count.load());
  }
  family(out, "daliz_requests_in_flight", "gauge",
         "Requests being decided or waiting for a worker.");
  out += "daliz_requests_in_flight " + std::to_string(inFlight_.load()) + "\n";
  family(out, "daliz_bundle_sequence", "gauge",
         "Approval sequence of the active bundle (0 without approval metadata).");
  if (!activeHash_.empty())
    out += "daliz_bundle_sequence{bundle=\"" + labelValue(activeHash_) + "\"} " +
           std::to_string(activeSequence_.value_or(0)) + "\n";
  family(out, "daliz_bundle_active", "gauge", "1 while an approved bundle is active, else 0.");
  out += std::string("daliz_bundle_active ") + (activeHash_.empty() ? "0" : "1") + "\n";
  family(out, "daliz_reloads_total", "counter", "Bundle scans, by result.");
  sample(out, "daliz_reloads_total", "result=\"activated\"", reloadsActivated_.load());
  sample(out, "daliz_reloads_total", "result=\"refused\"", reloadsRefused_.load());
  sample(out, "daliz_reloads_total", "result=\"unchanged\"", reloadsUnchanged_.load());
  family(out, "daliz_log_records_total", "counter", "Records appended to the decision log.");
  sample(out, "daliz_log_records_total", "", logRecords_.load());
  return out;
}

}  // namespace daliz::service

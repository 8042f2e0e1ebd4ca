#pragma once
// The observed corridor shares of the last N decisions of a bundle against its selection plans
// (docs/serve.md, "Selection plans"): the gauges of GET /metrics. Bounded: a ring of N entries.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vm/exec/plan_check.h"

namespace daliz {
struct LoadedProgram;
}

namespace daliz::service {

class PlanWindow {
 public:
  // `program` must outlive the window (the engine that owns it is kept with its counters).
  PlanWindow(const LoadedProgram& program, size_t capacity);
  // One decision of `office` given `corridor` (0 green .. 3 red); the oldest drops out when
  // the window is full.
  void add(const std::optional<std::string>& office, uint8_t corridor);
  // Appends, for each plan and each corridor it names, `daliz_plan_share`, `…_share_min`,
  // `…_share_max` and `daliz_plan_out_of_range` samples, and each plan's
  // `daliz_plan_window_declarations`; `labels` is `bundle="HASH"`.
  void render(std::string& out, const std::string& labels) const;

 private:
  mutable std::mutex mutex_;
  PlanTally tally_;
  std::vector<std::pair<int, uint8_t>> ring_;  // (plan index, corridor), oldest at next_ when full
  size_t capacity_, next_ = 0;
};

}  // namespace daliz::service

#include "service/plan_window.h"

#include <cstdio>

#include "service/metrics.h"
#include "vm/exec/loaded_program.h"

namespace daliz::service {

PlanWindow::PlanWindow(const LoadedProgram& program, size_t capacity)
    : tally_(program.program), capacity_(capacity == 0 ? 1 : capacity) {
  ring_.reserve(capacity_);
}

void PlanWindow::add(const std::optional<std::string>& office, uint8_t corridor) {
  const int plan = tally_.planIndex(office);
  std::lock_guard lock(mutex_);
  if (ring_.size() < capacity_) {
    ring_.emplace_back(plan, corridor);
  } else {
    auto& oldest = ring_[next_];
    tally_.add(oldest.first, oldest.second, -1);
    oldest = {plan, corridor};
    next_ = (next_ + 1) % capacity_;
  }
  tally_.add(plan, corridor);
}

void PlanWindow::render(std::string& out, const std::string& labels) const {
  PlanComparison c;
  {
    std::lock_guard lock(mutex_);
    c = tally_.compare();
  }
  auto number = [](double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", v);
    return std::string(text);
  };
  for (const PlanCheck& plan : c.plans) {
    const std::string planLabels = "plan=\"" + labelValue(plan.plan) + "\",office=\"" +
                                   labelValue(plan.office) + "\"," + labels;
    out += "daliz_plan_window_declarations{" + planLabels + "} " +
           std::to_string(plan.declarations) + "\n";
    for (uint8_t k = 0; k < 4; ++k) {
      const CorridorCheck& corridor = plan.corridors[k];
      if (!corridor.given) continue;
      const std::string l = std::string("corridor=\"") + kCorridorNames[k] + "\"," + planLabels;
      out += "daliz_plan_share{" + l + "} " + number(corridor.share) + "\n";
      out += "daliz_plan_share_min{" + l + "} " + number(corridor.lowBasisPoints / 10000.0) + "\n";
      out += "daliz_plan_share_max{" + l + "} " + number(corridor.highBasisPoints / 10000.0) + "\n";
      out += "daliz_plan_out_of_range{" + l + "} " + (corridor.outside() ? "1" : "0") + "\n";
    }
  }
}

}  // namespace daliz::service

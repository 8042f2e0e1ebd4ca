#include "vm/exec/engine_hit.h"

#include <algorithm>

#include "vm/exec/decision.h"
#include "vm/exec/loaded_program.h"

namespace daliz {

bool addEngineHit(const LoadedProgram& lp, Decision& d, std::string profile, uint8_t level,
                  uint8_t corridor, std::string reason) {
  const int64_t measure = corridor < 4 ? lp.corridorMeasure[corridor] : -1;
  if (measure < 0) return false;
  const auto& measures = lp.program.measures;
  EngineHit h;
  h.profile = std::move(profile);
  h.level = level;
  h.measures = {static_cast<uint32_t>(measure)};
  h.corridor = static_cast<uint8_t>(measures[static_cast<size_t>(measure)].corridor);
  h.reason = std::move(reason);
  d.engineHits.push_back(std::move(h));
  std::sort(d.engineHits.begin(), d.engineHits.end(),
            [](const EngineHit& x, const EngineHit& y) { return x.profile < y.profile; });
  // Measures: the union, most severe corridor first, then by name (indices are in name order).
  d.measures.push_back(static_cast<uint32_t>(measure));
  std::sort(d.measures.begin(), d.measures.end());
  d.measures.erase(std::unique(d.measures.begin(), d.measures.end()), d.measures.end());
  std::stable_sort(d.measures.begin(), d.measures.end(), [&](uint32_t x, uint32_t y) {
    return measures[x].corridor > measures[y].corridor;
  });
  for (uint32_t m : d.measures)
    d.corridor = std::max(d.corridor, static_cast<uint8_t>(measures[m].corridor));
  return true;
}

}  // namespace daliz

#include "vm/exec/selection_plan.h"

#include <xxhash.h>

#include "vm/exec/decision.h"
#include "vm/exec/engine_hit.h"
#include "vm/exec/loaded_program.h"

namespace daliz {

const PlanSpec* planFor(const Program& p, const std::optional<std::string>& office) {
  const PlanSpec* general = nullptr;
  for (const PlanSpec& plan : p.plans) {
    if (plan.office.empty())
      general = &plan;
    else if (office && plan.office == *office)
      return &plan;
  }
  return general;
}

std::string randomHitProfile(uint8_t corridor) {
  return std::string("random:") + corridorText(corridor);
}

bool drawnAtRandom(uint64_t seed, uint8_t corridor, std::string_view declarationId,
                   uint32_t basisPoints) {
  thread_local std::string bytes;  // reused: no allocation per draw
  bytes.clear();
  for (int i = 0; i < 8; ++i) bytes += static_cast<char>((seed >> (8 * i)) & 0xFF);
  bytes += randomHitProfile(corridor);
  bytes += '\0';
  bytes.append(declarationId);
  return XXH64(bytes.data(), bytes.size(), 0) % 10000 < basisPoints;
}

void applyRandomSelection(const LoadedProgram& lp, std::string_view declarationId, Decision& d) {
  if (!d.ok || lp.program.plans.empty()) return;
  const PlanSpec* plan = planFor(lp.program, d.declaration.office);
  if (!plan) return;
  for (uint8_t c = 3; c >= 1; --c) {
    const CorridorPlanSpec& rate = plan->corridors[c];
    if (d.corridor >= c) return;  // the profiles (or a random draw) sent it there or further
    if (rate.randomBasisPoints == 0 ||
        !drawnAtRandom(lp.program.seed, c, declarationId, rate.randomBasisPoints))
      continue;
    std::string reason = "random selection for the ";
    reason += corridorText(c);
    reason += " corridor (plan \"";
    reason += plan->id;
    reason += "\")";
    addEngineHit(lp, d, randomHitProfile(c), 0, c, std::move(reason));
    return;
  }
}

}  // namespace daliz

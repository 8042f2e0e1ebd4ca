#pragma once
// Hits the engine makes itself, not a profile: a previous decision's floor (amendment.h) and a
// plan's random selection (selection_plan.h). One way to add them, so that both keep the
// decision's measures and corridor derived as for profile hits.
#include <cstdint>
#include <string>

namespace daliz {

struct Decision;
struct LoadedProgram;

// Adds a hit of `profile` with `reason`, level `level`, and the engine's measure of `corridor`
// (LoadedProgram::corridorMeasure), then re-derives the decision's measures (most severe
// corridor first, then by name) and corridor. False, and nothing added, when the catalogue has
// no measure of that corridor or a more severe one.
bool addEngineHit(const LoadedProgram& lp, Decision& d, std::string profile, uint8_t level,
                  uint8_t corridor, std::string reason);

}  // namespace daliz

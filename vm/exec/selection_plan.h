#pragma once
// Selection plans (docs/language.md, 2.24 "Selection plans"): the expected share of declarations
// per corridor and the minimum random rates. The engine applies the random rates after the
// profiles; backtest, diff and serve compare observed shares with the ranges.
#include <optional>
#include <string>
#include <string_view>

#include "vm/bytecode/program.h"

namespace daliz {

struct Decision;
struct LoadedProgram;

// The plan for a declaration of `office`: the office's own, else the general one; null when
// the bundle has neither.
const PlanSpec* planFor(const Program& p, const std::optional<std::string>& office);

// The profile id of a random hit into `corridor` ("random:red"). No profile may have an id
// that starts with "random:" (ReservedProfileId).
std::string randomHitProfile(uint8_t corridor);

// Whether the declaration `declarationId` is drawn for random selection into `corridor` at
// `basisPoints`: XXH64 (seed 0) of the bundle seed (8 bytes, little-endian), the hit's profile
// id (`random:red`), a 0 byte and the declaration id, modulo 10,000, below basisPoints.
bool drawnAtRandom(uint64_t seed, uint8_t corridor, std::string_view declarationId,
                   uint32_t basisPoints);

// After the profiles (and before a previous decision's floor): sends an ok decision that the
// profiles left below a corridor to it when the plan's random draw for that corridor selects
// it, most severe corridor first, with an engine hit `random:CORRIDOR` and the engine's measure
// of that corridor.
void applyRandomSelection(const LoadedProgram& lp, std::string_view declarationId, Decision& d);

}  // namespace daliz

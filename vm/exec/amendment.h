#pragma once
// Amended and re-submitted declarations (docs/language.md, 2.23): a declaration may carry
// `previous`, the clearance system's record of an earlier decision on it, and `override`, an
// officer's override of that decision. The engine never gives such a declaration a weaker
// corridor than the previous decision's unless an override with a reference lifts the floor.
// The fields are found by name and shape in the bundle's schema at load time: a schema without
// them (`--schema`) has no floor, and the bundle format is unchanged.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "vm/bytecode/program.h"

namespace daliz {

struct Decision;
struct LoadedProgram;
struct Value;

// The profile id of the hit that keeps a previous decision's corridor. Profile ids cannot be
// this (the checker refuses it: ReservedProfileId).
inline constexpr const char* kPreviousHitProfile = "previous";

// Where the schema's `previous` and `override` fields are, when it has them in the stdlib's shape
// (schema.dlz): `previous: Previous?` with `id: string`, `corridor: corridor` (an enum whose
// values are corridor names); `override: Override?` with `reference: string`, `officer: string?`.
struct AmendmentFields {
  bool previous = false;  // the root has a usable `previous`
  uint32_t previousField = 0, idField = 0, corridorField = 0;
  std::vector<int8_t> corridorOf;  // the corridor enum's value index → corridor code, -1 none
  bool override = false;           // the root has a usable `override`
  uint32_t overrideField = 0, referenceField = 0;
  int64_t officerField = -1;  // -1: none
};
AmendmentFields resolveAmendmentFields(const Program& p);

// The measure (index into Program::measures) that stands for each corridor in a hit the engine
// makes itself: post_release_audit (blue), documentary_check (yellow), customs_inspection (red)
// when the catalogue has them with that corridor; else the first measure of that corridor in
// name order; else the first of the nearest more severe corridor; -1 when there is none.
std::array<int64_t, 4> corridorMeasures(const Program& p);

// After the profiles: applies the floor of `previous` to an ok decision, or records the
// override that lifted it (Decision::override), and re-derives measures and corridor.
void applyPreviousDecision(const LoadedProgram& lp, const Value* root, Decision& d);

// Appends `,"override":{…}` when the decision records an override.
void appendOverrideJson(std::string& out, const Decision& d);

}  // namespace daliz

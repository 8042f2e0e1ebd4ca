#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace daliz {

struct LoadedProgram;

// One (profile, item) that fired.
struct Hit {
  uint32_t profile = 0;           // index into Program::profiles
  std::optional<int64_t> item;    // the goods item's `no`, for item-scope profiles
  std::string reason;
};

// A hit the engine makes itself, not a profile: the floor of a previous decision (profile
// "previous"). Rendered among the profile hits in profile-id order.
struct EngineHit {
  std::string profile;
  uint8_t level = 2;  // 0 low, 1 medium, 2 high
  uint8_t corridor = 0;
  std::vector<uint32_t> measures;  // most severe corridor first, then by name
  std::string reason;
};

// An officer's override that lifted the floor of a previous decision (vm/exec/amendment.h).
struct OverrideRecord {
  std::string reference, officer;  // officer "" when not given
  std::string previousId;
  uint8_t previousCorridor = 0;
};

// The engine's answer for one declaration (spec section 8).
struct Decision {
  std::optional<std::string> id;
  bool ok = true;
  std::string error;               // when !ok: what and where
  bool overBudget = false;         // !ok because the evaluation passed the execution budget
  uint8_t corridor = 0;            // 0 green, 1 blue, 2 yellow, 3 red
  std::vector<uint32_t> measures;  // most severe corridor first, then by name
  std::vector<Hit> hits;           // by profile id, then item
  std::vector<EngineHit> engineHits;       // by profile id
  std::optional<OverrideRecord> override;  // the override that lifted a previous decision's floor
};

const char* corridorText(uint8_t corridor);
// "low", "medium", "high": a profile's level, a participant's category.
const char* levelText(uint8_t level);

// One JSON line (without the newline), keys in the order of spec section 8, then the bundle's
// identity (appendBundleIdentity).
std::string renderDecisionJson(const LoadedProgram& program, const Decision& d);

// Appends the decision's last members, naming the bundle that decided: `,"bundle":"HASH"`, then
// `,"sequence":N` when the bundle carries signed approval metadata (vm/bundle/approval.h).
void appendBundleIdentity(std::string& out, const LoadedProgram& program);

// Appends `s` to `out` as a JSON string literal.
void appendJsonString(std::string& out, std::string_view s);

}  // namespace daliz

#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace daliz {

struct LoadedProgram;

// One (profile, item) that fired.
struct Hit {
  uint32_t profile = 0;           // index into Program::profiles
  std::optional<int64_t> item;    // the goods item's `no`, for item-scope profiles
  std::string reason;
  // The notice's texts, by language (an index into kNoticeLanguages), for a profile with a
  // `notice`: what the declarant is told.
  std::vector<std::pair<uint8_t, std::string>> notice;
};

// What assigning a declaration to an officer needs from it (docs/assign.md): the customs office
// of registration (the root's `customs_office`), the declarant (`declarant.id`) and the number of
// goods items. Each is absent when the schema has no such field or the declaration leaves it out.
struct DeclarationFacts {
  std::optional<std::string> office, declarant;
  std::optional<uint32_t> items;
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
  DeclarationFacts declaration;    // when ok
  std::vector<EngineHit> engineHits;       // by profile id
  std::optional<OverrideRecord> override;  // the override that lifted a previous decision's floor
};

// Whom a decision is rendered for (docs/language.md, "Views of a decision"):
// - officer: the decision of record, section 8 of the spec (what `daliz run` writes by default
//   and the decision log keeps);
// - declarant: what the automatic notice may say: the corridor, the measures with their codes,
//   public names and requested documents, and the profiles' notices; never a profile id, a
//   reason, a level, a category or anything else of the profiles;
// - audit: the officer's view, plus each hit's measure codes, requested documents and notice,
//   and the bundle's approval sequence (null when it has none).
enum class DecisionView : uint8_t { Officer, Declarant, Audit };
inline constexpr const char* kDecisionViews[] = {"officer", "declarant", "audit"};
// What the declarant view says of a declaration past the execution budget, instead of the
// officer's message, which names the profile.
inline constexpr const char* kOverBudgetForDeclarant =
    "the declaration could not be decided automatically: an officer decides it";
// The view of that name; nullopt for any other text.
std::optional<DecisionView> decisionViewNamed(std::string_view name);

const char* corridorText(uint8_t corridor);
// "low", "medium", "high": a profile's level, a participant's category.
const char* levelText(uint8_t level);

// One JSON line (without the newline) in `view` (DecisionView). The officer's: keys in the
// order of spec section 8 — with, after "measures", the measures' classifier codes and the
// declaration's facts for assignment (appendAssignmentFacts) — then the bundle's identity
// (appendBundleIdentity).
std::string renderDecisionJson(const LoadedProgram& program, const Decision& d,
                               DecisionView view = DecisionView::Officer);

// Appends the decision's last members, naming the bundle that decided: `,"bundle":"HASH"`, then
// `,"sequence":N` when the bundle carries signed approval metadata (vm/bundle/approval.h).
void appendBundleIdentity(std::string& out, const LoadedProgram& program);

// Appends `,"measure_codes":[…]` (parallel to the decision's measures) and
// `,"declaration":{"office":…,"declarant":…,"items":N}` (its members that are known; none: no
// object): what `daliz assign` reads (docs/assign.md).
void appendAssignmentFacts(std::string& out, const LoadedProgram& program, const Decision& d);

// Appends `s` to `out` as a JSON string literal.
void appendJsonString(std::string& out, std::string_view s);

}  // namespace daliz

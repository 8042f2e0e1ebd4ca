#pragma once
// The numbers of the assignment rules (docs/assign.md, "Settings"): how much work a declaration
// is, and the anti-collusion rotation. Defaults are ASYCUDA's workload weights.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace daliz::assign {

struct Settings {
  uint64_t perDeclaration = 10;  // workload units of any declaration
  uint64_t perItem = 5;          // plus this many per goods item
  // Rotation: among a declarant's last `window` assigned declarations, at most `most` go to
  // one officer. Never the same officer twice in a row holds besides, whatever these are.
  uint32_t most = 2;
  uint32_t window = 6;

  // The workload of a declaration with `items` goods items (saturating: never wraps).
  uint64_t weight(uint64_t items) const;
};

// Reads a settings file: one JSON object, every member optional —
// {"per_declaration":10,"per_item":5,"rotation":{"most":2,"of_last":6}}. nullopt with `error`
// set for a malformed file, an unknown member (a misspelt rule must not pass silently), or a
// rotation with most < 1, most > of_last or of_last above RotationWindow.
std::optional<Settings> readSettings(std::string_view json, std::string& error);

}  // namespace daliz::assign

#pragma once
// The officers who may be given selected declarations (docs/assign.md, "The roster"): one JSON
// object per line, {"id","office","measures","capacity","present"}. The file comes from a
// personnel system, so it is checked whole before anything is assigned: a bad line refuses it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daliz::assign {

struct Officer {
  std::string id;                     // unique in the roster
  std::string office;                 // the customs office the officer works at, e.g. "55301"
  std::vector<std::string> measures;  // the measure codes the officer may perform, sorted, unique
  uint64_t capacity = 0;              // workload units the officer may take in one shift
  bool present = false;               // on shift now: only present officers are assigned

  bool mayPerform(std::string_view code) const;
};

// Officers sorted by id (the last tie-break of the assignment, and the order of reports).
struct Roster {
  std::vector<Officer> officers;
  const Officer* find(std::string_view id) const;
};

// Reads a roster from JSON Lines text (blank lines are skipped; unknown members are ignored,
// so a personnel export may carry names and ranks). nullopt with `error` set, e.g.
// `line 3: capacity: expected a whole number of workload units`, for the first bad line, a
// duplicate id, an empty roster, or one longer than the limits (vm/limits.def).
std::optional<Roster> readRoster(std::string_view jsonLines, std::string& error);

}  // namespace daliz::assign

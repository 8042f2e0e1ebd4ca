#pragma once
// Which officer examines a selected declaration (docs/assign.md, "The rules"). The choice is a
// pure function of (roster, settings, seed, state, decision), applied to decisions in order:
// assigning a batch in two halves, with the state carried between them, gives the same result
// as assigning it whole.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assign/roster.h"
#include "assign/settings.h"
#include "assign/state.h"

namespace daliz::assign {

// What the rules need of a decision (a `daliz run` line, vm/exec/decision.h).
struct DecisionFacts {
  std::optional<std::string> id;
  bool ok = true;        // false: an error decision (no corridor)
  std::string corridor;  // green | blue | yellow | red
  std::vector<std::string> measureCodes;
  std::optional<std::string> office, declarant;
  uint64_t items = 0;  // goods items (0 when the decision does not say)
};

// Reads one decision line; nullopt with `error` set ("corridor: expected green, blue, yellow or
// red") when it is not a decision. `id` is set when the line has a string id, also on error.
std::optional<DecisionFacts> readDecisionLine(std::string_view line, std::optional<std::string>& id,
                                              std::string& error);

struct Assignment {
  enum class Kind : uint8_t { Assigned, Unassigned, Skipped } kind = Kind::Skipped;
  std::string officer;  // Assigned
  uint64_t weight = 0;  // Assigned: the workload units it adds to the officer
  // Unassigned: no-office | no-competent-officer | at-capacity | rotation.
  // Skipped: green | blue | error.
  std::string code;
  std::string reason;  // Unassigned: the reason in words
};

// The rules with their inputs: roster, settings and seed fixed, the state carried along.
class Assigner {
 public:
  Assigner(Roster roster, Settings settings, uint64_t seed, bool postRelease, State state = {});

  // Assigns one decision and updates the state (assigned decisions only).
  Assignment assign(const DecisionFacts& decision);
  // One decision line in, its assignment line out (no newline): {"id":…,"officer":…,"weight":N},
  // {"id":…,"unassigned":CODE,"reason":…} or {"id":…,"skipped":CODE}; a line that is not a
  // decision gets {"id":…,"line":N,"error":…} and `bad` is set.
  std::string assignLine(std::string_view line, uint64_t lineNumber, bool& bad);

  // What this assigner has done so far (for reports; not part of the state).
  struct Counts {
    uint64_t assigned = 0, unassigned = 0, skipped = 0, bad = 0;
  };
  const Counts& counts() const { return counts_; }
  const Roster& roster() const { return roster_; }
  const State& state() const { return state_; }
  // Puts back an earlier state: a batch whose state could not be saved is not given.
  void restore(State state) { state_ = std::move(state); }

 private:
  Roster roster_;
  Settings settings_;
  uint64_t seed_;
  bool postRelease_;
  State state_;
  Counts counts_;
};

// The assignment as its JSON line (no newline).
std::string renderAssignmentJson(const std::optional<std::string>& id, const Assignment& a);

// "officer  office  load / capacity" per officer of the roster, by office then id: the report
// `daliz assign --loads` prints.
std::string renderLoads(const Roster& roster, const State& state);

}  // namespace daliz::assign

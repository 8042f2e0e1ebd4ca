#pragma once
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vm/exec/compiled_code.h"
#include "vm/exec/decision.h"
#include "vm/exec/exec_context.h"
#include "vm/exec/loaded_program.h"
#include "vm/limits.h"

namespace daliz {

// Runs a loaded program on decoded declarations. One Evaluator per thread: it owns the
// registers and scratch memory; the LoadedProgram is shared and never written.
class Evaluator {
 public:
  // Which back end runs the profiles: the program's compiled code where it has some
  // (LoadedProgram::compiled, vm/jit), else the interpreter; or the interpreter always.
  enum class Backend { Default, Interpreter };
  explicit Evaluator(const LoadedProgram& program, Backend backend = Backend::Default);

  // Evaluates every enabled profile valid on the declaration's registration date and fills
  // `out` (hits, measures, corridor). `root` is the declaration's record as decoded. When the
  // work on the declaration passes the budget, stops: `out` is then an error decision naming
  // the profile ("budget exceeded in profile P …"), with no corridor.
  void evaluate(const Value* root, Decision& out);

  // The execution budget per declaration (and per categorisation rule): each profile run costs
  // its code's length, each loop iteration its body's length — an upper bound of the
  // instructions executed (docs/limits.md, WorkPerDeclaration).
  void setBudget(uint64_t units) { budget_ = std::min<uint64_t>(units, INT64_MAX); }
  uint64_t budget() const { return budget_; }
  // Whether the plan's random selection applies (vm/exec/selection_plan.h): always in
  // production; `daliz test` turns it off, since a test states what the profiles decide.
  void setRandomSelection(bool on) { randomSelection_ = on; }
  // After runFunction returned false: whether it stopped on the budget.
  bool overBudget() const { return cx_.frame.left < 0; }

  // The documented, fixed sampling hash (docs/language.md, "Random selection"):
  // XXH64 over seed (8 bytes LE), profile id, 0x00, declaration id, 0x00, item no (8 bytes
  // LE, 0 for declaration scope), with XXH64 seed 0; selected when hash % 10000 < basis points.
  static bool sampled(uint64_t seed, std::string_view profileId, std::string_view declarationId,
                      int64_t itemNo, uint32_t basisPoints);

  // Runs categorisation rule `rule` (CategorizationSpec::rules; rules.size() is the default)
  // with R0 = `root`: true when it reached HIT, with the rendered reason then in reason().
  bool runRule(uint32_t rule, const Value* root);
  const std::string& reason() const { return cx_.reason; }

 private:
  void run(uint32_t profileIndex, const Value* root, const Value* item, int64_t itemNo,
           Decision& out);
  // The declaration's facts for assignment (LoadedProgram::factFields) into `out`.
  void recordFacts(const Value* root, DeclarationFacts& out) const;
  // Runs `code` (or `compiled`, when not null) with cx_ set up for it; whether HIT ran.
  bool execute(CompiledFunction compiled, const std::vector<Insn>& code);
  // Adds to `out` the profiles whose guard `item` (a goods item, or the declaration) satisfies.
  // With `itemNumber` (the item's position in the goods-item list), also records it in
  // matchedItems_ of each profile found.
  void collect(const ProfileIndex::Guards& guards, const Value* item, std::vector<uint32_t>& out,
               uint64_t generation, int64_t itemNumber = -1);

  // Takes `units` from what is left of the budget; false once it is spent.
  bool charge(uint64_t units);

  const LoadedProgram& lp_;
  const CompiledCode* compiled_;  // null: interpret every function
  uint64_t budget_ = limits::kWorkPerDeclaration;
  bool randomSelection_ = true;
  std::optional<std::string> exceeded_;  // the profile whose run spent the budget
  std::vector<Value> registers_;
  ExecContext cx_;  // cx_.frame.left: what is left for the declaration
  // Candidate profiles of the current item and of the declaration; `stamp_[p] == generation`
  // marks p as already collected, so a profile selected by several prefixes runs once.
  std::vector<uint64_t> stamp_;
  uint64_t itemGeneration_ = 0, declarationGeneration_ = 0;
  std::vector<uint32_t> candidates_, declarationProfiles_;
  // Per profile with a some-item guard: the positions of the goods items that satisfy it, in
  // order, for this declaration (valid when the profile is among declarationProfiles_).
  std::vector<std::vector<uint32_t>> matchedItems_;
};

}  // namespace daliz

#pragma once
#include <algorithm>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "vm/exec/decision.h"
#include "vm/exec/loaded_program.h"
#include "vm/limits.h"

namespace daliz {

// Runs a loaded program on decoded declarations. One Evaluator per thread: it owns the
// registers and scratch memory; the LoadedProgram is shared and never written.
class Evaluator {
 public:
  explicit Evaluator(const LoadedProgram& program);

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
  // After runFunction returned false: whether it stopped on the budget.
  bool overBudget() const { return left_ < 0; }

  // The documented, fixed sampling hash (docs/language.md, "Random selection"):
  // XXH64 over seed (8 bytes LE), profile id, 0x00, declaration id, 0x00, item no (8 bytes
  // LE, 0 for declaration scope), with XXH64 seed 0; selected when hash % 10000 < basis points.
  static bool sampled(uint64_t seed, std::string_view profileId, std::string_view declarationId,
                      int64_t itemNo, uint32_t basisPoints);

  // Runs one verified function that is not a profile — a categorisation rule's code — with
  // R0 = `root`: true when it reached HIT, with the rendered reason then in reason().
  bool runFunction(const std::vector<Insn>& code, const Value* root);
  const std::string& reason() const { return reason_; }

 private:
  void run(uint32_t profileIndex, const Value* root, const Value* item, int64_t itemNo, Decision& out);
  // The interpreter loop, for profiles (`prof`, hits into `out`) and other functions (both
  // null). Returns whether HIT ran.
  bool exec(const Insn* code, const Value* root, const Value* item, int64_t itemNo, const ProfileSpec* prof,
            uint32_t profileIndex, Decision* out);
  void render(const Value& v, RenderKind kind, uint16_t enumIndex);
  // The opcodes too large for a case of the loop (one implementation each).
  Value lookup(const Insn& in, const Value* R);
  Value changeCaseOf(const Value& b, bool upper);
  // Adds to `out` the profiles whose guard `item` (a goods item, or the declaration) satisfies.
  // With `itemNumber` (the item's position in the goods-item list), also records it in
  // matchedItems_ of each profile found.
  void collect(const ProfileIndex::Guards& guards, const Value* item, std::vector<uint32_t>& out, uint64_t generation,
               int64_t itemNumber = -1);

  // Takes `units` from what is left of the budget; false once it is spent.
  bool charge(uint64_t units);

  const LoadedProgram& lp_;
  uint64_t budget_ = limits::kWorkPerDeclaration;
  int64_t left_ = 0;                       // what is left for the current declaration
  std::optional<std::string> exceeded_;    // the profile whose run spent the budget
  std::vector<Value> registers_;
  std::string reason_;
  std::string scratch_;                    // LOWER/UPPER results, reset per declaration
  std::deque<std::string> scratchStrings_;  // a deque: growing it never moves a string
  size_t scratchUsed_ = 0;
  std::string key_;
  std::string_view declarationId_;
  // Candidate profiles of the current item and of the declaration; `stamp_[p] == generation`
  // marks p as already collected, so a profile selected by several prefixes runs once.
  std::vector<uint64_t> stamp_;
  uint64_t itemGeneration_ = 0, declarationGeneration_ = 0;
  std::vector<uint32_t> candidates_, declarationProfiles_;
  // Per profile with a some-item guard: the positions of the goods items that satisfy it, in
  // order, for this declaration (valid when the profile is among declarationProfiles_).
  std::vector<std::vector<uint32_t>> matchedItems_;
  // The list FORPREP_G/LOOP_G walk in the current run, or null: they then walk every item.
  const std::vector<uint32_t>* matched_ = nullptr;
};

}  // namespace daliz

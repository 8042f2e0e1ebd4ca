#pragma once
// The categorisation of participants (docs/language.md, "Categorisation of participants"):
// the category of one participant is decided by the first rule of the bundle's categorize
// block whose condition is true, else by its default. A rule whose condition is unknown
// (missing data) does not decide; the next rule is tried.
#include <optional>
#include <string>

#include "vm/exec/evaluator.h"
#include "vm/exec/loaded_program.h"

namespace daliz {

// The answer for one participant.
struct Categorization {
  std::optional<std::string> id;  // the participant's id, when the line had a string id
  bool ok = true;
  std::string error;     // when !ok: what and where
  uint8_t category = 1;  // 0 low, 1 medium, 2 high
  std::string rule;      // the id of the rule that decided, or "default"
  std::string reason;    // the rendered reason
};

// One per thread, like Evaluator; the LoadedProgram is shared.
class Categorizer {
 public:
  // `program.program.categorization` must be set.
  explicit Categorizer(const LoadedProgram& program,
                       Evaluator::Backend backend = Evaluator::Backend::Default);

  // `participant` is a decoded record of the categorisation's record (CategorizationSpec::record).
  // A rule that passes the execution budget makes `out` an error ("budget exceeded in rule R").
  void categorize(const Value* participant, Categorization& out);
  void setBudget(uint64_t units) { evaluator_.setBudget(units); }

 private:
  const CategorizationSpec& spec_;
  Evaluator evaluator_;
};

// One JSON line (without the newline): participant, status, then category, rule and reason,
// or the error; then the bundle's content hash (docs/cli.md, `daliz categorize`).
std::string renderCategorizationJson(const LoadedProgram& program, const Categorization& c);

}  // namespace daliz

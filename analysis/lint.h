#pragma once
// `daliz lint` (docs/lint.md): warnings about profiles that can never fire, duplicate
// profiles, and profiles that never change the corridor because a profile with a corridor at
// least as strong selects everything they select. Runs on the typed AST after the front end;
// every warning is a proof, never a guess (analysis/condition_facts.h).
#include <cstddef>

#include "compiler/sema/checker.h"
#include "vm/value/date.h"

namespace daliz::analysis {

struct LintOptions {
  Date today{};  // a validity range that ended before this date has expired
};

// Reports the warnings (and their notes) to c.diagnostics and returns how many warnings it
// reported. `c` must have been checked without errors: the AST must be fully typed.
size_t lint(Compilation& c, const LintOptions& options);

}  // namespace daliz::analysis

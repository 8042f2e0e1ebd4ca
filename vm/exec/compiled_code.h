#pragma once
// The interface between the evaluator and a compiling back end (vm/jit): native functions for
// some or all of a program's profiles and categorisation rules. The evaluator runs the compiled
// function where there is one and interprets the bytecode where there is none, with the same
// ExecContext, so decisions are the same either way.
#include <cstdint>

#include "vm/exec/exec_context.h"

namespace daliz {

// A compiled function: runs with `frame` set up as for the interpreter and returns 1 when it
// reached HIT, else 0. It returns early, with frame->left negative, when a loop spends the budget.
using CompiledFunction = int32_t (*)(ExecContext* context, RunFrame* frame);

class CompiledCode {
 public:
  virtual ~CompiledCode() = default;
  // The function of profile `index` (Program::profiles), or null: interpret it.
  virtual CompiledFunction profile(uint32_t index) const = 0;
  // The function of categorisation rule `index` (rules.size() is the default), or null.
  virtual CompiledFunction rule(uint32_t index) const = 0;
};

}  // namespace daliz

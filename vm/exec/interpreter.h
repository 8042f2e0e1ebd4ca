#pragma once
// The interpreter: runs one verified function's bytecode over `registers` (at least the
// function's register count), with cx.frame set up by the evaluator.
#include "vm/bytecode/opcode.h"
#include "vm/exec/exec_context.h"

namespace daliz {

// Returns whether HIT ran; stops early, with cx.frame.left negative, when a loop spends the
// budget.
bool interpret(ExecContext& cx, Value* registers, const Insn* code);

}  // namespace daliz

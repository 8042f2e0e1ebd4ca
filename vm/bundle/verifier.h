#pragma once
// Decides whether a Program is safe to run: the interpreter trusts every index, register and
// register type in it, and relies on every evaluation terminating. readBundle runs this on
// every bundle it loads; the compiler may run it on what it generates. docs/bundle.md lists
// the checks and why each exists.
#include <string>

#include "vm/bytecode/program.h"

namespace daliz {

// "" when program is valid; otherwise one precise message about the first problem found,
// naming where it is: e.g. `profile "KZ-1" pc 7 ADD_D: operand B (register 3) holds int,
// needs decimal`, or `set 2 (TEXTILES): hs ranges not sorted by (length, low)`.
//
// Checks the schema (indices, unique names, the engine's own fields and their kinds),
// measures, constants, sets and tables (kinds, the sortedness the VM's searches rely on,
// decimal range, valid hs codes), regexes (RE2 compiles them), that every string is UTF-8,
// the profiles' metadata, and each profile's code: every operand against its role in
// opcodes.def, forward jumps that land on an instruction (never past the end), bounded
// loops (LOOP only back to just after a FORPREP of the same counter, the counter pair
// untouched in the body, loops nested, a body entered only through its FORPREP), a final
// RET, and register types by abstract interpretation.
//
// Never throws except std::bad_alloc; its work is bounded by a budget proportional to the
// program's size, and a program beyond it is refused as too complex to verify.
std::string verifyProgram(const Program& program);

// The degree of the static cost bound of verified `code`: how many loops nest, counting only
// loops over lists that are not part of an enclosing loop's element (a loop over each item's
// documents inside a loop over the items visits every document once: it does not multiply).
// One run does at most code.size() × kListElements^degree units of work (vm/limits.def):
// 0 is constant, 1 linear in the number of goods items, 2 or more superlinear, which
// `daliz lint` reports. A list of unknown origin does not count, so a degree of 2 or more is
// a proof, never a guess.
uint32_t costDegree(const std::vector<Insn>& code);

// verifyProgram's answer, for the compiler: the message, the profile it is about (an index
// into program.profiles, or -1), and whether the code is valid but beyond a limit of
// vm/limits.def (too long, too many jump targets × registers, too much verification work) —
// the analyst's to fix by splitting the profile — rather than invalid.
struct VerifyOutcome {
  std::string error;  // "" when the program is valid
  int profile = -1;
  bool limit = false;
};
VerifyOutcome verifyProgramDetailed(const Program& program);

}  // namespace daliz

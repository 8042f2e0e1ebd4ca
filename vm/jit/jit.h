#pragma once
// The compiling back end: verified bytecode translated to LLVM IR and compiled with ORC LLJIT,
// one native function per profile and categorisation rule (docs/jit.md). Optional at build time
// (DALIZ_JIT; without LLVM, jitAvailable() is false and attachJit refuses) and at run time (an
// engine runs the interpreter unless asked for the JIT).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "vm/exec/loaded_program.h"
#include "vm/limits.h"

namespace daliz {

struct JitOptions {
  unsigned threads = 0;  // compile threads; 0: one per core, at most 4
  bool optimize = true;  // LLVM's O2 function pipeline (off: only SSA construction)
  // A function with more instructions stays interpreted (docs/limits.md, JitFunctionCode).
  size_t maxInstructions = limits::kJitFunctionCode;
  // Return at once and compile on background threads: the program decides with the
  // interpreter meanwhile, and each function switches to native code when it is compiled
  // (the profiles that run on every item or declaration first). jitProgress() tells how far.
  bool background = false;
};

struct JitReport {
  size_t compiled = 0;                // functions now native
  size_t interpreted = 0;             // functions that failed to compile and stay interpreted
  size_t total = 0;                   // functions of the program
  bool finished = false;              // every function is native or left to the interpreter
  double seconds = 0;                 // translation and compilation, wall clock (so far)
  std::vector<std::string> messages;  // one per function left to the interpreter, or why the
                                      // JIT could not start
};

// Whether this build has the JIT.
bool jitAvailable();

// Compiles every function of `program` and attaches the code (program.compiled), so that every
// Evaluator made from it afterwards runs native code. `program` must be verified (loadProgram and
// prepareProgram only return verified programs) and not yet shared with evaluators. A function
// that fails to translate or compile stays interpreted, with a message in the report; the engine
// never fails because of the JIT. Returns false, attaching nothing, when the JIT is unavailable
// or LLVM cannot target this machine (the report says why). With options.background the report
// says only that it started; the compile threads belong to program.compiled, which stops and
// joins them when the program is destroyed.
bool attachJit(LoadedProgram& program, JitReport& report, const JitOptions& options = {});

// How far the compilation of `program`'s functions has come (finished, after a synchronous
// attachJit); an empty report when no JIT code is attached.
JitReport jitProgress(const LoadedProgram& program);

// The optimised LLVM IR (`asm` false) or the machine code (`asm` true) of profile `index`, as
// text, for `daliz disasm --ir/--asm`. Empty with `error` set when the JIT is unavailable.
std::string jitListing(const LoadedProgram& program, uint32_t index, bool assembly,
                       std::string& error);

}  // namespace daliz

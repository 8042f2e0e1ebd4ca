#pragma once
// Verified bytecode to LLVM IR: one function `i32 NAME(ptr cx, ptr frame)` per profile or rule,
// with the signature of CompiledFunction (vm/exec/compiled_code.h). docs/jit.md explains the
// translation.
#include <string>
#include <vector>

#include "vm/bytecode/opcode.h"
#include "vm/exec/loaded_program.h"

namespace llvm {
class Function;
class Module;
}  // namespace llvm

namespace daliz::jit {

// Adds the function to `module` (declaring the runtime functions it calls). Null, with `error`
// set and nothing left in the module, if the code cannot be translated.
llvm::Function* translateFunction(llvm::Module& module, const LoadedProgram& program,
                                  const std::string& name, const daliz::Function& function,
                                  std::string& error);

}  // namespace daliz::jit

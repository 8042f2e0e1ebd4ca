#pragma once
#include <string>

#include "vm/bytecode/program.h"

namespace daliz {

// A readable listing of a program, like SQLite's EXPLAIN: the header, the pools, then each
// profile's metadata and its instructions with operands named (registers, constants shown
// by value, sets and tables by name, jump targets) and the opcode's synopsis.
std::string disassemble(const Program& program, const std::string& contentHash);

}  // namespace daliz

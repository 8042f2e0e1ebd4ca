#pragma once
// The parts of verifyProgram, split by what they look at. Internal to vm/bundle.
#include <cstdint>
#include <string>
#include <string_view>

#include "vm/bytecode/program.h"

namespace daliz::verify {

// Work the type analysis may do for a whole program, counted in instruction visits and
// register cells copied or merged. It keeps a crafted bundle from making verification slow;
// verifyProgram sets it far above what generated code needs.
struct Budget {
  uint64_t left = 0;
  bool limitHit = false;  // a failure was a limit of vm/limits.def, not invalid code
  bool spend(uint64_t n) {
    if (n > left) {
      left = 0;
      limitHit = true;
      return false;
    }
    left -= n;
    return true;
  }
};

// A function as the code checks see it: its code, what messages call it, and what its first
// registers hold. Profiles and categorisation rules are checked alike through it.
struct CheckedFunction {
  const Function& fn;
  std::string name;         // `profile "ID"`, `categorization "C" rule "R"`
  uint32_t rootRecord = 0;  // the record R0 holds: the declaration, or the participant
  bool itemScope = false;   // R1 holds a goods item
};
CheckedFunction checkedProfile(const Program& program, const ProfileSpec& profile);

// `NAME pc N OPNAME: ` — the prefix of every message about an instruction.
std::string where(const CheckedFunction& f, size_t pc);

bool isValidUtf8(std::string_view s) noexcept;

// The record of the root's goods-item list. Precondition: the schema has been checked.
uint32_t itemRecord(const Schema& schema);

// Operands against their roles, jumps, loop shape and termination, the final RET.
// Precondition: the schema and the rest of the program's data have been checked.
std::string checkStructure(const Program& program, const CheckedFunction& f);

// Register types by abstract interpretation. Precondition: checkStructure passed, and
// f.rootRecord is one of the schema's records.
std::string checkTypes(const Program& program, const CheckedFunction& f, Budget& budget);

// The categorize block (verify_categorization.cpp): its record and id field, the rules'
// metadata, and each rule's code as checkStructure and checkTypes check a profile's, with R0
// the participant record. Precondition: the schema and the program's data have been checked.
std::string checkCategorization(const Program& program);

}  // namespace daliz::verify

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

// "profile \"ID\" pc N OPNAME: " — the prefix of every message about an instruction.
std::string where(const ProfileSpec& profile, size_t pc);

bool isValidUtf8(std::string_view s) noexcept;

// The record of the root's goods-item list. Precondition: the schema has been checked.
uint32_t itemRecord(const Schema& schema);

// Operands against their roles, jumps, loop shape and termination, the final RET.
// Precondition: the schema and the rest of the program's data have been checked.
std::string checkStructure(const Program& program, const ProfileSpec& profile);

// Register types by abstract interpretation. Precondition: checkStructure passed.
std::string checkTypes(const Program& program, const ProfileSpec& profile, Budget& budget);
// The same for a function whose R0 holds a record of `rootRecord` (< the schema's records),
// not the declaration: a categorisation rule, R0 the participant.
std::string checkTypes(const Program& program, const ProfileSpec& function, uint32_t rootRecord, Budget& budget);

// The categorize block (verify_categorization.cpp): its record and id field, the rules'
// metadata, and each rule's code as checkStructure and checkTypes check a profile's, with R0
// the participant record. Precondition: the schema and the program's data have been checked.
std::string checkCategorization(const Program& program);

}  // namespace daliz::verify

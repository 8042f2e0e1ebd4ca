#pragma once
#include <cstdint>

namespace daliz {

enum class Op : uint16_t {
#define OP(name, a, b, c, traits, synopsis) name,
#include "vm/bytecode/opcodes.def"
#undef OP
  Count_
};

// What an operand slot of an opcode means (opcodes.def has the legend).
enum class Role : uint8_t {
  None, ReadInt, ReadDec, ReadStr, ReadRec, ReadList, ReadAny,
  WriteInt, WriteDec, WriteStr, WriteField, WriteConst, WriteTable, WriteSame, WriteRec, WriteMissing,
  StrConst, Const, Field, Set, Table, Regex, Jump, LoopBack, Imm, Enum,
};

// The role families, in one place (the verifier and the cost bound read them).
constexpr bool isWriteRole(Role r) { return r >= Role::WriteInt && r <= Role::WriteMissing; }
constexpr bool isReadRole(Role r) { return r >= Role::ReadInt && r <= Role::ReadAny; }
constexpr bool isRegisterRole(Role r) { return isReadRole(r) || isWriteRole(r); }

// The kinds of set (a bundle's sets, and what an INSET opcode tests).
enum class SetKind : uint8_t { Int, Hs, String };

// What the verifier, the cost bound and a back end know of an opcode beyond its operand roles
// (the TRAITS column of opcodes.def, which explains each).
struct OpTraits {
  bool ends = false;          // control never reaches the next instruction (JMP, RET)
  bool loopHead = false;      // writes the counter pair A, A+1 from the list in B
  bool accumulates = false;   // reads A as well as writing it
  bool isLoopTail = false;    // R[A] += 1, reads R[A+1], jumps back to just after `head`
  uint16_t head = 0;          // for a loop tail: the opcode of its loop head
  bool hasSet = false;        // operand C is a set of kind `set`
  SetKind set = SetKind::Int;
  uint16_t immLow = 0, immHigh = 0, immStep = 1;  // the range of the immediate operand
  const char* immMeaning = "";                    // what the immediate is, for messages
};

struct OpInfo {
  const char* name;
  Role a, b, c;
  OpTraits traits;
  const char* synopsis;
};

const OpInfo& opInfo(Op op);
inline const OpInfo& opInfo(uint16_t op) { return opInfo(static_cast<Op>(op)); }
constexpr uint16_t kOpCount = static_cast<uint16_t>(Op::Count_);

struct Insn {
  uint16_t op, a, b, c;
};

// How RVAL renders a value in a reason (spec section 8).
enum class RenderKind : uint16_t { Int, Decimal, Money, Date, String, Hs, Country, Currency, Enum, Bool };

// The period of `sample … per PERIOD` (SKEYPER): the bucket of the declaration's `registered`
// date that is part of the sample key.
enum class SamplePeriod : uint16_t { Day, Week, Month, Year };

}  // namespace daliz

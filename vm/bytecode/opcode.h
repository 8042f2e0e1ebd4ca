#pragma once
#include <cstdint>

namespace daliz {

enum class Op : uint16_t {
#define OP(name, a, b, c, synopsis) name,
#include "vm/bytecode/opcodes.def"
#undef OP
  Count_
};

// What an operand slot of an opcode means (opcodes.def has the legend).
enum class Role : uint8_t {
  None, ReadInt, ReadDec, ReadStr, ReadRec, ReadList, ReadAny,
  WriteInt, WriteDec, WriteStr, WriteField, WriteConst, WriteTable, WriteSame, WriteRec,
  StrConst, Const, Field, Set, Table, Regex, Jump, LoopBack, Imm, Enum,
};

// The role families, in one place (the verifier and the cost bound read them).
constexpr bool isWriteRole(Role r) { return r >= Role::WriteInt && r <= Role::WriteRec; }
constexpr bool isReadRole(Role r) { return r >= Role::ReadInt && r <= Role::ReadAny; }
constexpr bool isRegisterRole(Role r) { return isReadRole(r) || isWriteRole(r); }

struct OpInfo {
  const char* name;
  Role a, b, c;
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

}  // namespace daliz

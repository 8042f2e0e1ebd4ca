#include "vm/bytecode/opcode.h"

namespace daliz {
namespace {

constexpr Role role(const char* r) {
  // The two-letter codes of opcodes.def.
  if (r[0] == '_') return Role::None;
  if (r[0] == 'r') {
    switch (r[1]) {
      case 'I': return Role::ReadInt;
      case 'D': return Role::ReadDec;
      case 'S': return Role::ReadStr;
      case 'R': return Role::ReadRec;
      case 'L': return Role::ReadList;
      default: return Role::ReadAny;
    }
  }
  if (r[0] == 'w') {
    switch (r[1]) {
      case 'I': return Role::WriteInt;
      case 'D': return Role::WriteDec;
      case 'S': return Role::WriteStr;
      case 'F': return Role::WriteField;
      case 'K': return Role::WriteConst;
      case 'T': return Role::WriteTable;
      case 'R': return Role::WriteRec;
      default: return Role::WriteSame;
    }
  }
  if (r[0] == 'k') return r[1] == 'S' ? Role::StrConst : Role::Const;
  switch (r[0]) {
    case 'f': return Role::Field;
    case 's': return Role::Set;
    case 't': return Role::Table;
    case 'x': return Role::Regex;
    case 'j': return Role::Jump;
    case 'b': return Role::LoopBack;
    case 'n': return Role::Imm;
    case 'e': return Role::Enum;
  }
  return Role::None;
}

const OpInfo kInfo[] = {
#define OP(name, a, b, c, synopsis) {#name, role(#a), role(#b), role(#c), synopsis},
#include "vm/bytecode/opcodes.def"
#undef OP
};

}  // namespace

const OpInfo& opInfo(Op op) { return kInfo[static_cast<uint16_t>(op)]; }

}  // namespace daliz

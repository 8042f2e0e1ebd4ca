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
      case 'M': return Role::WriteMissing;
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

// The TRAITS column of opcodes.def: each row's entry names one of these, pasted after
// `traits_` (`tail(FORPREP)` becomes `traits_tail(Op::FORPREP)` by way of `using enum`).
constexpr OpTraits traits__{};
constexpr OpTraits traits_end{.ends = true};
constexpr OpTraits traits_head{.loopHead = true};
constexpr OpTraits traits_acc{.accumulates = true};
constexpr OpTraits traits_tail(Op head) { return {.isLoopTail = true, .head = static_cast<uint16_t>(head)}; }
constexpr OpTraits traits_set(SetKind kind) { return {.hasSet = true, .set = kind}; }
constexpr OpTraits traits_imm(uint16_t low, uint16_t high, uint16_t step, const char* meaning) {
  return {.immLow = low, .immHigh = high, .immStep = step, .immMeaning = meaning};
}

using enum Op;
using enum SetKind;
constexpr OpInfo kInfo[] = {
#define OP(name, a, b, c, traits, synopsis) {#name, role(#a), role(#b), role(#c), traits_##traits, synopsis},
#include "vm/bytecode/opcodes.def"
#undef OP
};
static_assert(sizeof kInfo / sizeof kInfo[0] == kOpCount);
// RVAL's immediate is a RenderKind: its range in the table is the enum's.
static_assert(kInfo[static_cast<uint16_t>(Op::RVAL)].traits.immHigh == static_cast<uint16_t>(RenderKind::Bool));
static_assert(kInfo[static_cast<uint16_t>(Op::SKEY)].traits.immHigh ==
              static_cast<uint16_t>(RenderKind::Bool));
static_assert(kInfo[static_cast<uint16_t>(Op::SKEYPER)].traits.immHigh ==
              static_cast<uint16_t>(SamplePeriod::Year));

}  // namespace

const OpInfo& opInfo(Op op) { return kInfo[static_cast<uint16_t>(op)]; }

}  // namespace daliz

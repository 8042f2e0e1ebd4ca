// Register types by abstract interpretation. A Value cell carries no type tag, so the
// interpreter reads whichever union member the opcode names; this pass proves that each
// read finds the member the last write on every path put there.
#include <algorithm>

#include "vm/bundle/verify_internal.h"
#include "vm/limits.h"

namespace daliz::verify {
namespace {

// A register's abstract type, packed in 32 bits so that states compare and merge cheaply.
// Unset means "not written on every path, or written with different types": reading it fails.
using Type = uint32_t;
constexpr Type kUnset = 0, kInt = 1, kDec = 2, kStr = 3;
constexpr Type recType(uint32_t record) { return 4 + 2 * record; }
constexpr Type listType(uint32_t record) { return 5 + 2 * record; }
constexpr bool isRec(Type t) { return t >= 4 && t % 2 == 0; }
constexpr bool isList(Type t) { return t >= 5 && t % 2 == 1; }
constexpr uint32_t recordOf(Type t) { return (t - 4) / 2; }

// Cap on the register cells stored at jump targets of one profile (4 bytes each).
constexpr size_t kMaxStateCells = limits::kVerifierStateCells;

Type ofField(const FieldSpec& f) {
  switch (f.kind) {
    case FieldKind::Record:
      return recType(f.ref);
    case FieldKind::List:
      return listType(f.ref);
    case FieldKind::Decimal:
    case FieldKind::Money:
      return kDec;
    case FieldKind::String:
    case FieldKind::Code:
      return kStr;
    default:
      return kInt;  // bool, int, date, hs, country, currency, enum
  }
}

Type ofConst(ConstKind k) {
  return k == ConstKind::Decimal ? kDec : k == ConstKind::String ? kStr : kInt;
}

// What RVAL reads for each render kind.
Type ofRender(uint16_t kind) {
  switch (static_cast<RenderKind>(kind)) {
    case RenderKind::Decimal:
    case RenderKind::Money:
      return kDec;
    case RenderKind::String:
      return kStr;
    default:
      return kInt;
  }
}

class TypeChecker {
 public:
  TypeChecker(const Program& p, const CheckedFunction& f, Budget& budget)
      : p_(p), f_(f), pr_(f.fn), rootRecord_(f.rootRecord), budget_(budget) {}

  std::string run() {
    if (!compact()) return error_;
    const size_t n = pr_.code.size();
    slotOf_.assign(n, -1);
    // Sweep the code in pc order until the states at loop heads stop changing. Forward jump
    // targets are reached after their sources within one sweep; only LOOP back edges need
    // another. States only lose information (a type turns Unset), so this ends.
    for (bool again = true; again;) {
      again = false;
      if (!spend(width_)) return error_;
      std::vector<Type> cur = initial();
      bool live = true;  // whether the previous instruction falls through to this one
      for (size_t pc = 0; pc < n; ++pc) {
        if (slotOf_[pc] >= 0) {
          const Type* in = slot(pc);
          if (!spend(width_)) return error_;
          if (live) {
            for (size_t r = 0; r < width_; ++r) cur[r] = cur[r] == in[r] ? cur[r] : kUnset;
          } else {
            cur.assign(in, in + width_);
          }
          live = true;
        }
        if (!live) continue;  // unreachable: never runs, so its reads cannot misread
        const Insn& insn = pr_.code[pc];
        if (!spend(1) || !step(pc, insn, cur)) return error_;
        const OpInfo& info = opInfo(insn.op);
        if (info.c == Role::Jump && insn.c < n && !mergeInto(insn.c, cur)) return error_;
        if (info.c == Role::LoopBack) {
          bool changed = false;
          if (!mergeInto(insn.c, cur, &changed)) return error_;
          again = again || changed;
        }
        live = !info.traits.ends;
      }
    }
    return "";
  }

 private:
  // Numbers the registers the code writes (and R0, R1) densely, so that states are as wide
  // as the registers actually used rather than the declared count.
  bool compact() {
    dense_.assign(pr_.registers, -1);
    auto add = [&](size_t reg) {
      if (dense_[reg] < 0) dense_[reg] = static_cast<int32_t>(width_++);
    };
    add(0);
    add(1);
    for (const Insn& in : pr_.code) {
      const OpInfo& info = opInfo(in.op);
      if (isWriteRole(info.a)) add(in.a);
      if (info.traits.loopHead) add(in.a + 1u);
    }
    return spend(pr_.code.size());
  }

  std::vector<Type> initial() {
    std::vector<Type> s(width_, kUnset);
    s[dense_[0]] = recType(rootRecord_);
    if (f_.itemScope) s[dense_[1]] = recType(itemRecord(p_.schema));
    return s;
  }

  Type* slot(size_t pc) { return pool_.data() + static_cast<size_t>(slotOf_[pc]) * width_; }

  // Merges state into the stored state at target; the first edge to reach it allocates it.
  bool mergeInto(size_t target, const std::vector<Type>& state, bool* changed = nullptr) {
    if (!spend(width_)) return false;
    if (slotOf_[target] < 0) {
      if (pool_.size() + width_ > kMaxStateCells) {
        budget_.limitHit = true;
        return fail(where(f_, target) + "too many jump targets and registers to verify");
      }
      slotOf_[target] = static_cast<int32_t>(pool_.size() / width_);
      pool_.insert(pool_.end(), state.begin(), state.end());
      if (changed != nullptr) *changed = true;
      return true;
    }
    Type* s = slot(target);
    for (size_t r = 0; r < width_; ++r) {
      if (s[r] != state[r] && s[r] != kUnset) {
        s[r] = kUnset;
        if (changed != nullptr) *changed = true;
      }
    }
    return true;
  }

  bool spend(uint64_t n) {
    return budget_.spend(n) ||
           fail(f_.name + ": too complex to verify (the type analysis exceeded its budget)");
  }

  bool fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  Type get(const std::vector<Type>& s, uint16_t reg) const {
    return dense_[reg] < 0 ? kUnset : s[dense_[reg]];
  }

  std::string typeName(Type t) const {
    if (t == kUnset) return "unset";
    if (t == kInt) return "int";
    if (t == kDec) return "decimal";
    if (t == kStr) return "string";
    const std::string& rec = p_.schema.records[recordOf(t)].name;
    return isRec(t) ? "record " + rec : "list<" + rec + ">";
  }

  // Fails unless register reg holds a type ok accepts; want describes it for the message.
  template <typename Ok>
  bool need(size_t pc, const std::vector<Type>& s, const char* operand, uint16_t reg, Ok ok,
            const std::string& want) {
    const Type t = get(s, reg);
    if (t != kUnset && ok(t)) return true;
    const std::string what =
        "operand " + std::string(operand) + " (register " + std::to_string(reg) + ") ";
    if (t == kUnset)
      return fail(where(f_, pc) + what +
                  "is unset here (not written on every path, or with different types), needs " +
                  want);
    return fail(where(f_, pc) + what + "holds " + typeName(t) + ", needs " + want);
  }
  bool needExactly(size_t pc, const std::vector<Type>& s, const char* operand, uint16_t reg,
                   Type want) {
    return need(
        pc, s, operand, reg, [want](Type t) { return t == want; }, typeName(want));
  }

  // Checks the reads of one instruction against its roles, then applies its writes.
  bool step(size_t pc, const Insn& in, std::vector<Type>& s) {
    const OpInfo& info = opInfo(in.op);
    const Role roles[3] = {info.a, info.b, info.c};
    const uint16_t regs[3] = {in.a, in.b, in.c};
    const char* names[3] = {"A", "B", "C"};
    for (int k = 0; k < 3; ++k) {
      const bool ok = [&] {
        switch (roles[k]) {
          case Role::ReadInt:
            return needExactly(pc, s, names[k], regs[k], kInt);
          case Role::ReadDec:
            return needExactly(pc, s, names[k], regs[k], kDec);
          case Role::ReadStr:
            return needExactly(pc, s, names[k], regs[k], kStr);
          case Role::ReadRec:
            return need(pc, s, names[k], regs[k], isRec, "a record");
          case Role::ReadList:
            return need(pc, s, names[k], regs[k], isList, "a list");
          case Role::ReadAny:
            return readAny(pc, in, s, k);
          default:
            return true;
        }
      }();
      if (!ok) return false;
    }
    Type result = kUnset;  // the type written into A, when the role of A is a write
    switch (info.a) {
      case Role::WriteInt:
        result = kInt;
        break;
      case Role::WriteDec:
        result = kDec;
        break;
      case Role::WriteStr:
        result = kStr;
        break;
      case Role::WriteConst:
        result = ofConst(p_.constants[in.b].kind);
        break;
      case Role::WriteTable:
        result = ofConst(p_.tables[in.c].valueKind);
        break;
      case Role::WriteRec:
        result = recType(recordOf(get(s, in.b) - 1));
        break;  // GETITEM: list(r) → rec(r)
      case Role::WriteField: {
        const RecordSpec& rec = p_.schema.records[recordOf(get(s, in.b))];
        if (in.c >= rec.fields.size())
          return fail(where(f_, pc) + "field " + std::to_string(in.c) +
                      " is out of range (record " + rec.name + " has " +
                      std::to_string(rec.fields.size()) + " fields)");
        result = ofField(rec.fields[in.c]);
        break;
      }
      case Role::WriteSame:
        result = get(s, in.b);
        break;  // MOVE, COALESCE: B's type (checked above)
      case Role::WriteMissing:
        result = in.b == 0 ? kInt : in.b == 1 ? kDec : kStr;
        break;
      default:
        break;
    }
    const OpTraits& traits = info.traits;
    // An accumulator also reads A: it must already hold what it accumulates.
    if (traits.accumulates && !needExactly(pc, s, "A", in.a, result)) return false;
    // A loop tail adds 1 to R[A] and compares it with R[A+1].
    if (traits.isLoopTail && !needExactly(pc, s, "A+1", static_cast<uint16_t>(in.a + 1), kInt))
      return false;
    if (traits.loopHead) s[dense_[in.a + 1u]] = kInt;
    if (result != kUnset) s[dense_[in.a]] = result;
    return true;
  }

  // The ReadAny operands, whose needs depend on the opcode.
  bool readAny(size_t pc, const Insn& in, const std::vector<Type>& s, int k) {
    const Op op = static_cast<Op>(in.op);
    const char* name = k == 0 ? "A" : k == 1 ? "B" : "C";
    const uint16_t reg = k == 0 ? in.a : k == 1 ? in.b : in.c;
    if (op == Op::RVAL || op == Op::SKEY) return needExactly(pc, s, name, reg, ofRender(in.b));
    if (op == Op::LOOKUP) {
      const TableSpec& t = p_.tables[in.c];
      if (!spend(t.keyKinds.size())) return false;
      for (size_t key = 0; key < t.keyKinds.size(); ++key)
        if (!needExactly(pc, s, "B+key", static_cast<uint16_t>(in.b + key),
                         ofConst(t.keyKinds[key])))
          return false;
      return true;
    }
    if (op == Op::COALESCE && k == 2) {
      const Type b = get(s, in.b);  // B was checked first
      return need(
          pc, s, name, reg, [b](Type t) { return t == b; },
          typeName(b) + ", the type of operand B");
    }
    return need(
        pc, s, name, reg, [](Type) { return true; }, "a value");
  }

  const Program& p_;
  const CheckedFunction& f_;
  const Function& pr_;
  uint32_t
      rootRecord_;  // R0's record: the declaration, or the participant of a categorisation rule
  Budget& budget_;
  std::vector<int32_t> dense_;   // register → dense index, -1 if never written
  size_t width_ = 0;             // registers tracked
  std::vector<int32_t> slotOf_;  // pc → its stored state in pool_, -1 if no jump reaches it
  std::vector<Type> pool_;
  std::string error_;
};

}  // namespace

std::string checkTypes(const Program& p, const CheckedFunction& f, Budget& budget) {
  return TypeChecker(p, f, budget).run();
}

}  // namespace daliz::verify

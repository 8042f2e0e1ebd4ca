// The shape of a profile's code: operands against their roles, jumps, and the loop rules that
// make every evaluation terminate. Register types are verify_types.cpp's.
#include <algorithm>
#include <array>

#include "vm/bundle/verify_internal.h"
#include "vm/limits.h"

namespace daliz::verify {
namespace {

// The longest code a 16-bit jump target can address up to its end.
constexpr size_t kMaxCode = limits::kProfileCode;

struct Operand {
  const char* name;
  Role role;
  uint16_t value;
};

std::array<Operand, 3> operandsOf(const Insn& in) {
  const OpInfo& info = opInfo(in.op);
  return {{{"A", info.a, in.a}, {"B", info.b, in.b}, {"C", info.c, in.c}}};
}

std::string outOf(const Operand& o, const char* what, size_t count) {
  return "operand " + std::string(o.name) + " (" + what + " " + std::to_string(o.value) +
         ") is out of range (" + std::to_string(count) + ")";
}

// An immediate operand against its opcode's range (the TRAITS of opcodes.def).
std::string checkImmediate(const OpTraits& t, const Operand& o) {
  const unsigned v = o.value;
  if (v >= t.immLow && v <= t.immHigh && (v - t.immLow) % t.immStep == 0) return "";
  std::string range = std::to_string(t.immLow) + ".." + std::to_string(t.immHigh);
  if (t.immStep != 1) range += " in steps of " + std::to_string(t.immStep);
  return std::string(t.immMeaning) + " " + std::to_string(v) + " is not in " + range;
}

// One instruction on its own: every operand against its role.
std::string checkOperands(const Program& p, const Function& pr, size_t pc) {
  const Insn& in = pr.code[pc];
  const OpInfo& info = opInfo(in.op);
  for (const Operand& o : operandsOf(in)) {
    const std::string operand = "operand " + std::string(o.name) + " ";
    if (isRegisterRole(o.role) && o.value >= pr.registers)
      return outOf(o, "register", pr.registers);
    switch (o.role) {
      case Role::StrConst:
        if (o.value >= p.constants.size()) return outOf(o, "constant", p.constants.size());
        if (p.constants[o.value].kind != ConstKind::String)
          return operand + "must be a string constant";
        break;
      case Role::Const:
        if (o.value >= p.constants.size()) return outOf(o, "constant", p.constants.size());
        break;
      case Role::Set: {
        if (o.value >= p.sets.size()) return outOf(o, "set", p.sets.size());
        if (p.sets[o.value].kind != info.traits.set)
          return operand + "names a set of the wrong kind for this opcode";
        break;
      }
      case Role::Table:
        if (o.value >= p.tables.size()) return outOf(o, "table", p.tables.size());
        if (size_t{in.b} + p.tables[o.value].keyKinds.size() > pr.registers)
          return "key registers " + std::to_string(in.b) + ".." +
                 std::to_string(in.b + p.tables[o.value].keyKinds.size() - 1) + " exceed the " +
                 std::to_string(pr.registers) + " registers";
        break;
      case Role::Regex:
        if (o.value >= p.regexes.size()) return outOf(o, "regex", p.regexes.size());
        break;
      case Role::Jump:
        // Strictly inside the code: the interpreter fetches code[target] unchecked, and a
        // jump "to the end" can always target the final RET.
        if (o.value <= pc || o.value >= pr.code.size())
          return "jump target " + std::to_string(o.value) +
                 " is not forward within the code (size " + std::to_string(pr.code.size()) + ")";
        break;
      case Role::LoopBack: {
        if (o.value > pc || o.value == 0)
          return "loop target " + std::to_string(o.value) + " is not backward";
        const Insn& head = pr.code[o.value - 1];
        if (head.op != info.traits.head || head.a != in.a)
          return "loop target " + std::to_string(o.value) + " does not follow a " +
                 opInfo(info.traits.head).name + " of counter register " + std::to_string(in.a);
        break;
      }
      case Role::Imm:
        if (std::string e = checkImmediate(info.traits, o); !e.empty()) return e;
        break;
      case Role::Enum:
        if (in.b == static_cast<uint16_t>(RenderKind::Enum) ? o.value >= p.schema.enums.size()
                                                            : o.value != 0)
          return operand + "enum " + std::to_string(o.value) + " is invalid for render kind " +
                 std::to_string(in.b);
        break;
      default:
        break;
    }
  }
  if (info.traits.loopHead || info.traits.isLoopTail) {
    if (size_t{in.a} + 1 >= pr.registers)
      return "counter pair " + std::to_string(in.a) + ", " + std::to_string(in.a + 1) +
             " exceeds the registers";
    // A loop head writes A and A+1 from B; the list must survive (GETITEM reads it in the body).
    if (info.traits.loopHead && (in.b == in.a || in.b == in.a + 1))
      return "list register overlaps the counter pair";
  }
  return "";
}

struct Loop {
  size_t forprep, loop;  // the loop's range: the body is (forprep, loop]
  uint16_t counter;
};

// Loop rules. Each LOOP goes back to just after a FORPREP of its counter (checkOperands);
// here: nothing in the body writes the counter A or the length A+1, loops nest, and a body
// is entered only from its own FORPREP or from inside. Then A counts from 0 up to the
// length FORPREP read, so each loop runs at most len(list) times per entry.
std::string checkLoops(const CheckedFunction& f) {
  const Function& pr = f.fn;
  const size_t n = pr.code.size();
  std::vector<std::pair<uint32_t, uint32_t>> writes;  // (register, pc), sorted for lookups
  std::vector<Loop> loops;
  for (size_t pc = 0; pc < n; ++pc) {
    const Insn& in = pr.code[pc];
    const OpTraits& traits = opInfo(in.op).traits;
    const bool prep = traits.loopHead, loop = traits.isLoopTail;
    if (isWriteRole(opInfo(in.op).a) || loop) writes.push_back({in.a, static_cast<uint32_t>(pc)});
    if (prep) writes.push_back({in.a + 1u, static_cast<uint32_t>(pc)});
    if (loop) loops.push_back({static_cast<size_t>(in.c) - 1, pc, in.a});
  }
  std::sort(writes.begin(), writes.end());
  for (const Loop& l : loops) {
    for (uint32_t reg : {uint32_t{l.counter}, l.counter + 1u}) {
      auto it = std::lower_bound(writes.begin(), writes.end(),
                                 std::pair<uint32_t, uint32_t>(reg, l.forprep + 1));
      if (it != writes.end() && it->first == reg && it->second < l.loop)
        return where(f, it->second) + "writes register " + std::to_string(reg) +
               ", a counter of the loop ending at pc " + std::to_string(l.loop);
    }
  }
  std::sort(loops.begin(), loops.end(),
            [](const Loop& a, const Loop& b) { return a.forprep < b.forprep; });
  std::vector<const Loop*> open;
  std::vector<int64_t> innermost(n + 1,
                                 -1);  // pc → FORPREP pc of the innermost loop whose body holds pc
  size_t next = 0;
  for (size_t pc = 0; pc <= n; ++pc) {
    while (!open.empty() && open.back()->loop < pc) open.pop_back();
    while (next < loops.size() && loops[next].forprep + 1 == pc) {
      const Loop& l = loops[next++];
      if (!open.empty() && (l.forprep == open.back()->forprep || l.loop > open.back()->loop))
        return where(f, l.loop) + "the loop overlaps the loop ending at pc " +
               std::to_string(open.back()->loop);
      open.push_back(&l);
    }
    if (!open.empty()) innermost[pc] = static_cast<int64_t>(open.back()->forprep);
  }
  for (size_t pc = 0; pc < n; ++pc) {
    const Insn& in = pr.code[pc];
    if (opInfo(in.op).c != Role::Jump) continue;
    const int64_t head = innermost[in.c];
    if (head >= 0 && static_cast<int64_t>(pc) < head)
      return where(f, pc) + "jumps into the body of the loop at pc " + std::to_string(head) +
             " from outside";
  }
  return "";
}

}  // namespace

std::string checkStructure(const Program& p, const CheckedFunction& f) {
  const Function& pr = f.fn;
  const std::string at = f.name + ": ";
  if (pr.code.empty()) return at + "has no code";
  if (pr.code.size() > kMaxCode)
    return at + "has " + std::to_string(pr.code.size()) + " instructions, more than " +
           std::to_string(kMaxCode);
  for (size_t pc = 0; pc < pr.code.size(); ++pc) {
    if (pr.code[pc].op >= kOpCount)
      return at + "pc " + std::to_string(pc) + ": unknown opcode " + std::to_string(pr.code[pc].op);
  }
  if (pr.code.back().op != static_cast<uint16_t>(Op::RET))
    return where(f, pr.code.size() - 1) + "the code does not end with RET";
  for (size_t pc = 0; pc < pr.code.size(); ++pc)
    if (std::string e = checkOperands(p, pr, pc); !e.empty()) return where(f, pc) + e;
  return checkLoops(f);
}

}  // namespace daliz::verify

#include "vm/exec/interpreter.h"

#include "vm/exec/loaded_program.h"
#include "vm/exec/runtime.h"
#include "vm/value/date.h"
#include "vm/value/decimal.h"
#include "vm/value/hs_code.h"

namespace daliz {
namespace {

// Three-valued booleans live in Value: missing = unknown, else i != 0.
inline Value tri(bool v) { return Value::ofInt(v ? 1 : 0); }
inline bool isTrue(const Value& v) { return !v.missing && v.i != 0; }
inline bool isFalse(const Value& v) { return !v.missing && v.i == 0; }

inline Value decOrMissing(std::optional<Decimal> d) { return d ? Value::ofDec(d->units) : Value::none(); }

// The shapes that many opcodes share, so that each opcode can have its own case in the loop
// (no second branch on the opcode inside a case) without repeating its semantics.
template <class F>
inline Value intArith(const Value& b, const Value& c, F overflows) {
  int64_t r;
  return b.missing || c.missing || overflows(b.i, c.i, &r) ? Value::none() : Value::ofInt(r);
}
template <class F>
inline Value decArith(const Value& b, const Value& c, F op) {
  return b.missing || c.missing ? Value::none() : decOrMissing(op(Decimal{b.d}, Decimal{c.d}));
}
template <class F>
inline Value compare(const Value& b, const Value& c, F holds) {
  return b.missing || c.missing ? Value::none() : tri(holds(b, c));
}
template <class F>
inline Value stringTest(const Value& b, const Value& c, F holds) {
  return b.missing || c.missing ? Value::none() : tri(holds(view(b.s), view(c.s)));
}
// ACC_MIN/ACC_MAX: a missing element is skipped; the first present one starts the result.
template <class F>
inline void accumulateExtreme(Value& acc, const Value& b, F better) {
  if (!b.missing && (acc.missing || better(b, acc))) acc = b;
}

}  // namespace

// The interpreter. The verifier has proven register types, indices and jump targets, so
// the loop trusts its operands.
//
// Dispatch: every opcode is one VM_CASE ending in VM_NEXT. With GCC's labels as values the
// loop is threaded (each case jumps straight to the next instruction's case, one indirect
// branch per opcode for the predictor); with DALIZ_SWITCH_DISPATCH, or another compiler, it is
// a `switch` in a loop. The label table comes from opcodes.def, so a missing case does not
// compile in either form (-Wswitch for the switch).
#if defined(__GNUC__) && !defined(DALIZ_SWITCH_DISPATCH)
#define VM_THREADED 1
#else
#define VM_THREADED 0
#endif

bool interpret(ExecContext& cx, Value* R, const Insn* code) {
  RunFrame& frame = cx.frame;
  const LoadedProgram& lp = cx.program;
  R[0].rec = frame.root;
  R[0].missing = false;
  if (frame.item) {
    R[1].rec = frame.item;
    R[1].missing = false;
  }
  cx.clearTexts();
  cx.hit = false;
  size_t pc = 0;
  Insn in;
#define A (R[in.a])
#if VM_THREADED
  static const void* const kLabels[] = {
#define OP(name, a, b, c, traits, synopsis) &&op_##name,
#include "vm/bytecode/opcodes.def"
#undef OP
      &&op_Count_,
  };
#define VM_CASE(name) op_##name:
#define VM_NEXT                  \
  do {                           \
    in = code[pc++];             \
    goto* kLabels[in.op];        \
  } while (0)
  VM_NEXT;
  {
#else
#define VM_CASE(name) case Op::name:
#define VM_NEXT break
  for (;;) {
    in = code[pc++];
    switch (static_cast<Op>(in.op)) {
#endif
    VM_CASE(LOADK) A = lp.constants[in.b]; VM_NEXT;
    VM_CASE(LOADMISS) A = Value::none(); VM_NEXT;
    VM_CASE(MOVE) A = R[in.b]; VM_NEXT;
    VM_CASE(GETF) {
      const Value& b = R[in.b];
      A = b.missing ? Value::none() : b.rec[in.c];
      VM_NEXT;
    }
    VM_CASE(GETITEM) {
      const Value& list = R[in.b];
      const Value& k = R[in.c];
      if (list.missing || k.missing || k.i < 0 || static_cast<uint64_t>(k.i) >= list.list->size) {
        A = Value::none();
      } else {
        A.rec = list.list->items[k.i];
        A.missing = false;
      }
      VM_NEXT;
    }
    VM_CASE(ADD_I) {
      A = intArith(R[in.b], R[in.c], [](int64_t x, int64_t y, int64_t* r) { return __builtin_add_overflow(x, y, r); });
      VM_NEXT;
    }
    VM_CASE(SUB_I) {
      A = intArith(R[in.b], R[in.c], [](int64_t x, int64_t y, int64_t* r) { return __builtin_sub_overflow(x, y, r); });
      VM_NEXT;
    }
    VM_CASE(MUL_I) {
      A = intArith(R[in.b], R[in.c], [](int64_t x, int64_t y, int64_t* r) { return __builtin_mul_overflow(x, y, r); });
      VM_NEXT;
    }
    VM_CASE(NEG_I) {
      const Value& b = R[in.b];
      A = b.missing || b.i == INT64_MIN ? Value::none() : Value::ofInt(-b.i);
      VM_NEXT;
    }
    VM_CASE(ADD_DAYS) {
      const Value &b = R[in.b], &c = R[in.c];
      std::optional<Date> d;
      if (!b.missing && !c.missing) d = addDays(Date{static_cast<int32_t>(b.i)}, c.i);
      A = d ? Value::ofInt(d->days) : Value::none();
      VM_NEXT;
    }
    VM_CASE(DATEPART) {
      const Value& b = R[in.b];
      if (b.missing) {
        A = Value::none();
        VM_NEXT;
      }
      Date d{static_cast<int32_t>(b.i)};
      A = Value::ofInt(in.c == 0 ? year(d) : in.c == 1 ? month(d) : in.c == 2 ? day(d) : weekday(d));
      VM_NEXT;
    }
    VM_CASE(HSPREFIX) {
      const Value& b = R[in.b];
      auto p = b.missing ? std::nullopt : hsPrefix(static_cast<uint64_t>(b.i), in.c);
      A = p ? Value::ofInt(static_cast<int64_t>(*p)) : Value::none();
      VM_NEXT;
    }
    VM_CASE(I2D) {
      const Value& b = R[in.b];
      A = b.missing ? Value::none() : Value::ofDec(Decimal::fromInt(b.i).units);
      VM_NEXT;
    }
    VM_CASE(ADD_D) A = decArith(R[in.b], R[in.c], [](Decimal x, Decimal y) { return add(x, y); }); VM_NEXT;
    VM_CASE(SUB_D) A = decArith(R[in.b], R[in.c], [](Decimal x, Decimal y) { return sub(x, y); }); VM_NEXT;
    VM_CASE(MUL_D) A = decArith(R[in.b], R[in.c], [](Decimal x, Decimal y) { return mul(x, y); }); VM_NEXT;
    VM_CASE(DIV_D) A = decArith(R[in.b], R[in.c], [](Decimal x, Decimal y) { return div(x, y); }); VM_NEXT;
    VM_CASE(NEG_D) {
      const Value& b = R[in.b];
      A = b.missing ? Value::none() : decOrMissing(neg(Decimal{b.d}));
      VM_NEXT;
    }
    VM_CASE(EQ_I) A = compare(R[in.b], R[in.c], [](const Value& x, const Value& y) { return x.i == y.i; }); VM_NEXT;
    VM_CASE(LT_I) A = compare(R[in.b], R[in.c], [](const Value& x, const Value& y) { return x.i < y.i; }); VM_NEXT;
    VM_CASE(LE_I) A = compare(R[in.b], R[in.c], [](const Value& x, const Value& y) { return x.i <= y.i; }); VM_NEXT;
    VM_CASE(EQ_D) A = compare(R[in.b], R[in.c], [](const Value& x, const Value& y) { return x.d == y.d; }); VM_NEXT;
    VM_CASE(LT_D) A = compare(R[in.b], R[in.c], [](const Value& x, const Value& y) { return x.d < y.d; }); VM_NEXT;
    VM_CASE(LE_D) A = compare(R[in.b], R[in.c], [](const Value& x, const Value& y) { return x.d <= y.d; }); VM_NEXT;
    VM_CASE(EQ_S) {
      A = compare(R[in.b], R[in.c], [](const Value& x, const Value& y) { return view(x.s) == view(y.s); });
      VM_NEXT;
    }
    VM_CASE(NOT) {
      const Value& b = R[in.b];
      A = b.missing ? Value::none() : tri(b.i == 0);
      VM_NEXT;
    }
    VM_CASE(AND) {
      const Value &b = R[in.b], &c = R[in.c];
      A = isFalse(b) || isFalse(c) ? tri(false) : b.missing || c.missing ? Value::none() : tri(true);
      VM_NEXT;
    }
    VM_CASE(OR) {
      const Value &b = R[in.b], &c = R[in.c];
      A = isTrue(b) || isTrue(c) ? tri(true) : b.missing || c.missing ? Value::none() : tri(false);
      VM_NEXT;
    }
    VM_CASE(ISMISSING) A = tri(R[in.b].missing); VM_NEXT;
    VM_CASE(COALESCE) A = R[in.b].missing ? R[in.c] : R[in.b]; VM_NEXT;
    VM_CASE(INSET_I) {
      const Value& b = R[in.b];
      A = b.missing ? Value::none() : tri(inIntSet(lp.program.sets[in.c], b.i));
      VM_NEXT;
    }
    VM_CASE(INSET_HS) {
      const Value& b = R[in.b];
      A = b.missing ? Value::none() : tri(inHsSet(lp.hsSets[in.c], static_cast<uint64_t>(b.i)));
      VM_NEXT;
    }
    VM_CASE(INSET_S) {
      const Value& b = R[in.b];
      A = b.missing ? Value::none() : tri(inStringSet(lp.program.sets[in.c], view(b.s)));
      VM_NEXT;
    }
    VM_CASE(LOOKUP) A = tableLookup(cx, in.c, &R[in.b]); VM_NEXT;
    VM_CASE(CONTAINS) {
      A = stringTest(R[in.b], R[in.c], [](std::string_view s, std::string_view t) { return s.find(t) != s.npos; });
      VM_NEXT;
    }
    VM_CASE(STARTS) {
      A = stringTest(R[in.b], R[in.c], [](std::string_view s, std::string_view t) { return s.substr(0, t.size()) == t; });
      VM_NEXT;
    }
    VM_CASE(ENDS) {
      A = stringTest(R[in.b], R[in.c], [](std::string_view s, std::string_view t) {
        return s.size() >= t.size() && s.substr(s.size() - t.size()) == t;
      });
      VM_NEXT;
    }
    VM_CASE(MATCH) {
      const Value& b = R[in.b];
      A = b.missing ? Value::none()
                    : tri(matchesRegex(cx, in.c, b.s));
      VM_NEXT;
    }
    VM_CASE(LOWER) A = changeCase(cx, R[in.b], false); VM_NEXT;
    VM_CASE(UPPER) A = changeCase(cx, R[in.b], true); VM_NEXT;
    VM_CASE(LEN_S) {
      const Value& b = R[in.b];
      A = b.missing ? Value::none() : Value::ofInt(codePoints(b.s));
      VM_NEXT;
    }
    VM_CASE(LEN_L) {
      const Value& b = R[in.b];
      A = b.missing ? Value::none() : Value::ofInt(b.list->size);
      VM_NEXT;
    }
    VM_CASE(FORPREP) {
      const Value& list = R[in.b];
      int64_t n = list.missing ? 0 : list.list->size;
      A = Value::ofInt(0);
      R[in.a + 1] = Value::ofInt(n);
      if (n == 0) pc = in.c;
      VM_NEXT;
    }
    VM_CASE(LOOP) {
      if (++A.i < R[in.a + 1].i) {
        if (!chargeLoop(frame, pc - in.c)) return false;
        pc = in.c;
      }
      VM_NEXT;
    }
    // Over the matched items: R[A+1] is the position in frame.matched, R[A] that item's index.
    // Without a list (the profile ran unindexed), exactly FORPREP and LOOP.
    VM_CASE(FORPREP_G) {
      const Value& list = R[in.b];
      int64_t n = list.missing ? 0 : list.list->size;
      if (!frame.matched) {
        A = Value::ofInt(0);
        R[in.a + 1] = Value::ofInt(n);
        if (n == 0) pc = in.c;
      } else if (frame.matchedCount == 0 || n == 0) {
        pc = in.c;
      } else {
        A = Value::ofInt(frame.matched[0]);
        R[in.a + 1] = Value::ofInt(0);
      }
      VM_NEXT;
    }
    VM_CASE(LOOP_G) {
      if (!frame.matched) {
        if (++A.i < R[in.a + 1].i) {
          if (!chargeLoop(frame, pc - in.c)) return false;
          pc = in.c;
        }
      } else if (int64_t next = ++R[in.a + 1].i; next < frame.matchedCount) {
        if (!chargeLoop(frame, pc - in.c)) return false;
        A.i = frame.matched[next];
        pc = in.c;
      }
      VM_NEXT;
    }
    VM_CASE(ACC_SUM_I) {
      const Value& b = R[in.b];
      if (!b.missing && !A.missing) {
        int64_t r;
        A = __builtin_add_overflow(A.i, b.i, &r) ? Value::none() : Value::ofInt(r);
      }
      VM_NEXT;
    }
    VM_CASE(ACC_SUM_D) {
      const Value& b = R[in.b];
      if (!b.missing && !A.missing) A = decOrMissing(add(Decimal{A.d}, Decimal{b.d}));
      VM_NEXT;
    }
    VM_CASE(ACC_MIN_I) accumulateExtreme(A, R[in.b], [](const Value& x, const Value& y) { return x.i < y.i; }); VM_NEXT;
    VM_CASE(ACC_MAX_I) accumulateExtreme(A, R[in.b], [](const Value& x, const Value& y) { return x.i > y.i; }); VM_NEXT;
    VM_CASE(ACC_MIN_D) accumulateExtreme(A, R[in.b], [](const Value& x, const Value& y) { return x.d < y.d; }); VM_NEXT;
    VM_CASE(ACC_MAX_D) accumulateExtreme(A, R[in.b], [](const Value& x, const Value& y) { return x.d > y.d; }); VM_NEXT;
    VM_CASE(JMP) pc = in.c; VM_NEXT;
    VM_CASE(JMPIFFALSE) {
      if (isFalse(A)) pc = in.c;
      VM_NEXT;
    }
    VM_CASE(JMPIFTRUE) {
      if (isTrue(A)) pc = in.c;
      VM_NEXT;
    }
    VM_CASE(JMPNOTTRUE) {
      if (!isTrue(A)) pc = in.c;
      VM_NEXT;
    }
    VM_CASE(SAMPLE) {  // never in a rule (verified); a function without a profile samples nothing
      if (!inSample(cx)) pc = in.c;
      VM_NEXT;
    }
    VM_CASE(SKEY) addSampleKey(cx, A, static_cast<RenderKind>(in.b), in.c); VM_NEXT;
    VM_CASE(SKEYPER) addSamplePeriod(cx, A, static_cast<SamplePeriod>(in.b)); VM_NEXT;
    VM_CASE(SAMPLEBY) {  // as SAMPLE: never in a rule (verified)
      if (!inKeyedSample(cx)) pc = in.c;
      VM_NEXT;
    }
    VM_CASE(RTEXT) appendReasonText(cx, in.b); VM_NEXT;
    VM_CASE(RVAL) appendReasonValue(cx, A, static_cast<RenderKind>(in.b), in.c); VM_NEXT;
    VM_CASE(TEXT) cx.text = static_cast<uint8_t>(in.b); VM_NEXT;
    VM_CASE(HIT) recordHit(cx); VM_NEXT;
    VM_CASE(RET) return cx.hit;
    VM_CASE(Count_) return cx.hit;  // never in verified code
#if !VM_THREADED
    }
#endif
  }
#undef VM_CASE
#undef VM_NEXT
#undef A
}

}  // namespace daliz

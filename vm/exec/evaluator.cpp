#include "vm/exec/evaluator.h"

#include <xxhash.h>

#include <algorithm>

#include "stdlib/reference_data.h"
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

std::string_view view(const Str& s) { return {s.data, s.size}; }

// Code points of UTF-8 text.
int64_t codePoints(const Str& s) {
  int64_t n = 0;
  for (uint32_t i = 0; i < s.size; ++i)
    if ((static_cast<unsigned char>(s.data[i]) & 0xC0) != 0x80) ++n;
  return n;
}

// Lower/upper case for ASCII and the Cyrillic block (U+0400–U+04FF), which covers Russian and
// the Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ І: what declarations' descriptions are written in.
uint32_t cyrillicCase(uint32_t cp, bool upper) {
  if (cp >= 0x410 && cp <= 0x42F) return upper ? cp : cp + 0x20;
  if (cp >= 0x430 && cp <= 0x44F) return upper ? cp - 0x20 : cp;
  if (cp >= 0x400 && cp <= 0x40F) return upper ? cp : cp + 0x50;
  if (cp >= 0x450 && cp <= 0x45F) return upper ? cp - 0x50 : cp;
  // Extended Cyrillic comes in (upper, lower) pairs: even/odd, except U+04C1–U+04CE
  // (odd/even) and the unpaired palochka U+04C0 / U+04CF.
  bool shifted = cp >= 0x4C1 && cp <= 0x4CE;
  bool paired = (cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF) || shifted || (cp >= 0x4D0 && cp <= 0x4FF);
  if (!paired) return cp;
  bool isUpper = shifted ? (cp % 2 == 1) : (cp % 2 == 0);
  if (upper && !isUpper) return cp - 1;
  if (!upper && isUpper) return cp + 1;
  return cp;
}

void changeCase(std::string_view in, std::string& out, bool upper) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      out += static_cast<char>(upper ? (c >= 'a' && c <= 'z' ? c - 32 : c) : (c >= 'A' && c <= 'Z' ? c + 32 : c));
      continue;
    }
    if (c >= 0xD0 && c <= 0xD3 && i + 1 < in.size()) {
      uint32_t cp = cyrillicCase(((c & 0x1F) << 6) | (static_cast<unsigned char>(in[i + 1]) & 0x3F), upper);
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
      ++i;
      continue;
    }
    out += static_cast<char>(c);
  }
}

bool inIntSet(const SetSpec& s, int64_t v) { return std::binary_search(s.ints.begin(), s.ints.end(), v); }

bool inHsSet(const HsSetIndex& index, uint64_t code) {
  for (const auto& byLength : index.lengths) {
    auto prefix = hsPrefix(code, byLength.length);
    if (!prefix) continue;
    uint64_t digits = *prefix >> 4;
    auto it = std::upper_bound(byLength.ranges.begin(), byLength.ranges.end(), std::make_pair(digits, UINT64_MAX));
    if (it != byLength.ranges.begin() && std::prev(it)->second >= digits) return true;
  }
  return false;
}

bool inStringSet(const SetSpec& s, std::string_view v) {
  auto it = std::lower_bound(s.strings.begin(), s.strings.end(), v,
                             [](const std::string& a, std::string_view b) { return std::string_view(a) < b; });
  return it != s.strings.end() && *it == v;
}

}  // namespace

Evaluator::Evaluator(const LoadedProgram& program)
    : lp_(program), stamp_(program.program.profiles.size(), 0), matchedItems_(program.program.profiles.size()) {
  uint16_t most = 2;
  for (const ProfileSpec& p : lp_.program.profiles) most = std::max(most, p.registers);
  if (const auto& k = lp_.program.categorization) {
    for (const CategoryRuleSpec& r : k->rules) most = std::max(most, r.registers);
    most = std::max(most, k->fallback.registers);
  }
  registers_.resize(most);
}

bool Evaluator::sampled(uint64_t seed, std::string_view profileId, std::string_view declarationId, int64_t itemNo,
                        uint32_t basisPoints) {
  thread_local std::string bytes;  // reused: no allocation per sampled object
  bytes.clear();
  for (int i = 0; i < 8; ++i) bytes += static_cast<char>((seed >> (8 * i)) & 0xFF);
  bytes.append(profileId);
  bytes += '\0';
  bytes.append(declarationId);
  bytes += '\0';
  uint64_t no = static_cast<uint64_t>(itemNo);
  for (int i = 0; i < 8; ++i) bytes += static_cast<char>((no >> (8 * i)) & 0xFF);
  return XXH64(bytes.data(), bytes.size(), 0) % 10000 < basisPoints;
}

// Adds to `out` (once each, by stamp) the profiles whose guard `item` satisfies.
// A profile is in exactly one guard set (its items, some item, the declaration), so the item
// pass and the declaration passes can share `stamp_` with counters of their own.
void Evaluator::collect(const ProfileIndex::Guards& guards, const Value* item, std::vector<uint32_t>& out,
                        uint64_t generation, int64_t itemNumber) {
  auto add = [&](uint32_t p) {
    if (itemNumber >= 0) {
      auto& matched = matchedItems_[p];
      if (stamp_[p] != generation) matched.clear();
      if (matched.empty() || matched.back() != itemNumber) matched.push_back(static_cast<uint32_t>(itemNumber));
    }
    if (stamp_[p] == generation) return;
    stamp_[p] = generation;
    out.push_back(p);
  };
  for (const auto& f : guards.hs) {
    const Value& v = item[f.field];
    if (v.missing) continue;
    uint64_t code = static_cast<uint64_t>(v.i);
    for (uint8_t len : f.lengths) {
      auto prefix = hsPrefix(code, len);
      if (!prefix) continue;
      auto it = f.byPrefix.find(*prefix);
      if (it != f.byPrefix.end())
        for (uint32_t p : it->second) add(p);
    }
    for (const auto& [range, p] : f.wide) {
      auto prefix = hsPrefix(code, range.length);
      if (prefix && (*prefix >> 4) >= range.low && (*prefix >> 4) <= range.high) add(p);
    }
  }
  for (const auto& f : guards.ints) {
    const Value& v = item[f.field];
    if (v.missing) continue;
    auto it = f.byValue.find(v.i);
    if (it != f.byValue.end())
      for (uint32_t p : it->second) add(p);
  }
  for (const auto& f : guards.strings) {
    const Value& v = item[f.field];
    if (v.missing) continue;
    auto it = f.byValue.find(std::string_view(v.s.data, v.s.size));
    if (it != f.byValue.end())
      for (uint32_t p : it->second) add(p);
  }
  for (const auto& f : guards.ranges) {
    const Value& v = item[f.field];
    if (v.missing) continue;
    const __int128 x = f.units ? v.d : v.i;
    for (const auto& e : f.byLow) {
      if (e.low > x) break;
      if (x <= e.high) add(e.profile);
    }
  }
}

void Evaluator::evaluate(const Value* root, Decision& out) {
  const Schema& schema = lp_.program.schema;
  const ProfileIndex& index = lp_.index;
  out.ok = true;
  out.hits.clear();
  out.measures.clear();
  out.corridor = 0;
  scratchUsed_ = 0;
  left_ = static_cast<int64_t>(budget_);
  exceeded_.reset();
  out.overBudget = false;
  const Value& idValue = root[schema.idField];
  declarationId_ = idValue.missing ? std::string_view() : view(idValue.s);
  const Value& registered = root[schema.registeredField];
  const Value& items = root[schema.itemsField];
  const auto& profiles = lp_.program.profiles;
  auto valid = [&](uint32_t p) {
    const ProfileSpec& prof = profiles[p];
    return !prof.hasValid || (!registered.missing && registered.i >= prof.validFrom && registered.i <= prof.validTo);
  };
  // Item scope: each item against the unguarded profiles and the ones its codes select.
  uint32_t itemCount = items.missing ? 0 : items.list->size;
  declarationProfiles_.clear();
  ++declarationGeneration_;
  collect(index.declaration, root, declarationProfiles_, declarationGeneration_);
  for (uint32_t k = 0; k < itemCount; ++k) {
    const Value* item = items.list->items[k];
    collect(index.anyItem, item, declarationProfiles_, declarationGeneration_, k);
    candidates_.clear();
    collect(index.item, item, candidates_, ++itemGeneration_);
    const Value& no = item[schema.itemNoField];
    int64_t itemNo = no.missing ? 0 : no.i;
    for (uint32_t p : index.itemAlways)
      if (valid(p)) run(p, root, item, itemNo, out);
    for (uint32_t p : candidates_)
      if (valid(p)) run(p, root, item, itemNo, out);
  }
  for (uint32_t p : index.declAlways)
    if (valid(p)) run(p, root, nullptr, 0, out);
  for (uint32_t p : declarationProfiles_)
    if (valid(p)) run(p, root, nullptr, 0, out);
  if (exceeded_) {
    // Fail closed: a declaration whose evaluation was cut short gets no corridor, so it is never
    // released on a partial answer.
    out.ok = false;
    out.overBudget = true;
    out.error = "budget exceeded in profile " + *exceeded_ + ": more than " + std::to_string(budget_) +
                " units of work for one declaration (the execution budget; docs/limits.md)";
    out.hits.clear();
    return;
  }
  // Hits by profile id (profiles are sorted by id), then item number.
  std::stable_sort(out.hits.begin(), out.hits.end(), [](const Hit& a, const Hit& b) {
    return a.profile != b.profile ? a.profile < b.profile : a.item < b.item;
  });
  // Measures: the union over hits, most severe corridor first, then by name.
  for (const Hit& h : out.hits)
    for (uint32_t m : profiles[h.profile].measures) out.measures.push_back(m);
  std::sort(out.measures.begin(), out.measures.end());
  out.measures.erase(std::unique(out.measures.begin(), out.measures.end()), out.measures.end());
  const auto& measures = lp_.program.measures;
  std::stable_sort(out.measures.begin(), out.measures.end(), [&](uint32_t a, uint32_t b) {
    return measures[a].corridor > measures[b].corridor;
  });
  for (uint32_t m : out.measures) out.corridor = std::max(out.corridor, static_cast<uint8_t>(measures[m].corridor));
}

void Evaluator::render(const Value& v, RenderKind kind, uint16_t enumIndex) {
  if (v.missing) {
    reason_ += "missing";
    return;
  }
  switch (kind) {
    case RenderKind::Int: reason_ += std::to_string(v.i); break;
    case RenderKind::Decimal: reason_ += toString(Decimal{v.d}); break;
    case RenderKind::Money: reason_ += toMoneyString(Decimal{v.d}); break;
    case RenderKind::Date: reason_ += toString(Date{static_cast<int32_t>(v.i)}); break;
    case RenderKind::String: reason_.append(v.s.data, v.s.size); break;
    case RenderKind::Hs: reason_ += decodeHs(static_cast<uint64_t>(v.i)); break;
    case RenderKind::Country: reason_ += countryCode(static_cast<uint16_t>(v.i)); break;
    case RenderKind::Currency: reason_ += currencyCode(static_cast<uint16_t>(v.i)); break;
    case RenderKind::Enum: {
      const auto& values = lp_.program.schema.enums[enumIndex].values;
      if (v.i >= 0 && static_cast<size_t>(v.i) < values.size()) reason_ += values[static_cast<size_t>(v.i)];
      break;
    }
    case RenderKind::Bool: reason_ += v.i ? "true" : "false"; break;
  }
}

void Evaluator::run(uint32_t profileIndex, const Value* root, const Value* item, int64_t itemNo, Decision& out) {
  const ProfileSpec& prof = lp_.program.profiles[profileIndex];
  if (exceeded_ || !charge(prof.code.size())) {
    if (!exceeded_) exceeded_ = prof.id;
    return;
  }
  // A declaration-scope profile selected because some items satisfy its guard: its guarded
  // quantifier needs to look at those items only (FORPREP_G).
  matched_ = item == nullptr && prof.guard.anyItem && prof.guard.kind != GuardSpec::None ? &matchedItems_[profileIndex]
                                                                                          : nullptr;
  exec(prof.code.data(), root, item, itemNo, &prof, profileIndex, &out);
  if (left_ < 0 && !exceeded_) exceeded_ = prof.id;
}

bool Evaluator::charge(uint64_t units) {
  left_ -= static_cast<int64_t>(std::min<uint64_t>(units, INT64_MAX / 2));
  return left_ >= 0;
}

bool Evaluator::runFunction(const std::vector<Insn>& code, const Value* root) {
  scratchUsed_ = 0;  // a rule's LOWER/UPPER strings live until its end
  matched_ = nullptr;
  left_ = static_cast<int64_t>(budget_);
  if (!charge(code.size())) return false;
  return exec(code.data(), root, nullptr, 0, nullptr, 0, nullptr) && left_ >= 0;
}

// Table lookup: the row of the key in R[B..] (the longest prefix of an hs key present in the
// table wins), or missing.
Value Evaluator::lookup(const Insn& in, const Value* R) {
  const TableSpec& t = lp_.program.tables[in.c];
  const TableIndex& index = lp_.tables[in.c];
  for (size_t k = 0; k < t.keyKinds.size(); ++k)
    if (R[in.b + k].missing) return Value::none();
  auto find = [&](const Value* hsOverride) -> const Value* {
    key_.clear();
    for (size_t k = 0; k < t.keyKinds.size(); ++k)
      appendTableKey(key_, static_cast<int>(k) == index.hsKey && hsOverride ? *hsOverride : R[in.b + k],
                     t.keyKinds[k]);
    auto it = index.rows.find(key_);
    return it == index.rows.end() ? nullptr : &it->second;
  };
  if (index.hsKey < 0) {
    const Value* v = find(nullptr);
    return v ? *v : Value::none();
  }
  uint64_t code = static_cast<uint64_t>(R[in.b + index.hsKey].i);
  for (uint8_t len : index.hsLengths) {
    auto prefix = hsPrefix(code, len);
    if (!prefix) continue;
    Value p = Value::ofInt(static_cast<int64_t>(*prefix));
    if (const Value* v = find(&p)) return *v;
  }
  return Value::none();
}

// LOWER/UPPER: the result lives in a scratch string until the declaration (or rule) ends.
Value Evaluator::changeCaseOf(const Value& b, bool upper) {
  if (b.missing) return Value::none();
  if (scratchUsed_ == scratchStrings_.size()) scratchStrings_.emplace_back();
  std::string& s = scratchStrings_[scratchUsed_++];
  changeCase(view(b.s), s, upper);
  return Value::ofStr(s.data(), static_cast<uint32_t>(s.size()));
}

namespace {

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

bool Evaluator::exec(const Insn* code, const Value* root, const Value* item, int64_t itemNo, const ProfileSpec* prof,
                     uint32_t profileIndex, Decision* out) {
  bool hit = false;
  Value* R = registers_.data();
  R[0].rec = root;
  R[0].missing = false;
  if (item) {
    R[1].rec = item;
    R[1].missing = false;
  }
  reason_.clear();
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
    VM_CASE(LOADK) A = lp_.constants[in.b]; VM_NEXT;
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
      A = b.missing ? Value::none() : tri(inIntSet(lp_.program.sets[in.c], b.i));
      VM_NEXT;
    }
    VM_CASE(INSET_HS) {
      const Value& b = R[in.b];
      A = b.missing ? Value::none() : tri(inHsSet(lp_.hsSets[in.c], static_cast<uint64_t>(b.i)));
      VM_NEXT;
    }
    VM_CASE(INSET_S) {
      const Value& b = R[in.b];
      A = b.missing ? Value::none() : tri(inStringSet(lp_.program.sets[in.c], view(b.s)));
      VM_NEXT;
    }
    VM_CASE(LOOKUP) A = lookup(in, R); VM_NEXT;
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
                    : tri(RE2::PartialMatch(re2::StringPiece(b.s.data, b.s.size), *lp_.regexes[in.c]));
      VM_NEXT;
    }
    VM_CASE(LOWER) A = changeCaseOf(R[in.b], false); VM_NEXT;
    VM_CASE(UPPER) A = changeCaseOf(R[in.b], true); VM_NEXT;
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
        if (!charge(pc - in.c)) return false;
        pc = in.c;
      }
      VM_NEXT;
    }
    // Over the matched items: R[A+1] is the position in matched_, R[A] that item's index.
    // Without a list (the profile ran unindexed), exactly FORPREP and LOOP.
    VM_CASE(FORPREP_G) {
      const Value& list = R[in.b];
      int64_t n = list.missing ? 0 : list.list->size;
      if (!matched_) {
        A = Value::ofInt(0);
        R[in.a + 1] = Value::ofInt(n);
        if (n == 0) pc = in.c;
      } else if (matched_->empty() || n == 0) {
        pc = in.c;
      } else {
        A = Value::ofInt((*matched_)[0]);
        R[in.a + 1] = Value::ofInt(0);
      }
      VM_NEXT;
    }
    VM_CASE(LOOP_G) {
      if (!matched_) {
        if (++A.i < R[in.a + 1].i) {
          if (!charge(pc - in.c)) return false;
          pc = in.c;
        }
      } else if (int64_t next = ++R[in.a + 1].i; next < static_cast<int64_t>(matched_->size())) {
        if (!charge(pc - in.c)) return false;
        A.i = (*matched_)[static_cast<size_t>(next)];
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
      if (!prof || !sampled(lp_.program.seed, prof->id, declarationId_, item ? itemNo : 0, prof->sampleBasisPoints))
        pc = in.c;
      VM_NEXT;
    }
    VM_CASE(RTEXT) reason_ += lp_.program.constants[in.b].s; VM_NEXT;
    VM_CASE(RVAL) render(A, static_cast<RenderKind>(in.b), in.c); VM_NEXT;
    VM_CASE(HIT) {
      hit = true;
      if (out) {
        Hit h;
        h.profile = profileIndex;
        if (item) h.item = itemNo;
        h.reason = reason_;
        out->hits.push_back(std::move(h));
      }
      VM_NEXT;
    }
    VM_CASE(RET) return hit;
    VM_CASE(Count_) return hit;  // never in verified code
#if !VM_THREADED
    }
#endif
  }
#undef VM_CASE
#undef VM_NEXT
#undef A
}

}  // namespace daliz

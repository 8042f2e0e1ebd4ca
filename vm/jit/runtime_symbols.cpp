// The runtime functions of compiled code: thin C-ABI wrappers over vm/exec/runtime.h and the
// value libraries, so that the JIT and the interpreter share every semantic.
#include "vm/jit/runtime_symbols.h"

#include <string_view>

#include "vm/exec/runtime.h"
#include "vm/value/date.h"
#include "vm/value/decimal.h"
#include "vm/value/hs_code.h"

namespace {

using daliz::ExecContext;
using daliz::Value;

std::string_view text(const char* p, int32_t n) { return {p, static_cast<size_t>(n)}; }

}  // namespace

// Plain functions with C-compatible signatures, called through the addresses in
// kRuntimeSymbols: internal, so libdaliz.so (which exports daliz_*) does not export them.
namespace {

int32_t daliz_rt_add_days(int64_t days, int64_t n, int64_t* out) {
  auto d = daliz::addDays(daliz::Date{static_cast<int32_t>(days)}, n);
  if (d) *out = d->days;
  return d.has_value();
}

int64_t daliz_rt_date_part(int64_t days, int32_t part) {
  daliz::Date d{static_cast<int32_t>(days)};
  return part == 0   ? daliz::year(d)
         : part == 1 ? daliz::month(d)
         : part == 2 ? daliz::day(d)
                     : daliz::weekday(d);
}

int32_t daliz_rt_hs_prefix(int64_t code, int32_t length, int64_t* out) {
  auto p = daliz::hsPrefix(static_cast<uint64_t>(code), length);
  if (p) *out = static_cast<int64_t>(*p);
  return p.has_value();
}

int32_t daliz_rt_decimal(int32_t op, const __int128* x, const __int128* y, __int128* out) {
  using daliz::Decimal;
  std::optional<Decimal> r;
  switch (op) {
    case daliz::jit::kDecAdd:
      r = daliz::add(Decimal{*x}, Decimal{*y});
      break;
    case daliz::jit::kDecSub:
      r = daliz::sub(Decimal{*x}, Decimal{*y});
      break;
    case daliz::jit::kDecMul:
      r = daliz::mul(Decimal{*x}, Decimal{*y});
      break;
    case daliz::jit::kDecDiv:
      r = daliz::div(Decimal{*x}, Decimal{*y});
      break;
    default:
      r = daliz::neg(Decimal{*x});
      break;
  }
  if (r) *out = r->units;
  return r.has_value();
}

int32_t daliz_rt_string_test(int32_t op, const char* a, int32_t an, const char* b, int32_t bn) {
  std::string_view s = text(a, an), t = text(b, bn);
  switch (op) {
    case daliz::jit::kStrEq:
      return s == t;
    case daliz::jit::kStrContains:
      return s.find(t) != s.npos;
    case daliz::jit::kStrStarts:
      return s.substr(0, t.size()) == t;
    default:
      return s.size() >= t.size() && s.substr(s.size() - t.size()) == t;
  }
}

int32_t daliz_rt_in_int_set(ExecContext* cx, int32_t set, int64_t v) {
  return daliz::inIntSet(cx->program.program.sets[static_cast<size_t>(set)], v);
}

int32_t daliz_rt_in_hs_set(ExecContext* cx, int32_t set, int64_t code) {
  return daliz::inHsSet(cx->program.hsSets[static_cast<size_t>(set)], static_cast<uint64_t>(code));
}

int32_t daliz_rt_in_string_set(ExecContext* cx, int32_t set, const char* s, int32_t n) {
  return daliz::inStringSet(cx->program.program.sets[static_cast<size_t>(set)], text(s, n));
}

void daliz_rt_lookup(ExecContext* cx, int32_t table, const Value* keys, Value* out) {
  *out = daliz::tableLookup(*cx, static_cast<uint16_t>(table), keys);
}

int32_t daliz_rt_match(ExecContext* cx, int32_t regex, const char* s, int32_t n) {
  return daliz::matchesRegex(*cx, static_cast<uint16_t>(regex),
                             daliz::Str{s, static_cast<uint32_t>(n)});
}

void daliz_rt_change_case(ExecContext* cx, const Value* in, int32_t upper, Value* out) {
  *out = daliz::changeCase(*cx, *in, upper != 0);
}

int64_t daliz_rt_code_points(const char* s, int32_t n) {
  return daliz::codePoints(daliz::Str{s, static_cast<uint32_t>(n)});
}

int32_t daliz_rt_in_sample(ExecContext* cx) { return daliz::inSample(*cx); }

void daliz_rt_sample_key(ExecContext* cx, const Value* v, int32_t kind, int32_t enumIndex) {
  daliz::addSampleKey(*cx, *v, static_cast<daliz::RenderKind>(kind),
                      static_cast<uint16_t>(enumIndex));
}

void daliz_rt_sample_period(ExecContext* cx, const Value* date, int32_t period) {
  daliz::addSamplePeriod(*cx, *date, static_cast<daliz::SamplePeriod>(period));
}

int32_t daliz_rt_in_keyed_sample(ExecContext* cx) { return daliz::inKeyedSample(*cx); }

void daliz_rt_reason_text(ExecContext* cx, int32_t constant) {
  daliz::appendReasonText(*cx, static_cast<uint16_t>(constant));
}

void daliz_rt_reason_value(ExecContext* cx, const Value* v, int32_t kind, int32_t enumIndex) {
  daliz::appendReasonValue(*cx, *v, static_cast<daliz::RenderKind>(kind),
                           static_cast<uint16_t>(enumIndex));
}

void daliz_rt_text(ExecContext* cx, int32_t text) { cx->text = static_cast<uint8_t>(text); }

void daliz_rt_hit(ExecContext* cx) { daliz::recordHit(*cx); }

}  // namespace

namespace daliz::jit {

const RuntimeSymbol kRuntimeSymbols[] = {
#define RT(name, ...) {"daliz_rt_" #name, reinterpret_cast<void*>(&daliz_rt_##name)},
#include "vm/jit/runtime_symbols.def"
#undef RT
};
const int kRuntimeSymbolCount = sizeof(kRuntimeSymbols) / sizeof(kRuntimeSymbols[0]);

}  // namespace daliz::jit

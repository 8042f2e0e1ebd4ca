#pragma once
// One implementation of each opcode too large to inline: the interpreter (interpreter.cpp) and
// compiled code (vm/jit/runtime_symbols.cpp) both call these, so a semantic lives in one place.
// The verifier has proven the operands (indices, types); these trust them.
#include <cstdint>
#include <string>
#include <string_view>

#include "vm/bytecode/opcode.h"
#include "vm/exec/exec_context.h"
#include "vm/exec/loaded_program.h"
#include "vm/value/date.h"

namespace daliz {

inline std::string_view view(const Str& s) { return {s.data, s.size}; }

// LOOKUP: the value of table `table` at the keys keys[0..] (the longest prefix of an hs key
// present in the table wins); missing when a key is missing or there is no row.
Value tableLookup(ExecContext& cx, uint16_t table, const Value* keys);
// LOWER/UPPER (ASCII and Cyrillic): the result lives in cx's scratch strings until the
// declaration (or rule) ends.
Value changeCase(ExecContext& cx, const Value& s, bool upper);
// INSET_I, INSET_HS, INSET_S.
bool inIntSet(const SetSpec& set, int64_t v);
bool inHsSet(const HsSetIndex& set, uint64_t code);
bool inStringSet(const SetSpec& set, std::string_view v);
// MATCH: RE2 partial match of regex `regex`.
bool matchesRegex(const ExecContext& cx, uint16_t regex, Str s);
// LEN_S: the number of code points of UTF-8 text.
int64_t codePoints(Str s);
// RTEXT: appends string constant `constant` to the reason.
void appendReasonText(ExecContext& cx, uint16_t constant);
// RVAL: appends `v` rendered as `kind` (spec section 8; `enumIndex` for enums) to the reason.
void appendReasonValue(ExecContext& cx, const Value& v, RenderKind kind, uint16_t enumIndex);
// HIT: records a hit of the running profile (and item) with the reason; marks the run as hit.
void recordHit(ExecContext& cx);
// SAMPLE: whether the running object is in the profile's seeded sample (never for a rule).
bool inSample(const ExecContext& cx);
// The documented sampling hash (docs/language.md, "Random selection"; Evaluator::sampled).
bool sampledObject(uint64_t seed, std::string_view profileId, std::string_view declarationId,
                   int64_t itemNo, uint32_t basisPoints);
// SKEY, SKEYPER, SAMPLEBY: the keyed draw of `sample p% by … per …` (docs/language.md, Part 3).
// SKEY adds a value, rendered as `kind`, to the running object's sample key; SKEYPER adds the
// period of a date; inKeyedSample draws on the key and closes it, so the next key starts afresh.
void addSampleKey(ExecContext& cx, const Value& v, RenderKind kind, uint16_t enumIndex);
void addSamplePeriod(ExecContext& cx, const Value& date, SamplePeriod period);
bool inKeyedSample(ExecContext& cx);
// The period text of a date, as SKEYPER adds it: "2026-03-15", "2026-W11", "2026-03", "2026".
std::string samplePeriodText(Date d, SamplePeriod period);
// LOOP/LOOP_G taking the back edge: charges `units` (the body's length) to the budget; false
// once it is spent (the run then stops).
inline bool chargeLoop(RunFrame& frame, uint64_t units) {
  frame.left -= static_cast<int64_t>(units);
  return frame.left >= 0;
}

}  // namespace daliz

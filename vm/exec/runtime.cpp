#include "vm/exec/runtime.h"

#include <xxhash.h>

#include <algorithm>

#include "stdlib/reference_data.h"
#include "vm/exec/decision.h"
#include "vm/value/date.h"
#include "vm/value/decimal.h"
#include "vm/value/hs_code.h"

namespace daliz {
namespace {

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
  bool paired = (cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF) || shifted ||
                (cp >= 0x4D0 && cp <= 0x4FF);
  if (!paired) return cp;
  bool isUpper = shifted ? (cp % 2 == 1) : (cp % 2 == 0);
  if (upper && !isUpper) return cp - 1;
  if (!upper && isUpper) return cp + 1;
  return cp;
}

void changeCaseInto(std::string_view in, std::string& out, bool upper) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      out += static_cast<char>(upper ? (c >= 'a' && c <= 'z' ? c - 32 : c)
                                     : (c >= 'A' && c <= 'Z' ? c + 32 : c));
      continue;
    }
    if (c >= 0xD0 && c <= 0xD3 && i + 1 < in.size()) {
      uint32_t cp =
          cyrillicCase(((c & 0x1F) << 6) | (static_cast<unsigned char>(in[i + 1]) & 0x3F), upper);
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
      ++i;
      continue;
    }
    out += static_cast<char>(c);
  }
}

}  // namespace

Value tableLookup(ExecContext& cx, uint16_t table, const Value* keys) {
  const TableSpec& t = cx.program.program.tables[table];
  const TableIndex& index = cx.program.tables[table];
  for (size_t k = 0; k < t.keyKinds.size(); ++k)
    if (keys[k].missing) return Value::none();
  auto find = [&](const Value* hsOverride) -> const Value* {
    cx.key.clear();
    for (size_t k = 0; k < t.keyKinds.size(); ++k)
      appendTableKey(cx.key,
                     static_cast<int>(k) == index.hsKey && hsOverride ? *hsOverride : keys[k],
                     t.keyKinds[k]);
    auto it = index.rows.find(cx.key);
    return it == index.rows.end() ? nullptr : &it->second;
  };
  if (index.hsKey < 0) {
    const Value* v = find(nullptr);
    return v ? *v : Value::none();
  }
  uint64_t code = static_cast<uint64_t>(keys[index.hsKey].i);
  for (uint8_t len : index.hsLengths) {
    auto prefix = hsPrefix(code, len);
    if (!prefix) continue;
    Value p = Value::ofInt(static_cast<int64_t>(*prefix));
    if (const Value* v = find(&p)) return *v;
  }
  return Value::none();
}

Value changeCase(ExecContext& cx, const Value& s, bool upper) {
  if (s.missing) return Value::none();
  if (cx.scratchUsed == cx.scratchStrings.size()) cx.scratchStrings.emplace_back();
  std::string& out = cx.scratchStrings[cx.scratchUsed++];
  changeCaseInto(view(s.s), out, upper);
  return Value::ofStr(out.data(), static_cast<uint32_t>(out.size()));
}

bool inIntSet(const SetSpec& set, int64_t v) {
  return std::binary_search(set.ints.begin(), set.ints.end(), v);
}

bool inHsSet(const HsSetIndex& set, uint64_t code) {
  for (const auto& byLength : set.lengths) {
    auto prefix = hsPrefix(code, byLength.length);
    if (!prefix) continue;
    uint64_t digits = *prefix >> 4;
    auto it = std::upper_bound(byLength.ranges.begin(), byLength.ranges.end(),
                               std::make_pair(digits, UINT64_MAX));
    if (it != byLength.ranges.begin() && std::prev(it)->second >= digits) return true;
  }
  return false;
}

bool inStringSet(const SetSpec& set, std::string_view v) {
  auto it = std::lower_bound(
      set.strings.begin(), set.strings.end(), v,
      [](const std::string& a, std::string_view b) { return std::string_view(a) < b; });
  return it != set.strings.end() && *it == v;
}

bool matchesRegex(const ExecContext& cx, uint16_t regex, Str s) {
  return RE2::PartialMatch(re2::StringPiece(s.data, s.size), *cx.program.regexes[regex]);
}

int64_t codePoints(Str s) {
  int64_t n = 0;
  for (uint32_t i = 0; i < s.size; ++i)
    if ((static_cast<unsigned char>(s.data[i]) & 0xC0) != 0x80) ++n;
  return n;
}

void appendReasonText(ExecContext& cx, uint16_t constant) {
  cx.currentText() += cx.program.program.constants[constant].s;
}

namespace {

// A present value as a reason shows it (spec section 8); the sample key uses the same text.
void renderValue(std::string& out, const ExecContext& cx, const Value& v, RenderKind kind,
                 uint16_t enumIndex) {
  switch (kind) {
    case RenderKind::Int:
      out += std::to_string(v.i);
      break;
    case RenderKind::Decimal:
      out += toString(Decimal{v.d});
      break;
    case RenderKind::Money:
      out += toMoneyString(Decimal{v.d});
      break;
    case RenderKind::Date:
      out += toString(Date{static_cast<int32_t>(v.i)});
      break;
    case RenderKind::String:
      out.append(v.s.data, v.s.size);
      break;
    case RenderKind::Hs:
      out += decodeHs(static_cast<uint64_t>(v.i));
      break;
    case RenderKind::Country:
      out += countryCode(static_cast<uint16_t>(v.i));
      break;
    case RenderKind::Currency:
      out += currencyCode(static_cast<uint16_t>(v.i));
      break;
    case RenderKind::Enum: {
      const auto& values = cx.program.program.schema.enums[enumIndex].values;
      if (v.i >= 0 && static_cast<size_t>(v.i) < values.size())
        out += values[static_cast<size_t>(v.i)];
      break;
    }
    case RenderKind::Bool:
      out += v.i ? "true" : "false";
      break;
  }
}

}  // namespace

void appendReasonValue(ExecContext& cx, const Value& v, RenderKind kind, uint16_t enumIndex) {
  std::string& text = cx.currentText();  // the reason, or a notice's text (TEXT)
  if (v.missing) {
    text += "missing";
    return;
  }
  renderValue(text, cx, v, kind, enumIndex);
}

void recordHit(ExecContext& cx) {
  cx.hit = true;
  if (!cx.out) return;
  Hit h;
  h.profile = cx.profileIndex;
  if (cx.frame.item) h.item = cx.itemNo;
  h.reason = cx.reason;
  if (cx.profile && cx.profile->noticeLanguages)
    for (uint8_t l = 0; l < kNoticeLanguageCount; ++l)
      if (cx.profile->noticeLanguages >> l & 1) h.notice.push_back({l, cx.notice[l]});
  cx.out->hits.push_back(std::move(h));
}

bool sampledObject(uint64_t seed, std::string_view profileId, std::string_view declarationId,
                   int64_t itemNo, uint32_t basisPoints) {
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

bool inSample(const ExecContext& cx) {
  const ProfileSpec* p = cx.profile;
  return p && sampledObject(cx.program.program.seed, p->id, cx.declarationId,
                            cx.frame.item ? cx.itemNo : 0, p->sampleBasisPoints);
}

namespace {

// Starts the running object's sample key, when this run has none yet: the bundle seed (8 bytes,
// little-endian), the profile id, then 0x01 where the draw without a key has 0x00.
XXH64_state_t& openSampleKey(ExecContext& cx) {
  XXH64_state_t& state = *cx.sampleKey;
  if (!cx.sampleKeyOpen) {
    cx.sampleKeyOpen = true;
    XXH64_reset(&state, 0);
    unsigned char seed[8];
    for (int i = 0; i < 8; ++i)
      seed[i] = static_cast<unsigned char>((cx.program.program.seed >> (8 * i)) & 0xFF);
    XXH64_update(&state, seed, sizeof seed);
    std::string_view id = cx.profile ? std::string_view(cx.profile->id) : std::string_view();
    XXH64_update(&state, id.data(), id.size());
    const unsigned char keyed = 0x01;
    XXH64_update(&state, &keyed, 1);
  }
  return state;
}

// One part of the key: 0x00 for a missing value; else 0x01, the text's length (4 bytes,
// little-endian), the text.
void addKeyPart(ExecContext& cx, const std::string* text) {
  XXH64_state_t& state = openSampleKey(cx);
  if (text == nullptr) {
    const unsigned char missing = 0x00;
    XXH64_update(&state, &missing, 1);
    return;
  }
  const uint32_t n = static_cast<uint32_t>(std::min<size_t>(text->size(), UINT32_MAX));
  unsigned char head[5] = {
      0x01, static_cast<unsigned char>(n & 0xFF), static_cast<unsigned char>((n >> 8) & 0xFF),
      static_cast<unsigned char>((n >> 16) & 0xFF), static_cast<unsigned char>((n >> 24) & 0xFF)};
  XXH64_update(&state, head, sizeof head);
  XXH64_update(&state, text->data(), n);
}

std::string twoDigits(int v) {
  std::string s;
  s += static_cast<char>('0' + v / 10 % 10);
  s += static_cast<char>('0' + v % 10);
  return s;
}

std::string fourDigits(int v) {
  std::string s = twoDigits(v / 100);
  s += twoDigits(v % 100);
  return s;
}

}  // namespace

std::string samplePeriodText(Date d, SamplePeriod period) {
  switch (period) {
    case SamplePeriod::Day:
      return toString(d);
    case SamplePeriod::Week: {
      // ISO 8601: the week belongs to the year of its Thursday.
      Date thursday{d.days + (4 - weekday(d))};
      int y = year(thursday);
      int week = (thursday.days - fromYmd(y, 1, 1).days) / 7 + 1;
      std::string s = fourDigits(y);
      s += "-W";
      s += twoDigits(week);
      return s;
    }
    case SamplePeriod::Month: {
      std::string s = fourDigits(year(d));
      s += '-';
      s += twoDigits(month(d));
      return s;
    }
    case SamplePeriod::Year:
      return fourDigits(year(d));
  }
  return toString(d);
}

void addSampleKey(ExecContext& cx, const Value& v, RenderKind kind, uint16_t enumIndex) {
  if (v.missing) return addKeyPart(cx, nullptr);
  thread_local std::string text;  // reused: no allocation per key part
  text.clear();
  renderValue(text, cx, v, kind, enumIndex);
  addKeyPart(cx, &text);
}

void addSamplePeriod(ExecContext& cx, const Value& date, SamplePeriod period) {
  // Not a calendar date (only a crafted bundle's int gets here): as missing.
  if (date.missing || date.i < kMinDate.days || date.i > kMaxDate.days)
    return addKeyPart(cx, nullptr);
  thread_local std::string text;
  text = samplePeriodText(Date{static_cast<int32_t>(date.i)}, period);
  addKeyPart(cx, &text);
}

bool inKeyedSample(ExecContext& cx) {
  const ProfileSpec* p = cx.profile;
  XXH64_state_t& state = openSampleKey(cx);  // a draw with no key part: the empty key
  cx.sampleKeyOpen = false;
  return p && XXH64_digest(&state) % 10000 < p->sampleBasisPoints;
}

}  // namespace daliz

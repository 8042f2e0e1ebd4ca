#include "vm/decode/declaration_decoder.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <utility>
#include <vector>

#include "vm/value/keyed_hash.h"
#include "vm/value/scalar.h"

// How this works. simdjson's On Demand API reads the line in document order; we walk it once,
// building each record's cells as its fields go by, and we touch every value, known or not,
// so that the whole line is checked as JSON (On Demand only checks what is read; numbers are
// checked here against the JSON grammar because On Demand hands out their raw text as is).
// Numbers are never read through double: decimals come from the raw token text.
//
// Two kinds of failure:
//  - the line is not JSON (simdjson reports an error, or a number/literal is malformed):
//    the walk stops at once and the result is "not JSON: … at byte N" without an id;
//  - the line is JSON but a value is wrong for the schema: the first such error is kept, and
//    the walk goes on without building anything, to check the rest of the line as JSON and
//    to find the declaration's id wherever it stands.

namespace daliz {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

// Cap on the schema depth, for schemas whose records nest recursively.
constexpr uint32_t kDepthCap = static_cast<uint32_t>(limits::kDeclarationDepth);

// The shared empty list: an empty JSON array, or an absent or null optional list field.
constexpr ListValue kEmptyList{0, nullptr};

Value recordValue(const Value* cells) {
  Value x = Value::ofInt(0);
  x.rec = cells;
  return x;
}

Value listValue(const ListValue* list) {
  Value x = Value::ofInt(0);
  x.list = list;
  return x;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool isStructural(char c) {
  return c == '{' || c == '}' || c == '[' || c == ']' || c == '"' || c == ',' || c == ':';
}

std::string_view trimRight(std::string_view s) {
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 8259 number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
bool isJsonNumber(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n) return false;
  if (s[i] == '0') {
    ++i;
  } else if (s[i] >= '1' && s[i] <= '9') {
    while (i < n && isDigit(s[i])) ++i;
  } else {
    return false;
  }
  if (i < n && s[i] == '.') {
    const size_t start = ++i;
    while (i < n && isDigit(s[i])) ++i;
    if (i == start) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t start = i;
    while (i < n && isDigit(s[i])) ++i;
    if (i == start) return false;
  }
  return i == n;
}

// A valid JSON number without fraction or exponent.
bool isJsonInteger(std::string_view s) {
  return isJsonNumber(s) && s.find_first_of(".eE") == std::string_view::npos;
}

// What an int field accepts from a string: an optional '-' and one or more ASCII digits.
bool isIntegerString(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  return !s.empty() && std::all_of(s.begin(), s.end(), isDigit);
}

// Text already shaped as -?[0-9]+; nullopt when it does not fit int64.
std::optional<int64_t> toInt64(std::string_view s) {
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  uint64_t v = 0;
  for (char c : s) {
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (v > (limit - digit) / 10) return std::nullopt;
    v = v * 10 + digit;
  }
  if (negative) return v == (uint64_t{1} << 63) ? INT64_MIN : -static_cast<int64_t>(v);
  return static_cast<int64_t>(v);
}

// The shape of a date, whether or not the day exists: four, two and two ASCII digits.
bool looksLikeDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!isDigit(s[i])) return false;
  return true;
}

// The scalar parser's hint as the messages add it: ` (a decimal comma; write 0.5)`.
std::string hinted(const ScalarError& err) { return err.hint.empty() ? "" : " (" + err.hint + ")"; }

constexpr size_t kShownBytes = 64;

// Cuts s to at most kShownBytes without splitting a UTF-8 sequence.
std::string_view clipped(std::string_view s, bool& cut) {
  cut = s.size() > kShownBytes;
  if (!cut) return s;
  size_t n = kShownBytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

// Appends s with quotes, backslashes and control characters escaped as in JSON, so an error
// message is always one line of text.
void appendEscaped(std::string& out, std::string_view s) {
  static const char* const kHex = "0123456789abcdef";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20 || u == 0x7f) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
}

// A JSON string value as shown in an error: "61A9", cut after 64 bytes with "…".
std::string quoted(std::string_view s) {
  bool cut = false;
  std::string out = "\"";
  appendEscaped(out, clipped(s, cut));
  if (cut) out += "\xE2\x80\xA6";
  out += '"';
  return out;
}

// A JSON number (raw text) as shown in an error.
std::string shownNumber(std::string_view s) {
  bool cut = false;
  std::string out(clipped(s, cut));
  if (cut) out += "\xE2\x80\xA6";
  return out;
}

// A scalar as the input holds it, whatever the input is: a JSON token, or a value set in code
// (input_record.h). Both are converted by DeclarationDecoder::Impl::convert, so a value gets
// the same checks and the same message from either.
struct Scalar {
  enum class Type : uint8_t { String, Number, Bool };
  Type type = Type::String;
  std::string_view text;  // a string's content, or a number's text as written
  bool flag = false;      // Bool
};

// Whether a field of kind k takes a scalar of type t at all (if not: "expected …, got …").
bool accepts(FieldKind k, Scalar::Type t) {
  switch (k) {
    case FieldKind::Bool:
      return t == Scalar::Type::Bool;
    case FieldKind::Int:
    case FieldKind::Decimal:
    case FieldKind::Money:
      return t != Scalar::Type::Bool;
    case FieldKind::Record:
    case FieldKind::List:
      return false;
    default:
      return t == Scalar::Type::String;
  }
}

// What a null record pointer in an InputValue reads as (a record with no fields). A reference
// to it, not a temporary: `cond ? InputRecord{} : *p` would copy *p.
const InputRecord kEmptyInput;

// A value set in code as messages show it: as the JSON walk shows the same JSON value.
std::string shownInput(const InputValue& v) {
  switch (v.kind) {
    case InputValue::Kind::String:
      return quoted(std::string_view(v.text));
    case InputValue::Kind::Integer:
      return std::to_string(v.integer);
    case InputValue::Kind::Bool:
      return v.integer ? "true" : "false";
    case InputValue::Kind::Record:
      return "an object";
    case InputValue::Kind::List:
      return "an array";
  }
  return "a value";
}

// ---- diagnosis of malformed lines (error path only) ----

struct Diagnosis {
  std::string text;
  size_t at;
};

// Offset of the first byte that is not part of valid UTF-8 (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF); n when there is none.
size_t firstInvalidUtf8(const unsigned char* s, size_t n) {
  size_t i = 0;
  while (i < n) {
    const unsigned c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (s[i + 1] < lo || s[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k)
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
    i += len;
  }
  return n;
}

// Finds a structural fault simdjson reports without a usable position: an unterminated
// string, a control character in a string, a mismatched or unclosed bracket, or content after
// the top-level value. nullopt when the brackets and strings are in order.
std::optional<Diagnosis> scanStructure(const char* s, size_t n) {
  std::vector<std::pair<char, size_t>> open;
  bool valueDone = false;  // a complete top-level value has been read
  size_t i = 0;
  while (i < n) {
    const char c = s[i];
    if (isSpace(c)) {
      ++i;
      continue;
    }
    if (valueDone) return Diagnosis{"trailing content after the JSON value", i};
    if (c == '"') {
      const size_t start = i++;
      for (;;) {
        if (i >= n) return Diagnosis{"unterminated string", start};
        if (s[i] == '\\') {
          i += 2;
          continue;
        }
        if (s[i] == '"') break;
        if (static_cast<unsigned char>(s[i]) < 0x20)
          return Diagnosis{"unescaped control character in a string", i};
        ++i;
      }
      ++i;
      if (open.empty()) valueDone = true;
      continue;
    }
    if (c == '{' || c == '[') {
      open.emplace_back(c, i++);
      continue;
    }
    if (c == '}' || c == ']') {
      if (open.empty() || open.back().first != (c == '}' ? '{' : '['))
        return Diagnosis{std::string("unexpected '") + c + "'", i};
      open.pop_back();
      ++i;
      if (open.empty()) valueDone = true;
      continue;
    }
    // Anything else: a ',' or ':', or a scalar token.
    if (open.empty()) {
      if (c == ',' || c == ':') return Diagnosis{std::string("unexpected '") + c + "'", i};
      while (i < n && !isSpace(s[i]) && !isStructural(s[i])) ++i;
      valueDone = true;
      continue;
    }
    ++i;
  }
  if (!open.empty())
    return Diagnosis{std::string("unclosed '") + open.back().first + "'", open.back().second};
  return std::nullopt;
}

// name → field index of one record: open addressing over a power-of-two table.
class FieldMap {
 public:
  explicit FieldMap(const RecordSpec& r) {
    size_t size = 8;
    while (size < r.fields.size() * 2) size <<= 1;
    slots_.assign(size, -1);
    mask_ = size - 1;
    for (size_t i = 0; i < r.fields.size(); ++i) {
      if (find(r.fields[i].name, r) >= 0) continue;  // a repeated name: the first one counts
      size_t h = hash(r.fields[i].name) & mask_;
      while (slots_[h] >= 0) h = (h + 1) & mask_;
      slots_[h] = static_cast<int32_t>(i);
    }
  }

  int32_t find(std::string_view key, const RecordSpec& r) const {
    for (size_t h = hash(key) & mask_;; h = (h + 1) & mask_) {
      const int32_t i = slots_[h];
      if (i < 0 || r.fields[static_cast<size_t>(i)].name == key) return i;
    }
  }

 private:
  // The whole name, seeded per process: a bundle whose field names were crafted to collide
  // (equal in length and in some bytes) cannot make decoding quadratic (vm/value/keyed_hash.h).
  static size_t hash(std::string_view s) { return KeyedHash{}(s); }
  std::vector<int32_t> slots_;
  size_t mask_ = 0;
};

}  // namespace

struct DeclarationDecoder::Impl {
  explicit Impl(const Schema& s);
  Result decode(std::string_view line, Arena& arena);
  Result decode(const InputRecord& record, Arena& arena);

  // ---- schema ----
  const Schema& schema;
  std::vector<FieldMap> maps;
  std::vector<std::string> enumExpected;  // per enum: "expected low, medium or high"
  uint32_t maxDepth = 1;
  std::string depthMessage;

  // ---- reused between lines ----
  od::parser parser{kMaxDeclarationBytes};
  od::document doc;
  std::unique_ptr<char[]> buffer;
  size_t bufferSize = 0;
  struct Frame {
    std::string_view name;  // a field name, or "" for a list element
    int64_t index;          // the list element's index, or -1
  };
  // Where the walk is, for error messages: one frame per open object field or array element.
  // The walk never goes deeper than maxDepth + 1 <= kDepthCap + 1 levels, so a fixed array
  // holds it; the check below is belt and braces.
  struct Path {
    static constexpr size_t kCapacity = 2 * kDepthCap + 8;
    Frame frames[kCapacity];
    size_t size = 0;
    void push_back(Frame f) {
      if (size < kCapacity) frames[size] = f;
      ++size;
    }
    void pop_back() { --size; }
    void clear() { size = 0; }
    const Frame* begin() const { return frames; }
    const Frame* end() const { return frames + std::min(size, kCapacity); }
  };
  Path path;
  std::vector<uint8_t> seen;              // per open record: which fields were read
  std::vector<const Value*> listScratch;  // elements of the open lists

  // ---- per line ----
  Arena* arena = nullptr;
  const char* text = nullptr;
  size_t length = 0;
  bool failed = false;  // a schema error was found (error holds the first)
  std::string error;
  std::string syntaxError;  // set when the line turned out not to be JSON
  bool captureId = false;   // the next string read is the root id
  std::optional<std::string> id;
  uint32_t listElements = 0;

  // ---- errors ----
  void fail(std::string_view message);
  std::string renderPath() const;
  bool syntax(error_code e);
  bool syntaxAt(std::string_view message, const char* at);
  size_t offsetOf(const char* p) const {
    return p >= text && p <= text + length ? static_cast<size_t>(p - text) : length;
  }

  // ---- reading scalars (false: not JSON) ----
  bool readString(od::value& v, std::string_view& out);
  bool readKey(od::field& field, std::string_view& out);
  bool readNumber(od::value& v, std::string_view& out);
  bool readBool(od::value& v, bool& out);
  bool readNull(od::value& v);

  // ---- the walk (false: not JSON, stop) ----
  bool decodeObject(od::object& obj, uint32_t record, uint32_t level, bool isRoot,
                    const Value*& cells);
  bool decodeField(od::value& v, const FieldSpec& f, Value& out, uint32_t level);
  bool decodeList(od::value& v, const FieldSpec& f, Value& out, uint32_t level);
  // Makes the list of the elements listScratch holds from `base` on into `out` (unless a field
  // failed), and drops them from listScratch.
  void finishList(size_t base, Value& out);
  bool mismatch(od::value& v, od::json_type t, uint32_t level, std::string_view expected);
  // What a field of f's kind expects, as messages say it ("expected an integer").
  std::string_view expected(const FieldSpec& f) const;
  // Converts a scalar the field accepts (accepts(f.kind, s.type)) into `out`, or fails.
  void convert(const FieldSpec& f, const Scalar& s, Value& out);
  // ---- the walk over a record built in code (no JSON) ----
  void decodeInput(const InputRecord& r, uint32_t record, uint32_t level, const Value*& cells);
  void decodeInputField(const InputValue& v, const FieldSpec& f, Value& out, uint32_t level);
  void decodeInputList(const InputValue& v, const FieldSpec& f, Value& out, uint32_t level);
  Result finish(const Value* root);
  void begin(Arena& a);
  bool validate(od::value& v, uint32_t level);
  bool validateRoot(od::json_type t);
  Str copy(std::string_view s);
};

DeclarationDecoder::Impl::Impl(const Schema& s) : schema(s) {
  if (s.root >= s.records.size()) throw std::invalid_argument("schema: root record out of range");
  for (const RecordSpec& r : s.records) {
    for (const FieldSpec& f : r.fields) {
      const bool isRef = f.kind == FieldKind::Record || f.kind == FieldKind::List;
      if ((isRef && f.ref >= s.records.size()) ||
          (f.kind == FieldKind::Enum && f.ref >= s.enums.size()))
        throw std::invalid_argument("schema: field " + r.name + "." + f.name +
                                    " refers out of range");
    }
    maps.emplace_back(r);
  }
  for (const EnumSpec& e : s.enums) {
    std::string m = "expected ";
    for (size_t i = 0; i < e.values.size(); ++i) {
      if (i > 0) m += i + 1 == e.values.size() ? " or " : ", ";
      m += e.values[i];
    }
    enumExpected.push_back(std::move(m));
  }
  // The schema's depth in objects and arrays: a record is one level, a list one more.
  std::vector<uint32_t> depth(s.records.size(), 0);  // 0: not computed
  std::vector<uint8_t> onStack(s.records.size(), 0);
  auto depthOf = [&](auto& self, uint32_t r) -> uint32_t {
    if (depth[r] != 0) return depth[r];
    if (onStack[r]) return kDepthCap;  // recursive records: cap
    onStack[r] = 1;
    uint32_t d = 1;
    for (const FieldSpec& f : s.records[r].fields) {
      if (f.kind == FieldKind::Record) d = std::max(d, 1 + self(self, f.ref));
      if (f.kind == FieldKind::List) d = std::max(d, 2 + self(self, f.ref));
    }
    onStack[r] = 0;
    return depth[r] = std::min(d, kDepthCap);
  };
  maxDepth = depthOf(depthOf, s.root);
  depthMessage = "nested deeper than the schema allows (" + std::to_string(maxDepth) +
                 " levels of objects and arrays)";
  listScratch.reserve(256);
  size_t fields = 0;
  for (const RecordSpec& r : s.records) fields += r.fields.size();
  seen.reserve(fields * 2 + 64);
}

// ---- errors ----

std::string DeclarationDecoder::Impl::renderPath() const {
  std::string p;
  for (const Frame& f : path) {
    if (f.index >= 0) {
      p += '[';
      p += std::to_string(f.index);
      p += ']';
    } else {
      if (!p.empty()) p += '.';
      appendEscaped(p, f.name);
    }
  }
  return p;
}

void DeclarationDecoder::Impl::fail(std::string_view message) {
  if (failed) return;
  failed = true;
  error = renderPath();
  if (!error.empty()) error += ": ";
  error += message;
}

bool DeclarationDecoder::Impl::syntaxAt(std::string_view message, const char* at) {
  syntaxError = std::string(message) + " at byte " + std::to_string(offsetOf(at));
  return false;
}

bool DeclarationDecoder::Impl::syntax(error_code e) {
  // Faults in strings and brackets get a precise position from a scan of the line; other
  // faults are placed where simdjson stopped.
  if (auto d = scanStructure(text, length)) {
    syntaxError = d->text + " at byte " + std::to_string(d->at);
    return false;
  }
  syntaxError = simdjson::error_message(e);
  const char* at = nullptr;
  if (doc.current_location().get(at) == simdjson::SUCCESS) {
    syntaxError += " at byte ";
    syntaxError += std::to_string(offsetOf(at));
  }
  return false;
}

// ---- scalars ----

bool DeclarationDecoder::Impl::readString(od::value& v, std::string_view& out) {
  const char* at = v.raw_json_token().data();
  if (error_code e = v.get_string().get(out))
    return e == simdjson::STRING_ERROR ? syntaxAt("invalid escape in a string", at) : syntax(e);
  if (captureId) {
    id = std::string(out);
    captureId = false;
  }
  return true;
}

bool DeclarationDecoder::Impl::readKey(od::field& field, std::string_view& out) {
  const char* at = field.key().raw() - 1;  // the opening quote
  if (error_code e = field.unescaped_key().get(out))
    return e == simdjson::STRING_ERROR ? syntaxAt("invalid escape in a string", at) : syntax(e);
  return true;
}

bool DeclarationDecoder::Impl::readNumber(od::value& v, std::string_view& out) {
  out = trimRight(v.raw_json_token());
  if (!isJsonNumber(out)) return syntaxAt("invalid number", out.data());
  return true;
}

bool DeclarationDecoder::Impl::readBool(od::value& v, bool& out) {
  const char* at = v.raw_json_token().data();
  if (v.get_bool().get(out) != simdjson::SUCCESS) return syntaxAt("invalid literal", at);
  return true;
}

bool DeclarationDecoder::Impl::readNull(od::value& v) {
  const char* at = v.raw_json_token().data();
  bool isNull = false;
  if (v.is_null().get(isNull) != simdjson::SUCCESS || !isNull)
    return syntaxAt("invalid literal", at);
  return true;
}

Str DeclarationDecoder::Impl::copy(std::string_view s) {
  if (s.empty()) return Str{"", 0};
  char* p = arena->bytes(s.size());
  std::memcpy(p, s.data(), s.size());
  return Str{p, static_cast<uint32_t>(s.size())};
}

// ---- the walk ----

bool DeclarationDecoder::Impl::validate(od::value& v, uint32_t level) {
  od::json_type t;
  if (error_code e = v.type().get(t)) return syntax(e);
  switch (t) {
    case od::json_type::object: {
      captureId = false;
      if (level > maxDepth) {
        fail(depthMessage);
        return true;  // left unread: On Demand skips it
      }
      od::object obj;
      if (error_code e = v.get_object().get(obj)) return syntax(e);
      for (auto member : obj) {
        od::field field;
        if (error_code e = std::move(member).get(field)) return syntax(e);
        std::string_view key;
        if (!readKey(field, key)) return false;
        path.push_back({key, -1});
        const bool ok = validate(field.value(), level + 1);
        path.pop_back();
        if (!ok) return false;
      }
      return true;
    }
    case od::json_type::array: {
      captureId = false;
      if (level > maxDepth) {
        fail(depthMessage);
        return true;
      }
      od::array arr;
      if (error_code e = v.get_array().get(arr)) return syntax(e);
      int64_t k = 0;
      for (auto element : arr) {
        od::value ev;
        if (error_code e = std::move(element).get(ev)) return syntax(e);
        path.push_back({{}, k++});
        const bool ok = validate(ev, level + 1);
        path.pop_back();
        if (!ok) return false;
      }
      return true;
    }
    case od::json_type::string: {
      std::string_view s;
      return readString(v, s);
    }
    case od::json_type::number: {
      std::string_view s;
      return readNumber(v, s);
    }
    case od::json_type::boolean: {
      bool b;
      return readBool(v, b);
    }
    case od::json_type::null:
      return readNull(v);
  }
  return syntax(simdjson::TAPE_ERROR);
}

bool DeclarationDecoder::Impl::mismatch(od::value& v, od::json_type t, uint32_t level,
                                        std::string_view expected) {
  std::string got;
  switch (t) {
    case od::json_type::object:
    case od::json_type::array:
      fail(std::string(expected) +
           (t == od::json_type::object ? ", got an object" : ", got an array"));
      return validate(v, level);
    case od::json_type::string: {
      std::string_view s;
      if (!readString(v, s)) return false;
      got = quoted(s);
      break;
    }
    case od::json_type::number: {
      std::string_view s;
      if (!readNumber(v, s)) return false;
      got = shownNumber(s);
      break;
    }
    case od::json_type::boolean: {
      bool b;
      if (!readBool(v, b)) return false;
      got = b ? "true" : "false";
      break;
    }
    case od::json_type::null:
      if (!readNull(v)) return false;
      got = "null";
      break;
  }
  fail(std::string(expected) + ", got " + got);
  return true;
}

std::string_view DeclarationDecoder::Impl::expected(const FieldSpec& f) const {
  switch (f.kind) {
    case FieldKind::Bool:
      return "expected true or false";
    case FieldKind::Int:
      return "expected an integer";
    case FieldKind::Decimal:
    case FieldKind::Money:
      return "expected a number";
    case FieldKind::String:
      return "expected a string";
    case FieldKind::Code:
      return "expected a code string";
    case FieldKind::Date:
      return "expected a date \"YYYY-MM-DD\"";
    case FieldKind::Hs:
      return "expected an HS code string";
    case FieldKind::Country:
      return "expected a country code string";
    case FieldKind::Currency:
      return "expected a currency code string";
    case FieldKind::Enum:
      return enumExpected[f.ref];
    case FieldKind::Record:
      return "expected an object";
    case FieldKind::List:
      return "expected an array";
  }
  return "expected a value";
}

void DeclarationDecoder::Impl::convert(const FieldSpec& f, const Scalar& sc, Value& out) {
  const std::string_view s = sc.text;
  const bool isString = sc.type == Scalar::Type::String;
  auto shown = [&] { return isString ? quoted(s) : shownNumber(s); };
  switch (f.kind) {
    case FieldKind::Bool:
      out = Value::ofInt(sc.flag ? 1 : 0);
      return;

    case FieldKind::Int: {
      if (isString ? !isIntegerString(s) : !isJsonInteger(s))
        return fail("expected an integer, got " + shown());
      const auto i = toInt64(s);
      if (!i) return fail("integer out of range, got " + shown());
      out = Value::ofInt(*i);
      return;
    }

    case FieldKind::Decimal:
    case FieldKind::Money: {
      ScalarError err;
      const auto d = parseDecimalText(s, &err);
      if (!d)
        return fail((err.why == "not a number" ? std::string("expected a number") : err.why) +
                    ", got " + shown() + hinted(err));
      out = Value::ofDec(d->units);
      return;
    }

    case FieldKind::String:
    case FieldKind::Code: {
      const Str str = copy(s);
      out = Value::ofStr(str.data, str.size);
      return;
    }

    case FieldKind::Date: {
      ScalarError err;
      const auto d = parseDateText(s, &err);
      if (!d)
        return fail(looksLikeDate(s)
                        ? "not a valid date " + quoted(s)
                        : "expected a date \"YYYY-MM-DD\", got " + quoted(s) + hinted(err));
      out = Value::ofInt(d->days);
      return;
    }

    case FieldKind::Hs: {
      ScalarError err;
      const auto code = parseHsText(s, &err);
      if (!code) return fail(err.why + ", got " + quoted(s) + hinted(err));
      out = Value::ofInt(static_cast<int64_t>(*code));
      return;
    }

    case FieldKind::Country: {
      ScalarError err;
      const auto index = parseCountryText(s, &err);
      if (!index) return fail("not an ISO 3166 country code " + quoted(s) + hinted(err));
      out = Value::ofInt(*index);
      return;
    }

    case FieldKind::Currency: {
      ScalarError err;
      const auto index = parseCurrencyText(s, &err);
      if (!index) return fail("not an ISO 4217 currency code " + quoted(s) + hinted(err));
      out = Value::ofInt(*index);
      return;
    }

    case FieldKind::Enum: {
      const auto& values = schema.enums[f.ref].values;
      const auto it = std::find(values.begin(), values.end(), s);
      if (it == values.end()) return fail(enumExpected[f.ref] + ", got " + quoted(s));
      out = Value::ofInt(it - values.begin());
      return;
    }

    case FieldKind::Record:
    case FieldKind::List:
      break;  // never a scalar: accepts() is false
  }
}

bool DeclarationDecoder::Impl::decodeField(od::value& v, const FieldSpec& f, Value& out,
                                           uint32_t level) {
  od::json_type t;
  if (error_code e = v.type().get(t)) return syntax(e);
  if (t == od::json_type::null) {
    if (!readNull(v)) return false;
    if (f.kind == FieldKind::List && f.optional) {
      out = listValue(&kEmptyList);
    } else {
      out = Value::none();
      if (!f.optional) fail("required field is missing");
    }
    return true;
  }

  if (f.kind == FieldKind::Record) {
    if (t != od::json_type::object) return mismatch(v, t, level, expected(f));
    captureId = false;
    if (level > maxDepth) {
      fail(depthMessage);
      return true;
    }
    od::object obj;
    if (error_code e = v.get_object().get(obj)) return syntax(e);
    const Value* cells = nullptr;
    if (!decodeObject(obj, f.ref, level, false, cells)) return false;
    if (cells) out = recordValue(cells);
    return true;
  }
  if (f.kind == FieldKind::List) {
    if (t != od::json_type::array) return mismatch(v, t, level, expected(f));
    return decodeList(v, f, out, level);
  }

  Scalar sc;
  switch (t) {
    case od::json_type::string:
      sc.type = Scalar::Type::String;
      break;
    case od::json_type::number:
      sc.type = Scalar::Type::Number;
      break;
    case od::json_type::boolean:
      sc.type = Scalar::Type::Bool;
      break;
    default:
      return mismatch(v, t, level, expected(f));  // an object or an array
  }
  if (!accepts(f.kind, sc.type)) return mismatch(v, t, level, expected(f));
  switch (sc.type) {
    case Scalar::Type::String:
      if (!readString(v, sc.text)) return false;
      break;
    case Scalar::Type::Number:
      if (!readNumber(v, sc.text)) return false;
      break;
    case Scalar::Type::Bool:
      if (!readBool(v, sc.flag)) return false;
      break;
  }
  convert(f, sc, out);
  return true;
}

void DeclarationDecoder::Impl::finishList(size_t base, Value& out) {
  if (!failed) {
    const size_t n = listScratch.size() - base;
    if (n == 0) {
      out = listValue(&kEmptyList);
    } else {
      const Value** items = arena->pointers(n);
      std::copy(listScratch.begin() + static_cast<std::ptrdiff_t>(base), listScratch.end(), items);
      ListValue* list = arena->list();
      list->size = static_cast<uint32_t>(n);
      list->items = items;
      out = listValue(list);
    }
  }
  listScratch.resize(base);
}

bool DeclarationDecoder::Impl::decodeList(od::value& v, const FieldSpec& f, Value& out,
                                          uint32_t level) {
  captureId = false;
  if (level + 1 > maxDepth) {
    fail(depthMessage);
    return true;
  }
  od::array arr;
  if (error_code e = v.get_array().get(arr)) return syntax(e);
  const size_t base = listScratch.size();
  int64_t k = 0;
  for (auto element : arr) {
    od::value ev;
    if (error_code e = std::move(element).get(ev)) return syntax(e);
    path.push_back({{}, k++});
    bool ok = true;
    if (failed) {
      ok = validate(ev, level + 1);
    } else if (listElements >= kMaxListElements) {
      fail("too many list elements (at most " + std::to_string(kMaxListElements) +
           " in a declaration)");
      ok = validate(ev, level + 1);
    } else {
      ++listElements;
      od::json_type t;
      if (error_code e = ev.type().get(t)) return syntax(e);
      if (t != od::json_type::object) {
        ok = mismatch(ev, t, level + 1, "expected an object");
      } else {
        od::object obj;
        if (error_code e = ev.get_object().get(obj)) return syntax(e);
        const Value* cells = nullptr;
        ok = decodeObject(obj, f.ref, level + 1, false, cells);
        if (ok && cells) listScratch.push_back(cells);
      }
    }
    path.pop_back();
    if (!ok) return false;
  }
  finishList(base, out);
  return true;
}

bool DeclarationDecoder::Impl::decodeObject(od::object& obj, uint32_t record, uint32_t level,
                                            bool isRoot, const Value*& cells) {
  const RecordSpec& spec = schema.records[record];
  const FieldMap& map = maps[record];
  const size_t n = spec.fields.size();
  Value* out = failed ? nullptr : arena->values(n);
  const size_t seenBase = seen.size();
  seen.resize(seenBase + n, 0);

  for (auto member : obj) {
    od::field field;
    if (error_code e = std::move(member).get(field)) return syntax(e);
    std::string_view key;
    if (!readKey(field, key)) return false;
    const int32_t index = map.find(key, spec);
    bool ok;
    if (index < 0) {  // a field the schema does not know: checked as JSON, then ignored
      path.push_back({key, -1});
      ok = validate(field.value(), level + 1);
    } else {
      const auto i = static_cast<size_t>(index);
      const FieldSpec& f = spec.fields[i];
      path.push_back({f.name, -1});
      const bool first = !seen[seenBase + i];
      seen[seenBase + i] = 1;
      captureId = first && isRoot && i == schema.idField;
      if (!first) fail("duplicate field");
      ok = failed ? validate(field.value(), level + 1)
                  : decodeField(field.value(), f, out[i], level + 1);
      captureId = false;
    }
    path.pop_back();
    if (!ok) return false;
  }

  if (!failed) {
    for (size_t i = 0; i < n; ++i) {
      if (seen[seenBase + i]) continue;
      const FieldSpec& f = spec.fields[i];
      if (f.optional) {
        out[i] = f.kind == FieldKind::List ? listValue(&kEmptyList) : Value::none();
      } else {
        path.push_back({f.name, -1});
        fail("required field is missing");
        path.pop_back();
        break;
      }
    }
  }
  seen.resize(seenBase);
  cells = failed ? nullptr : out;
  return true;
}

// A line whose top-level value is not an object: read it all, to tell "not JSON" from
// "expected a JSON object".
bool DeclarationDecoder::Impl::validateRoot(od::json_type t) {
  switch (t) {
    case od::json_type::array: {
      od::array arr;
      if (error_code e = doc.get_array().get(arr)) return syntax(e);
      for (auto element : arr) {
        od::value ev;
        if (error_code e = std::move(element).get(ev)) return syntax(e);
        if (!validate(ev, 2)) return false;
      }
      break;
    }
    case od::json_type::string: {
      std::string_view s;
      if (error_code e = doc.get_string().get(s)) return syntax(e);
      break;
    }
    case od::json_type::number: {
      std::string_view s;
      if (error_code e = doc.raw_json_token().get(s)) return syntax(e);
      s = trimRight(s);
      if (!isJsonNumber(s)) return syntaxAt("invalid number", s.data());
      break;
    }
    case od::json_type::boolean: {
      bool b;
      if (doc.get_bool().get(b) != simdjson::SUCCESS) return syntaxAt("invalid literal", text);
      break;
    }
    case od::json_type::null: {
      bool isNull = false;
      if (doc.is_null().get(isNull) != simdjson::SUCCESS || !isNull)
        return syntaxAt("invalid literal", text);
      break;
    }
    case od::json_type::object:
      break;
  }
  if (auto d = scanStructure(text, length)) {
    syntaxError = d->text + " at byte " + std::to_string(d->at);
    return false;
  }
  return true;
}

void DeclarationDecoder::Impl::begin(Arena& a) {
  arena = &a;
  failed = false;
  error.clear();
  syntaxError.clear();
  captureId = false;
  id.reset();
  path.clear();
  seen.clear();
  listScratch.clear();
  listElements = 0;
}

DeclarationDecoder::Result DeclarationDecoder::Impl::finish(const Value* root) {
  Result r;
  r.id = std::move(id);
  if (failed) {
    r.error = std::move(error);
    return r;
  }
  r.root = root;
  return r;
}

// ---- the walk over a record built in code: the JSON walk's checks, without JSON ----

void DeclarationDecoder::Impl::decodeInputField(const InputValue& v, const FieldSpec& f, Value& out,
                                                uint32_t level) {
  using Kind = InputValue::Kind;
  const bool wantsRecord = f.kind == FieldKind::Record, wantsList = f.kind == FieldKind::List;
  const bool isRecord = v.kind == Kind::Record, isList = v.kind == Kind::List;
  if (wantsRecord != isRecord || wantsList != isList)
    return fail(std::string(expected(f)) + ", got " + shownInput(v));
  if (wantsList) return decodeInputList(v, f, out, level);
  if (wantsRecord) {
    if (level > maxDepth) return fail(depthMessage);
    const Value* cells = nullptr;
    decodeInput(v.records.empty() || !v.records[0] ? kEmptyInput : *v.records[0], f.ref, level,
                cells);
    if (cells) out = recordValue(cells);
    return;
  }
  std::string number;
  Scalar sc;
  switch (v.kind) {
    case Kind::String:
      // JSON text is checked as UTF-8 by the parser; text set in code is checked here.
      if (size_t bad = firstInvalidUtf8(reinterpret_cast<const unsigned char*>(v.text.data()),
                                        v.text.size());
          bad != v.text.size())
        return fail("invalid UTF-8 at byte " + std::to_string(bad) + " of the string");
      sc.type = Scalar::Type::String;
      sc.text = v.text;
      break;
    case Kind::Integer:
      number = std::to_string(v.integer);
      sc.type = Scalar::Type::Number;
      sc.text = number;
      break;
    default:
      sc.type = Scalar::Type::Bool;
      sc.flag = v.integer != 0;
      break;
  }
  if (!accepts(f.kind, sc.type)) return fail(std::string(expected(f)) + ", got " + shownInput(v));
  convert(f, sc, out);
}

void DeclarationDecoder::Impl::decodeInputList(const InputValue& v, const FieldSpec& f, Value& out,
                                               uint32_t level) {
  if (level + 1 > maxDepth) return fail(depthMessage);
  const size_t base = listScratch.size();
  for (size_t k = 0; k < v.records.size() && !failed; ++k) {
    path.push_back({{}, static_cast<int64_t>(k)});
    if (listElements >= kMaxListElements) {
      fail("too many list elements (at most " + std::to_string(kMaxListElements) +
           " in a declaration)");
    } else {
      ++listElements;
      const Value* cells = nullptr;
      decodeInput(v.records[k] ? *v.records[k] : kEmptyInput, f.ref, level + 1, cells);
      if (cells) listScratch.push_back(cells);
    }
    path.pop_back();
  }
  finishList(base, out);
}

void DeclarationDecoder::Impl::decodeInput(const InputRecord& r, uint32_t record, uint32_t level,
                                           const Value*& cells) {
  const RecordSpec& spec = schema.records[record];
  const FieldMap& map = maps[record];
  const size_t n = spec.fields.size();
  Value* out = arena->values(n);
  const size_t seenBase = seen.size();
  seen.resize(seenBase + n, 0);
  for (const auto& [name, value] : r.fields) {
    if (failed) break;
    const int32_t index = map.find(name, spec);
    if (index < 0) continue;  // a field the schema does not know: ignored, as in JSON
    const auto i = static_cast<size_t>(index);
    seen[seenBase + i] = 1;
    path.push_back({spec.fields[i].name, -1});
    decodeInputField(value, spec.fields[i], out[i], level + 1);
    path.pop_back();
  }
  for (size_t i = 0; i < n && !failed; ++i) {
    if (seen[seenBase + i]) continue;
    const FieldSpec& f = spec.fields[i];
    if (f.optional) {
      out[i] = f.kind == FieldKind::List ? listValue(&kEmptyList) : Value::none();
    } else {
      path.push_back({f.name, -1});
      fail("required field is missing");
      path.pop_back();
    }
  }
  seen.resize(seenBase);
  cells = failed ? nullptr : out;
}

DeclarationDecoder::Result DeclarationDecoder::Impl::decode(const InputRecord& r, Arena& a) {
  begin(a);
  for (const auto& [name, value] : r.fields)
    if (name == schema.records[schema.root].fields[schema.idField].name &&
        value.kind == InputValue::Kind::String)
      id = value.text;
  const Value* root = nullptr;
  decodeInput(r, schema.root, 1, root);
  return finish(root);
}

DeclarationDecoder::Result DeclarationDecoder::Impl::decode(std::string_view line, Arena& a) {
  begin(a);

  Result r;
  if (line.size() > kMaxDeclarationBytes) {
    r.error = "the line is longer than " + std::to_string(kMaxDeclarationBytes) + " bytes";
    return r;
  }
  if (std::all_of(line.begin(), line.end(), isSpace)) {
    r.error = "not JSON: the line is empty";
    return r;
  }

  // simdjson reads up to SIMDJSON_PADDING bytes past the end: copy into a padded buffer.
  const size_t need = line.size() + simdjson::SIMDJSON_PADDING;
  if (bufferSize < need) {
    bufferSize =
        std::max(need, std::min(2 * bufferSize, kMaxDeclarationBytes + simdjson::SIMDJSON_PADDING));
    buffer = std::make_unique<char[]>(bufferSize);
  }
  std::memcpy(buffer.get(), line.data(), line.size());
  std::memset(buffer.get() + line.size(), 0, simdjson::SIMDJSON_PADDING);
  text = buffer.get();
  length = line.size();

  if (error_code e = parser.iterate(text, length, bufferSize).get(doc)) {
    if (e == simdjson::UTF8_ERROR) {
      syntaxError =
          "invalid UTF-8 at byte " +
          std::to_string(firstInvalidUtf8(reinterpret_cast<const unsigned char*>(text), length));
    } else if (auto d = scanStructure(text, length)) {
      syntaxError = d->text + " at byte " + std::to_string(d->at);
    } else {
      syntaxError = simdjson::error_message(e);
    }
    r.error = "not JSON: " + syntaxError;
    return r;
  }

  od::json_type t;
  bool ok;
  const Value* root = nullptr;
  if (error_code e = doc.type().get(t)) {
    ok = syntax(e);
  } else if (t != od::json_type::object) {
    if (validateRoot(t)) {
      r.error = "expected a JSON object";
      return r;
    }
    ok = false;
  } else {
    od::object obj;
    if (error_code e = doc.get_object().get(obj)) {
      ok = syntax(e);
    } else {
      ok = decodeObject(obj, schema.root, 1, true, root);
      const char* rest = nullptr;
      if (ok && doc.current_location().get(rest) == simdjson::SUCCESS)
        ok = syntaxAt("trailing content after the JSON value", rest);
    }
  }
  if (!ok) {
    r.error = "not JSON: " + syntaxError;
    return r;
  }
  return finish(root);
}

// ---- the public face ----

DeclarationDecoder::DeclarationDecoder(const Schema& schema)
    : impl_(std::make_unique<Impl>(schema)) {}
DeclarationDecoder::~DeclarationDecoder() = default;

DeclarationDecoder::Result DeclarationDecoder::decode(std::string_view jsonLine, Arena& arena) {
  return impl_->decode(jsonLine, arena);
}

DeclarationDecoder::Result DeclarationDecoder::decode(const InputRecord& record, Arena& arena) {
  return impl_->decode(record, arena);
}

uint32_t DeclarationDecoder::maxDepth() const { return impl_->maxDepth; }

}  // namespace daliz

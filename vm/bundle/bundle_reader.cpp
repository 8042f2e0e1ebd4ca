#include "vm/bundle/bundle_reader.h"

#include <algorithm>
#include <cstring>
#include <new>

#include "vm/bundle/bundle_format.h"
#include "vm/bundle/bundle_writer.h"
#include "vm/bundle/verifier.h"

namespace daliz {
namespace {

using namespace bundle;

// Thrown inside this file only, and always caught by readBundle: it lets the decoders below
// read like the writer instead of checking a status after every field.
struct DecodeError {
  std::string message;
};

// Smallest encoded size of one element of each repeated thing, used to refuse a count that
// the remaining bytes cannot hold before anything is allocated.
constexpr size_t kMinString = 8;                           // length, no bytes
constexpr size_t kMinEnum = kMinString + 8;                // name, value count
constexpr size_t kMinRecord = kMinString + 8;              // name, field count
constexpr size_t kMinField = kMinString + 1 + 1 + 4;       // name, kind, optional, ref
constexpr size_t kMinMeasure = 3 * kMinString + 2;  // name, code, description, corridor, takes
constexpr size_t kMinConstant = 1 + 8;                     // kind, int or string length
constexpr size_t kMinSet = kMinString + 1 + 3 * 8;         // name, kind, three counts
constexpr size_t kMinHsRange = 8 + 8 + 1;
constexpr size_t kMinTable = kMinString + 8 + 8 + 1 + 8;   // name, 2 key counts, value kind, rows
constexpr size_t kMinRow = 8;                              // cell count
constexpr size_t kMinGuard = 1 + 1 + 4 + 3 * 8 + 16 + 16 + 1;  // kind, any item, field, 3 counts, range, on declaration
constexpr size_t kMinProfile = 3 * kMinString + 3 + 4 + 4 + 1 + 4 + 8 + 1 + 2 + kMinGuard + 8 + 1 + 8;
constexpr size_t kInsnSize = 4 * 2;
constexpr size_t kMinCategoryRule = kMinString + 1 + 2 + 8;  // id, category, registers, code count

std::string sectionName(size_t index) { return kSections[index].name; }

// Reads little-endian values from bytes [pos, end) of the bundle; positions are absolute so
// that messages point at the byte in the file.
class Cursor {
 public:
  Cursor(std::string_view bytes, size_t pos, size_t end, std::string section)
      : bytes_(bytes), pos_(pos), end_(end), section_(std::move(section)) {}

  size_t pos() const { return pos_; }
  size_t remaining() const { return end_ - pos_; }

  uint64_t le(size_t n) {
    need(n);
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(bytes_[pos_ + i])) << (8 * i);
    pos_ += n;
    return v;
  }
  uint8_t u8() { return static_cast<uint8_t>(le(1)); }
  uint16_t u16() { return static_cast<uint16_t>(le(2)); }
  uint32_t u32() { return static_cast<uint32_t>(le(4)); }
  uint64_t u64() { return le(8); }
  int32_t i32() { return static_cast<int32_t>(u32()); }  // two's complement (C++20)
  int64_t i64() { return static_cast<int64_t>(u64()); }
  __int128 i128() {
    const uint64_t low = u64(), high = u64();
    return static_cast<__int128>(static_cast<unsigned __int128>(high) << 64 | low);
  }

  bool flag() {
    const size_t at = pos_;
    const uint8_t v = u8();
    if (v > 1) invalid(at, "flag is " + std::to_string(v) + ", expected 0 or 1");
    return v == 1;
  }

  // A u8 that must be below limit (the number of values of an enum class).
  template <typename E>
  E enumValue(uint8_t limit, const char* what) {
    const size_t at = pos_;
    const uint8_t v = u8();
    if (v >= limit) invalid(at, std::string(what) + " " + std::to_string(v) + " is out of range");
    return static_cast<E>(v);
  }

  // An element count, refused when the remaining bytes cannot hold that many elements of at
  // least minSize bytes each — a corrupt count never reaches an allocation.
  size_t count(size_t minSize, const char* unit = "entries") {
    const size_t at = pos_;
    const uint64_t n = u64();
    const size_t fit = remaining() / minSize;
    if (n > fit)
      throw DecodeError{"bundle is truncated at byte " + std::to_string(end_) + " (section " + section_ + "): " +
                        std::to_string(n) + " " + unit + " declared at byte " + std::to_string(at) + ", the remaining " +
                        std::to_string(remaining()) + " bytes hold at most " + std::to_string(fit)};
    return static_cast<size_t>(n);
  }

  std::string str() {
    const size_t n = count(1, "string bytes");
    std::string s(bytes_.substr(pos_, n));
    pos_ += n;
    return s;
  }

  void expectEnd() {
    if (pos_ != end_)
      invalid(pos_, std::to_string(end_ - pos_) + " unexpected bytes at the end of the section");
  }

  [[noreturn]] void invalid(size_t at, const std::string& problem) const {
    throw DecodeError{"bundle is invalid at byte " + std::to_string(at) + " (section " + section_ + "): " + problem};
  }

 private:
  void need(size_t n) const {
    if (end_ - pos_ < n)
      throw DecodeError{"bundle is truncated at byte " + std::to_string(end_) + " (section " + section_ +
                        "): reading " + std::to_string(n) + " bytes at byte " + std::to_string(pos_)};
  }

  std::string_view bytes_;
  size_t pos_, end_;
  std::string section_;
};

constexpr uint8_t kFieldKinds = static_cast<uint8_t>(FieldKind::List) + 1;
constexpr uint8_t kConstKinds = static_cast<uint8_t>(ConstKind::String) + 1;
constexpr uint8_t kSetKinds = static_cast<uint8_t>(SetKind::String) + 1;
constexpr uint8_t kCorridors = static_cast<uint8_t>(CorridorCode::Red) + 1;

template <typename T, typename ReadOne>
void readVector(Cursor& c, std::vector<T>& out, size_t minSize, ReadOne readOne) {
  const size_t n = c.count(minSize);
  out.clear();
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(readOne());
}

void readHeader(Cursor& c, Program& p) {
  p.seed = c.u64();
  p.includeDrafts = c.flag();
  p.stdlibVersion = c.str();
  p.schemaFingerprint = c.u64();
}

void readSchema(Cursor& c, Schema& s) {
  readVector(c, s.enums, kMinEnum, [&] {
    EnumSpec e;
    e.name = c.str();
    readVector(c, e.values, kMinString, [&] { return c.str(); });
    return e;
  });
  readVector(c, s.records, kMinRecord, [&] {
    RecordSpec r;
    r.name = c.str();
    readVector(c, r.fields, kMinField, [&] {
      FieldSpec f;
      f.name = c.str();
      f.kind = c.enumValue<FieldKind>(kFieldKinds, "field kind");
      f.optional = c.flag();
      f.ref = c.u32();
      return f;
    });
    return r;
  });
  s.root = c.u32();
  s.idField = c.u32();
  s.registeredField = c.u32();
  s.itemsField = c.u32();
  s.itemNoField = c.u32();
}

void readMeasures(Cursor& c, std::vector<MeasureSpec>& measures) {
  readVector(c, measures, kMinMeasure, [&] {
    MeasureSpec m;
    m.name = c.str();
    m.code = c.str();
    m.description = c.str();
    m.corridor = c.enumValue<CorridorCode>(kCorridors, "corridor");
    m.takesDocuments = c.flag();
    return m;
  });
}

void readDocumentKinds(Cursor& c, std::vector<DocumentKindSpec>& kinds) {
  readVector(c, kinds, 2 * kMinString, [&] {
    DocumentKindSpec k;
    k.code = c.str();
    k.title = c.str();
    return k;
  });
}

Constant readConstant(Cursor& c) {
  Constant k;
  k.kind = c.enumValue<ConstKind>(kConstKinds, "constant kind");
  switch (k.kind) {
    case ConstKind::Int: k.i = c.i64(); break;
    case ConstKind::Decimal: k.d = c.i128(); break;
    case ConstKind::String: k.s = c.str(); break;
  }
  return k;
}

void readSets(Cursor& c, std::vector<SetSpec>& sets) {
  readVector(c, sets, kMinSet, [&] {
    SetSpec s;
    s.name = c.str();
    s.kind = c.enumValue<SetKind>(kSetKinds, "set kind");
    readVector(c, s.ints, 8, [&] { return c.i64(); });
    readVector(c, s.hs, kMinHsRange, [&] {
      HsRange r;
      r.low = c.u64();
      r.high = c.u64();
      r.length = c.u8();
      return r;
    });
    readVector(c, s.strings, kMinString, [&] { return c.str(); });
    return s;
  });
}

void readTables(Cursor& c, std::vector<TableSpec>& tables) {
  readVector(c, tables, kMinTable, [&] {
    TableSpec t;
    t.name = c.str();
    readVector(c, t.keyKinds, 1, [&] { return c.enumValue<ConstKind>(kConstKinds, "key kind"); });
    const size_t hsKeys = c.count(1);
    for (size_t i = 0; i < hsKeys; ++i) t.keyIsHs.push_back(c.flag());
    t.valueKind = c.enumValue<ConstKind>(kConstKinds, "value kind");
    readVector(c, t.rows, kMinRow, [&] {
      std::vector<Constant> row;
      readVector(c, row, kMinConstant, [&] { return readConstant(c); });
      return row;
    });
    return t;
  });
}

// A function's instructions (a profile's or a categorisation rule's).
void readCode(Cursor& c, std::vector<Insn>& code) {
  readVector(c, code, kInsnSize, [&] {
    Insn insn;
    insn.op = c.u16();  // opcode validity: the verifier's
    insn.a = c.u16();
    insn.b = c.u16();
    insn.c = c.u16();
    return insn;
  });
}

void readProfiles(Cursor& c, std::vector<ProfileSpec>& profiles) {
  readVector(c, profiles, kMinProfile, [&] {
    ProfileSpec p;
    p.id = c.str();
    p.title = c.str();
    p.area = c.str();
    p.level = c.u8();  // ranges of level, status, corridor: the verifier's
    p.status = c.u8();
    p.hasValid = c.flag();
    p.validFrom = c.i32();
    p.validTo = c.i32();
    p.itemScope = c.flag();
    p.sampleBasisPoints = c.u32();
    readVector(c, p.measures, 4, [&] { return c.u32(); });
    p.corridor = c.u8();
    p.registers = c.u16();
    p.guard.kind = static_cast<GuardSpec::Kind>(c.u8());  // range: the verifier's
    p.guard.anyItem = c.flag();
    p.guard.field = c.u32();
    readVector(c, p.guard.hs, 17, [&] {
      HsRange r;
      r.low = c.u64();
      r.high = c.u64();
      r.length = c.u8();
      return r;
    });
    readVector(c, p.guard.ints, 8, [&] { return c.i64(); });
    readVector(c, p.guard.strings, kMinString, [&] { return c.str(); });
    p.guard.low = c.i128();
    p.guard.high = c.i128();
    p.guard.onDeclaration = c.flag();
    readVector(c, p.requests, 12, [&] {  // indices and order: the verifier's
      DocumentRequestSpec r;
      r.measure = c.u32();
      readVector(c, r.documents, 4, [&] { return c.u32(); });
      r.deadlineDays = c.u32();
      return r;
    });
    p.noticeLanguages = c.u8();
    readCode(c, p.code);
    return p;
  });
}

CategoryRuleSpec readCategoryRule(Cursor& c) {
  CategoryRuleSpec r;
  r.id = c.str();
  r.category = c.u8();  // its range, and the code: the verifier's
  r.registers = c.u16();
  readCode(c, r.code);
  return r;
}

void readCategorization(Cursor& c, std::optional<CategorizationSpec>& out) {
  out.reset();
  if (!c.flag()) return;
  CategorizationSpec k;
  k.id = c.str();
  k.title = c.str();
  k.record = c.u32();
  k.idField = c.u32();
  readVector(c, k.rules, kMinCategoryRule, [&] { return readCategoryRule(c); });
  k.fallback = readCategoryRule(c);
  out = std::move(k);
}

void readPlans(Cursor& c, std::vector<PlanSpec>& plans) {
  readVector(c, plans, 2 * kMinString + 4 * 13, [&] {  // ranges and order: the verifier's
    PlanSpec plan;
    plan.id = c.str();
    plan.office = c.str();
    for (CorridorPlanSpec& k : plan.corridors) {
      k.given = c.flag();
      k.lowBasisPoints = c.u32();
      k.highBasisPoints = c.u32();
      k.randomBasisPoints = c.u32();
    }
    return plan;
  });
}

void readSection(size_t index, Cursor& c, Program& p) {
  switch (index) {
    case kHeader: readHeader(c, p); break;
    case kSchema: readSchema(c, p.schema); break;
    case kMeasures:
      readMeasures(c, p.measures);
      readDocumentKinds(c, p.documentKinds);
      break;
    case kConstants: readVector(c, p.constants, kMinConstant, [&] { return readConstant(c); }); break;
    case kSets: readSets(c, p.sets); break;
    case kTables: readTables(c, p.tables); break;
    case kRegexes: readVector(c, p.regexes, kMinString, [&] { return c.str(); }); break;
    case kProfiles: readProfiles(c, p.profiles); break;
    case kCategorization: readCategorization(c, p.categorization); break;
    case kPlans: readPlans(c, p.plans); break;
  }
  c.expectEnd();
}

// A tag as its four letters when they are printable, else as hex.
std::string describeTag(uint32_t tag) {
  std::string text;
  for (int i = 0; i < 4; ++i) {
    const auto ch = static_cast<char>(tag >> (8 * i));
    if (ch < 0x20 || ch > 0x7e) {
      static constexpr char kHex[] = "0123456789abcdef";
      std::string hex = "0x";
      for (int k = 7; k >= 0; --k) hex.push_back(kHex[(tag >> (4 * k)) & 15]);
      return hex;
    }
    text.push_back(ch);
  }
  return "'" + text + "'";
}

// Walks the sections between the preamble and the trailer, each exactly once and in order.
void readSections(std::string_view bytes, Program& p) {
  const size_t bodyEnd = bytes.size() - kHashSize;
  size_t pos = kPreambleSize;
  for (size_t index = 0; index < kSections.size(); ++index) {
    Cursor header(bytes, pos, bodyEnd, sectionName(index));
    const uint32_t tag = header.u32();
    if (tag != kSections[index].tag)
      header.invalid(pos, "found section tag " + describeTag(tag) + ", expected " + describeTag(kSections[index].tag));
    const uint64_t length = header.u64();
    if (length > header.remaining())
      throw DecodeError{"bundle is truncated at byte " + std::to_string(bodyEnd) + " (section " + sectionName(index) +
                        "): the section declares " + std::to_string(length) + " bytes, " +
                        std::to_string(header.remaining()) + " remain"};
    const size_t begin = header.pos();
    Cursor payload(bytes, begin, begin + static_cast<size_t>(length), sectionName(index));
    readSection(index, payload, p);
    pos = begin + static_cast<size_t>(length);
  }
  if (pos != bodyEnd)
    Cursor(bytes, pos, bodyEnd, "trailer").invalid(pos, std::to_string(bodyEnd - pos) + " unexpected bytes after the last section");
}

// Magic, version and content hash: everything that can be judged before decoding.
void checkEnvelope(std::string_view bytes, LoadResult& result) {
  const size_t magicSeen = std::min(bytes.size(), kMagic.size());
  if (bytes.substr(0, magicSeen) != kMagic.substr(0, magicSeen)) throw DecodeError{"not a daliz bundle: bad magic"};
  if (bytes.size() < kPreambleSize)
    throw DecodeError{"bundle is truncated at byte " + std::to_string(bytes.size()) + " (section preamble)"};
  Cursor version(bytes, kMagic.size(), kPreambleSize, "preamble");
  const uint32_t v = version.u32();
  if (v > kFormatVersion)
    throw DecodeError{"bundle format version " + std::to_string(v) + " is newer than this daliz supports (" +
                      std::to_string(kFormatVersion) + "): use a newer daliz, or recompile the profiles with this one"};
  if (v != kFormatVersion)
    throw DecodeError{"bundle format version " + std::to_string(v) + " is not supported (this daliz reads version " +
                      std::to_string(kFormatVersion) + "): recompile the profiles with this daliz"};
  if (bytes.size() < kPreambleSize + kHashSize)
    throw DecodeError{"bundle is truncated at byte " + std::to_string(bytes.size()) + " (section trailer)"};
  const std::string_view body = bytes.substr(0, bytes.size() - kHashSize);
  const auto expected = contentHash(body);
  if (std::memcmp(expected.data(), bytes.data() + body.size(), kHashSize) != 0)
    throw DecodeError{"bundle is corrupted: content hash mismatch"};
  result.contentHash = contentHashHex(bytes);
}

}  // namespace

LoadResult readBundle(std::string_view bytes) noexcept {
  LoadResult result;
  try {
    checkEnvelope(bytes, result);
    Program program;
    readSections(bytes, program);
    std::string problem = verifyProgram(program);
    if (!problem.empty()) {
      result.error = "bundle failed verification: " + problem;
      return result;
    }
    result.program = std::move(program);
  } catch (const DecodeError& e) {
    result.error = e.message;
  } catch (const std::bad_alloc&) {
    result.error = "bundle could not be loaded: out of memory";
  } catch (...) {
    result.error = "bundle could not be loaded: internal error";
  }
  if (!result.error.empty()) result.program.reset();
  return result;
}

}  // namespace daliz

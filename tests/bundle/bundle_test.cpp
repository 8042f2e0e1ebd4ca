// Bundles: the writer's format and determinism, the reader against hostile bytes, and the
// verifier's checks, on a small but complete Program built by hand.
#include <catch2/catch.hpp>
#include <functional>

#include <chrono>
#include <string>

#include "vm/bundle/bundle_format.h"
#include "vm/bundle/bundle_reader.h"
#include "vm/bundle/bundle_writer.h"
#include "vm/bundle/verifier.h"
#include "vm/decode/arena.h"
#include "vm/decode/declaration_decoder.h"
#include "vm/limits.h"
#include "vm/value/keyed_hash.h"
#include "vm/value/date.h"
#include "vm/value/hs_code.h"

namespace daliz {
namespace {

Insn insn(Op op, uint16_t a = 0, uint16_t b = 0, uint16_t c = 0) { return {static_cast<uint16_t>(op), a, b, c}; }

int64_t hs(std::string_view digits) { return static_cast<int64_t>(*encodeHs(digits)); }

// Record 0 Item, record 1 Declaration (root); enum 0 category.
enum ItemField : uint16_t { kNo, kHsCode, kCustomsValue, kDescription, kCategory };
enum DeclField : uint16_t { kId, kRegistered, kItems, kTotal, kProcedure };
// Constants.
enum : uint16_t { kZero, kOne, kSeventyPercent, kUnitPriceText, kShirtText, kMinusTwoFifty, kMinusSeven };
// Sets, tables, regexes.
enum : uint16_t { kCodesSet, kTextilesSet, kProceduresSet };
constexpr uint16_t kPriceTable = 0, kShirtRegex = 0;

Program sampleProgram() {
  Program p;
  p.seed = 0x0123456789abcdefULL;
  p.includeDrafts = true;
  p.stdlibVersion = kStdlibVersion;
  p.schemaFingerprint = 0xfedcba9876543210ULL;

  p.schema.enums = {{"category", {"low", "medium", "high"}}};
  p.schema.records = {
      {"Item",
       {{"no", FieldKind::Int, false, 0},
        {"hs_code", FieldKind::Hs, false, 0},
        {"customs_value", FieldKind::Money, false, 0},
        {"description", FieldKind::String, false, 0},
        {"category", FieldKind::Enum, true, 0}}},
      {"Declaration",
       {{"id", FieldKind::String, false, 0},
        {"registered", FieldKind::Date, false, 0},
        {"items", FieldKind::List, false, 0},
        {"total", FieldKind::Money, true, 0},
        {"procedure", FieldKind::Code, false, 0}}},
  };
  p.schema.root = 1;
  p.schema.idField = kId;
  p.schema.registeredField = kRegistered;
  p.schema.itemsField = kItems;
  p.schema.itemNoField = kNo;

  p.measures = {{"customs_examination", "109", "Customs examination of goods", CorridorCode::Red},
                {"documentary_check", "101", "Check of documents and information", CorridorCode::Yellow},
                {"post_release_audit", "", "Customs check after release", CorridorCode::Blue}};

  p.constants = {{ConstKind::Int, 0, 0, {}},
                 {ConstKind::Int, 1, 0, {}},
                 {ConstKind::Decimal, 0, 700000, {}},
                 {ConstKind::String, 0, 0, "unit price "},
                 {ConstKind::String, 0, 0, "футболка T-shirt"},
                 {ConstKind::Decimal, 0, -2500000, {}},
                 {ConstKind::Int, -7, 0, {}}};

  SetSpec codes{"CODES", SetKind::Int, {1, 5, 9}, {}, {}};
  SetSpec textiles{"TEXTILES", SetKind::Hs, {}, {{61, 61, 2}, {6301, 6310, 4}}, {}};
  SetSpec procedures{"", SetKind::String, {}, {}, {"40", "51"}};
  p.sets = {codes, textiles, procedures};

  TableSpec prices;
  prices.name = "REFERENCE_PRICE";
  prices.keyKinds = {ConstKind::Int};
  prices.keyIsHs = {true};
  prices.valueKind = ConstKind::Decimal;
  prices.rows = {{{ConstKind::Int, hs("6109"), 0, {}}, {ConstKind::Decimal, 0, 4500000, {}}},
                 {{ConstKind::Int, hs("610910"), 0, {}}, {ConstKind::Decimal, 0, 5000000, {}}}};
  p.tables = {prices};
  p.regexes = {"^T-?shirt"};

  // any(i in declaration.items: i.hs_code in TEXTILES) and declaration.procedure in {"40", "51"}
  ProfileSpec textile;
  textile.id = "KZ-0001";
  textile.title = "Textiles under procedure 40";
  textile.area = "classification";
  textile.level = 2;
  textile.status = 1;
  textile.hasValid = true;
  textile.validFrom = fromYmd(2025, 1, 1).days;
  textile.validTo = fromYmd(2026, 12, 31).days;
  textile.measures = {1};
  textile.corridor = 2;
  textile.registers = 11;
  textile.guard = {GuardSpec::Hs, true, kHsCode, textiles.hs, {}, {}, 0, 0, false};  // some item's hs code in TEXTILES
  textile.code = {
      /* 0*/ insn(Op::GETF, 2, 0, kItems),
      /* 1*/ insn(Op::LOADK, 3, kZero),
      /* 2*/ insn(Op::FORPREP, 4, 2, 9),
      /* 3*/ insn(Op::GETITEM, 6, 2, 4),
      /* 4*/ insn(Op::GETF, 7, 6, kHsCode),
      /* 5*/ insn(Op::INSET_HS, 8, 7, kTextilesSet),
      /* 6*/ insn(Op::OR, 3, 3, 8),
      /* 7*/ insn(Op::JMPIFTRUE, 3, 0, 9),
      /* 8*/ insn(Op::LOOP, 4, 0, 3),
      /* 9*/ insn(Op::JMPNOTTRUE, 3, 0, 16),
      /*10*/ insn(Op::GETF, 9, 0, kProcedure),
      /*11*/ insn(Op::INSET_S, 10, 9, kProceduresSet),
      /*12*/ insn(Op::JMPNOTTRUE, 10, 0, 16),
      /*13*/ insn(Op::RTEXT, 0, kShirtText),
      /*14*/ insn(Op::RVAL, 9, static_cast<uint16_t>(RenderKind::String), 0),
      /*15*/ insn(Op::HIT),
      /*16*/ insn(Op::RET),
  };

  // scope item i; sample 50%; i.customs_value < REFERENCE_PRICE[i.hs_code] * 70%
  //   and i.description.matches("^T-?shirt")
  ProfileSpec price;
  price.id = "KZ-0002";
  price.title = "Undervalued T-shirts";
  price.area = "customs value";
  price.level = 1;
  price.status = 1;
  price.itemScope = true;
  price.sampleBasisPoints = 5000;
  price.measures = {0, 2};  // the code generator's order: most severe corridor first
  price.corridor = 3;
  price.registers = 12;
  price.guard = {GuardSpec::Int, false, kCategory, {}, {2}, {}, 0, 0, false};  // a guard need not come from the code here
  price.code = {
      /* 0*/ insn(Op::GETF, 2, 1, kHsCode),
      /* 1*/ insn(Op::LOOKUP, 3, 2, kPriceTable),
      /* 2*/ insn(Op::LOADK, 9, kSeventyPercent),
      /* 3*/ insn(Op::MUL_D, 10, 3, 9),
      /* 4*/ insn(Op::GETF, 4, 1, kCustomsValue),
      /* 5*/ insn(Op::LT_D, 5, 4, 10),
      /* 6*/ insn(Op::JMPNOTTRUE, 5, 0, 16),
      /* 7*/ insn(Op::GETF, 6, 1, kDescription),
      /* 8*/ insn(Op::MATCH, 7, 6, kShirtRegex),
      /* 9*/ insn(Op::JMPNOTTRUE, 7, 0, 16),
      /*10*/ insn(Op::SAMPLE, 0, 0, 16),
      /*11*/ insn(Op::RTEXT, 0, kUnitPriceText),
      /*12*/ insn(Op::RVAL, 4, static_cast<uint16_t>(RenderKind::Money), 0),
      /*13*/ insn(Op::GETF, 8, 1, kCategory),
      /*14*/ insn(Op::RVAL, 8, static_cast<uint16_t>(RenderKind::Enum), 0),
      /*15*/ insn(Op::HIT),
      /*16*/ insn(Op::RET),
  };
  p.profiles = {textile, price};
  return p;
}

// ---- helpers ----

void requireSame(const Program& a, const Program& b) {
  CHECK(a.seed == b.seed);
  CHECK(a.includeDrafts == b.includeDrafts);
  CHECK(a.stdlibVersion == b.stdlibVersion);
  CHECK(a.schemaFingerprint == b.schemaFingerprint);
  REQUIRE(a.schema.enums.size() == b.schema.enums.size());
  for (size_t i = 0; i < a.schema.enums.size(); ++i) {
    CHECK(a.schema.enums[i].name == b.schema.enums[i].name);
    CHECK(a.schema.enums[i].values == b.schema.enums[i].values);
  }
  REQUIRE(a.schema.records.size() == b.schema.records.size());
  for (size_t r = 0; r < a.schema.records.size(); ++r) {
    const auto &x = a.schema.records[r], &y = b.schema.records[r];
    CHECK(x.name == y.name);
    REQUIRE(x.fields.size() == y.fields.size());
    for (size_t f = 0; f < x.fields.size(); ++f) {
      CHECK(x.fields[f].name == y.fields[f].name);
      CHECK(x.fields[f].kind == y.fields[f].kind);
      CHECK(x.fields[f].optional == y.fields[f].optional);
      CHECK(x.fields[f].ref == y.fields[f].ref);
    }
  }
  CHECK(a.schema.root == b.schema.root);
  CHECK(a.schema.idField == b.schema.idField);
  CHECK(a.schema.registeredField == b.schema.registeredField);
  CHECK(a.schema.itemsField == b.schema.itemsField);
  CHECK(a.schema.itemNoField == b.schema.itemNoField);
  REQUIRE(a.measures.size() == b.measures.size());
  for (size_t m = 0; m < a.measures.size(); ++m) {
    CHECK(a.measures[m].name == b.measures[m].name);
    CHECK(a.measures[m].code == b.measures[m].code);
    CHECK(a.measures[m].description == b.measures[m].description);
    CHECK(a.measures[m].corridor == b.measures[m].corridor);
  }
  CHECK(a.constants == b.constants);
  REQUIRE(a.sets.size() == b.sets.size());
  for (size_t s = 0; s < a.sets.size(); ++s) {
    const auto &x = a.sets[s], &y = b.sets[s];
    CHECK(x.name == y.name);
    CHECK(x.kind == y.kind);
    CHECK(x.ints == y.ints);
    CHECK(x.strings == y.strings);
    REQUIRE(x.hs.size() == y.hs.size());
    for (size_t i = 0; i < x.hs.size(); ++i) {
      CHECK(x.hs[i].low == y.hs[i].low);
      CHECK(x.hs[i].high == y.hs[i].high);
      CHECK(x.hs[i].length == y.hs[i].length);
    }
  }
  REQUIRE(a.tables.size() == b.tables.size());
  for (size_t t = 0; t < a.tables.size(); ++t) {
    const auto &x = a.tables[t], &y = b.tables[t];
    CHECK(x.name == y.name);
    CHECK(x.keyKinds == y.keyKinds);
    CHECK(x.keyIsHs == y.keyIsHs);
    CHECK(x.valueKind == y.valueKind);
    CHECK(x.rows == y.rows);
  }
  CHECK(a.regexes == b.regexes);
  REQUIRE(a.profiles.size() == b.profiles.size());
  for (size_t i = 0; i < a.profiles.size(); ++i) {
    const auto &x = a.profiles[i], &y = b.profiles[i];
    CHECK(x.id == y.id);
    CHECK(x.title == y.title);
    CHECK(x.area == y.area);
    CHECK(x.level == y.level);
    CHECK(x.status == y.status);
    CHECK(x.hasValid == y.hasValid);
    CHECK(x.validFrom == y.validFrom);
    CHECK(x.validTo == y.validTo);
    CHECK(x.itemScope == y.itemScope);
    CHECK(x.sampleBasisPoints == y.sampleBasisPoints);
    CHECK(x.measures == y.measures);
    CHECK(x.corridor == y.corridor);
    CHECK(x.registers == y.registers);
    CHECK(x.guard.kind == y.guard.kind);
    CHECK(x.guard.anyItem == y.guard.anyItem);
    CHECK(x.guard.field == y.guard.field);
    CHECK(x.guard.ints == y.guard.ints);
    CHECK(x.guard.strings == y.guard.strings);
    CHECK(x.guard.low == y.guard.low);
    CHECK(x.guard.high == y.guard.high);
    CHECK(x.guard.onDeclaration == y.guard.onDeclaration);
    REQUIRE(x.guard.hs.size() == y.guard.hs.size());
    for (size_t r = 0; r < x.guard.hs.size(); ++r) {
      CHECK(x.guard.hs[r].low == y.guard.hs[r].low);
      CHECK(x.guard.hs[r].high == y.guard.hs[r].high);
      CHECK(x.guard.hs[r].length == y.guard.hs[r].length);
    }
    REQUIRE(x.code.size() == y.code.size());
    for (size_t pc = 0; pc < x.code.size(); ++pc) {
      CHECK(x.code[pc].op == y.code[pc].op);
      CHECK(x.code[pc].a == y.code[pc].a);
      CHECK(x.code[pc].b == y.code[pc].b);
      CHECK(x.code[pc].c == y.code[pc].c);
    }
  }
}

uint64_t readLe(const std::string& b, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(b[at + i])) << (8 * i);
  return v;
}

void writeLe(std::string& b, size_t at, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) b[at + i] = static_cast<char>(static_cast<uint8_t>(v >> (8 * i)));
}

// Replaces the trailer with the right hash of the rest: what a forger (or a buggy tool)
// would do, so that the decoder itself is exercised rather than just the hash check.
std::string reseal(std::string body) {
  for (uint8_t b : bundle::contentHash(body)) body.push_back(static_cast<char>(b));
  return body;
}
std::string withoutTrailer(const std::string& bytes) { return bytes.substr(0, bytes.size() - bundle::kHashSize); }

// The byte offset of a section's payload in a bundle.
size_t payloadOffset(const std::string& bytes, size_t section) {
  size_t pos = bundle::kPreambleSize;
  for (size_t i = 0; i < section; ++i) pos += bundle::kSectionHeaderSize + readLe(bytes, pos + 4, 8);
  REQUIRE(readLe(bytes, pos, 4) == bundle::kSections[section].tag);
  return pos + bundle::kSectionHeaderSize;
}

std::string verifyWith(const std::function<void(Program&)>& mutate) {
  Program p = sampleProgram();
  mutate(p);
  return verifyProgram(p);
}

// ---- writer and reader ----

TEST_CASE("bundle: the sample program verifies", "[bundle]") { CHECK(verifyProgram(sampleProgram()) == ""); }

TEST_CASE("bundle: round trip keeps every field and the bytes", "[bundle]") {
  const Program original = sampleProgram();
  const std::string bytes = writeBundle(original);
  LoadResult r = readBundle(bytes);
  REQUIRE(r.error == "");
  REQUIRE(r.program.has_value());
  requireSame(original, *r.program);
  CHECK(writeBundle(*r.program) == bytes);
  CHECK(r.contentHash == contentHashHex(bytes));
}

TEST_CASE("bundle: writing is deterministic", "[bundle]") {
  const std::string a = writeBundle(sampleProgram());
  const std::string b = writeBundle(sampleProgram());
  CHECK(a == b);
  Program copy = sampleProgram();
  CHECK(writeBundle(copy) == a);
  copy.seed += 1;  // any change shows in the content hash
  CHECK(contentHashHex(writeBundle(copy)) != contentHashHex(a));
}

TEST_CASE("bundle: layout of the preamble, sections and trailer", "[bundle]") {
  const std::string bytes = writeBundle(sampleProgram());
  CHECK(bytes.substr(0, 8) == "DALIZBND");
  CHECK(readLe(bytes, 8, 4) == 3);
  CHECK(bytes.substr(12, 4) == "HEAD");
  CHECK(readLe(bytes, payloadOffset(bytes, bundle::kHeader), 8) == 0x0123456789abcdefULL);  // seed first
  const size_t last = bundle::kSections.size() - 1;
  size_t end = payloadOffset(bytes, last) + readLe(bytes, payloadOffset(bytes, last) - 8, 8);
  CHECK(end + bundle::kHashSize == bytes.size());
  // Decimal constants are 16 bytes of two's complement: -2.5 is -2500000 units.
  size_t pos = payloadOffset(bytes, bundle::kConstants) + 8;
  for (int k = 0; k < kMinusTwoFifty; ++k) {
    const uint8_t kind = static_cast<uint8_t>(bytes[pos]);
    pos += 1 + (kind == 0 ? 8 : kind == 1 ? 16 : 8 + readLe(bytes, pos + 1, 8));
  }
  CHECK(static_cast<uint8_t>(bytes[pos]) == 1);
  CHECK(readLe(bytes, pos + 1, 8) == static_cast<uint64_t>(int64_t{-2500000}));
  CHECK(readLe(bytes, pos + 9, 8) == ~uint64_t{0});
  const std::string hex = contentHashHex(bytes);
  REQUIRE(hex.size() == 32);
  CHECK(hex.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(contentHashHex("short") == "");
}

TEST_CASE("bundle: bad magic and newer versions are refused clearly", "[bundle]") {
  std::string bytes = writeBundle(sampleProgram());
  std::string bad = bytes;
  bad[0] = 'X';
  CHECK(readBundle(bad).error == "not a daliz bundle: bad magic");
  std::string newer = withoutTrailer(bytes);
  writeLe(newer, 8, 4, 4);
  LoadResult r = readBundle(reseal(newer));
  CHECK(r.error.find("bundle format version 4 is newer than this daliz supports (3)") == 0);
  CHECK_FALSE(r.program.has_value());
  // Version 2 (before the keyed sample opcodes): refused with the way out.
  writeLe(newer, 8, 2, 4);
  CHECK(readBundle(reseal(newer)).error ==
        "bundle format version 2 is not supported (this daliz reads version 3): recompile the "
        "profiles with this daliz");
  CHECK(readBundle("").error == "bundle is truncated at byte 0 (section preamble)");
}

TEST_CASE("bundle: every flipped byte is detected", "[bundle][robustness]") {
  const std::string bytes = writeBundle(sampleProgram());
  for (uint8_t mask : {uint8_t{0x01}, uint8_t{0xFF}}) {
    for (size_t i = 0; i < bytes.size(); ++i) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(static_cast<uint8_t>(bad[i]) ^ mask);
      LoadResult r = readBundle(bad);
      INFO("offset " << i << " mask " << int(mask) << ": " << r.error);
      REQUIRE_FALSE(r.program.has_value());
      REQUIRE_FALSE(r.error.empty());
      if (i >= bundle::kPreambleSize) REQUIRE(r.error == "bundle is corrupted: content hash mismatch");
    }
  }
}

TEST_CASE("bundle: every truncation is detected", "[bundle][robustness]") {
  const std::string bytes = writeBundle(sampleProgram());
  for (size_t n = 0; n < bytes.size(); ++n) {
    LoadResult r = readBundle(std::string_view(bytes).substr(0, n));
    INFO("length " << n << ": " << r.error);
    REQUIRE_FALSE(r.program.has_value());
    REQUIRE_FALSE(r.error.empty());
  }
}

// With the hash recomputed, damage reaches the decoder and the verifier: they must answer
// with an error or a Program that verifies, and never crash (this runs under ASan/UBSan).
TEST_CASE("bundle: flipped bytes behind a valid hash never crash the loader", "[bundle][robustness]") {
  const std::string body = withoutTrailer(writeBundle(sampleProgram()));
  size_t refused = 0;
  for (uint8_t mask : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xFF}}) {
    for (size_t i = 0; i < body.size(); ++i) {
      std::string bad = body;
      bad[i] = static_cast<char>(static_cast<uint8_t>(bad[i]) ^ mask);
      LoadResult r = readBundle(reseal(bad));
      INFO("offset " << i << " mask " << int(mask) << ": " << r.error);
      REQUIRE(r.program.has_value() == r.error.empty());
      if (r.program) REQUIRE(verifyProgram(*r.program) == "");
      refused += r.program ? 0 : 1;
    }
  }
  CHECK(refused > body.size());  // most damage is caught even without the hash
}

TEST_CASE("bundle: truncation behind a valid hash names the byte and section", "[bundle][robustness]") {
  const std::string body = withoutTrailer(writeBundle(sampleProgram()));
  for (size_t n = bundle::kPreambleSize; n < body.size(); ++n) {
    LoadResult r = readBundle(reseal(body.substr(0, n)));
    INFO("length " << n << ": " << r.error);
    REQUIRE_FALSE(r.program.has_value());
    REQUIRE(r.error.find("bundle is truncated at byte ") == 0);
    REQUIRE(r.error.find("(section ") != std::string::npos);
  }
  const size_t cut = payloadOffset(body, bundle::kSets) + 3;
  CHECK(readBundle(reseal(body.substr(0, cut))).error.find("bundle is truncated at byte " + std::to_string(cut) +
                                                            " (section sets)") == 0);
}

TEST_CASE("bundle: a huge count or length is refused without allocating", "[bundle][robustness]") {
  const std::string body = withoutTrailer(writeBundle(sampleProgram()));
  const auto start = std::chrono::steady_clock::now();
  for (size_t section : {bundle::kSchema, bundle::kConstants, bundle::kSets, bundle::kTables, bundle::kRegexes,
                         bundle::kProfiles}) {
    std::string bad = body;
    const size_t at = payloadOffset(bad, section);
    writeLe(bad, at, uint64_t{1} << 60, 8);  // the first count of the section
    LoadResult r = readBundle(reseal(bad));
    INFO(r.error);
    CHECK(r.error.find("1152921504606846976 entries declared at byte " + std::to_string(at)) != std::string::npos);
    CHECK(r.error.find(std::string("(section ") + bundle::kSections[section].name + ")") != std::string::npos);
  }
  std::string longSection = body;
  writeLe(longSection, payloadOffset(longSection, bundle::kMeasures) - 8, uint64_t{1} << 60, 8);
  CHECK(readBundle(reseal(longSection)).error.find("the section declares 1152921504606846976 bytes") != std::string::npos);
  std::string hugeString = body;
  writeLe(hugeString, payloadOffset(hugeString, bundle::kHeader) + 9, ~uint64_t{0}, 8);  // stdlib version
  CHECK(readBundle(reseal(hugeString)).error.find("18446744073709551615 string bytes declared") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("bundle: invalid enum values and flags are named with their byte", "[bundle][robustness]") {
  const std::string body = withoutTrailer(writeBundle(sampleProgram()));
  std::string bad = body;
  const size_t flag = payloadOffset(bad, bundle::kHeader) + 8;  // includeDrafts
  bad[flag] = 7;
  CHECK(readBundle(reseal(bad)).error ==
        "bundle is invalid at byte " + std::to_string(flag) + " (section header): flag is 7, expected 0 or 1");
  bad = body;
  const size_t kind = payloadOffset(bad, bundle::kConstants) + 8;  // first constant's kind
  bad[kind] = 3;
  CHECK(readBundle(reseal(bad)).error ==
        "bundle is invalid at byte " + std::to_string(kind) + " (section constants): constant kind 3 is out of range");
  bad = body + "x";
  CHECK(readBundle(reseal(bad)).error.find("1 unexpected bytes after the last section") != std::string::npos);
}

TEST_CASE("bundle: a program that fails verification does not load", "[bundle]") {
  Program p = sampleProgram();
  p.profiles[0].code.pop_back();  // no RET
  LoadResult r = readBundle(writeBundle(p));
  CHECK_FALSE(r.program.has_value());
  CHECK(r.error == "bundle failed verification: profile \"KZ-0001\" pc 15 HIT: the code does not end with RET");
  CHECK(r.contentHash.size() == 32);  // the hash was right: the bundle can still be named
}

// ---- verifier: one check each ----

TEST_CASE("verifier: register out of range", "[verifier]") {
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[6].c = 11; }) ==
        "profile \"KZ-0001\" pc 6 OR: operand C (register 11) is out of range (11)");
}

TEST_CASE("verifier: jump past the end of the code", "[verifier]") {
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[9].c = 17; }) ==
        "profile \"KZ-0001\" pc 9 JMPNOTTRUE: jump target 17 is not forward within the code (size 17)");
}

TEST_CASE("verifier: backward JMP", "[verifier]") {
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[12] = insn(Op::JMP, 0, 0, 3); }) ==
        "profile \"KZ-0001\" pc 12 JMP: jump target 3 is not forward within the code (size 17)");
}

TEST_CASE("verifier: loop whose counter is written in the body", "[verifier]") {
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[6] = insn(Op::OR, 4, 3, 8); }) ==
        "profile \"KZ-0001\" pc 6 OR: writes register 4, a counter of the loop ending at pc 8");
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[4] = insn(Op::GETF, 5, 6, kHsCode); }) ==
        "profile \"KZ-0001\" pc 4 GETF: writes register 5, a counter of the loop ending at pc 8");
}

TEST_CASE("verifier: LOOP must go back to just after a FORPREP of its counter", "[verifier]") {
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[8].c = 4; }) ==
        "profile \"KZ-0001\" pc 8 LOOP: loop target 4 does not follow a FORPREP of counter register 4");
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[8].a = 6; }) ==
        "profile \"KZ-0001\" pc 8 LOOP: loop target 3 does not follow a FORPREP of counter register 6");
}

TEST_CASE("verifier: a loop body is entered only through its FORPREP", "[verifier]") {
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[1] = insn(Op::JMP, 0, 0, 5); }) ==
        "profile \"KZ-0001\" pc 1 JMP: jumps into the body of the loop at pc 2 from outside");
}

TEST_CASE("verifier: FORPREP needs room for its counter pair", "[verifier]") {
  CHECK(verifyWith([](Program& p) {
          p.profiles[0].registers = 5;
          p.profiles[0].code = {insn(Op::GETF, 2, 0, kItems), insn(Op::FORPREP, 4, 2, 3), insn(Op::LOOP, 4, 0, 2),
                                insn(Op::RET)};
        }) == "profile \"KZ-0001\" pc 1 FORPREP: counter pair 4, 5 exceeds the registers");
}

// A three-instruction loop over the goods items: GETF, PREP, BACK, RET.
void itemLoop(Program& p, Op prep, Op back) {
  p.profiles[0].registers = 6;
  p.profiles[0].code = {insn(Op::GETF, 2, 0, kItems), insn(prep, 4, 2, 3), insn(back, 4, 0, 2), insn(Op::RET)};
}

TEST_CASE("verifier: guarded loops pair FORPREP_G with LOOP_G", "[verifier]") {
  CHECK(verifyWith([](Program& p) { itemLoop(p, Op::FORPREP_G, Op::LOOP_G); }) == "");
  CHECK(verifyWith([](Program& p) { itemLoop(p, Op::FORPREP, Op::LOOP_G); }) ==
        "profile \"KZ-0001\" pc 2 LOOP_G: loop target 2 does not follow a FORPREP_G of counter register 4");
  CHECK(verifyWith([](Program& p) { itemLoop(p, Op::FORPREP_G, Op::LOOP); }) ==
        "profile \"KZ-0001\" pc 2 LOOP: loop target 2 does not follow a FORPREP of counter register 4");
  CHECK(verifyWith([](Program& p) {
          p.profiles[0].registers = 6;
          p.profiles[0].code = {insn(Op::GETF, 2, 0, kItems), insn(Op::FORPREP_G, 4, 2, 4), insn(Op::LOADK, 5, kZero),
                                insn(Op::LOOP_G, 4, 0, 2), insn(Op::RET)};
        }) == "profile \"KZ-0001\" pc 2 LOADK: writes register 5, a counter of the loop ending at pc 3");
}

TEST_CASE("verifier: type confusion", "[verifier]") {
  // ADD_D on the int that INSET_HS wrote.
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[6] = insn(Op::ADD_D, 3, 8, 8); }) ==
        "profile \"KZ-0001\" pc 6 ADD_D: operand B (register 8) holds int, needs decimal");
  // A record where a list is needed.
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[2].b = 0; }) ==
        "profile \"KZ-0001\" pc 2 FORPREP: operand B (register 0) holds record Declaration, needs a list");
  // RVAL rendering an int (the hs code) as money.
  CHECK(verifyWith([](Program& p) { p.profiles[1].code[12].a = 2; }) ==
        "profile \"KZ-0002\" pc 12 RVAL: operand A (register 2) holds int, needs decimal");
}

TEST_CASE("verifier: a register set on one path only is unset after the merge", "[verifier]") {
  // R9 (the procedure) is set only when the any() succeeded; reading it after the join fails.
  CHECK(verifyWith([](Program& p) {
          auto& c = p.profiles[0].code;
          c[9] = insn(Op::GETF, 9, 0, kProcedure);
          c[10] = insn(Op::JMPNOTTRUE, 3, 0, 11);
          c[11] = insn(Op::INSET_S, 10, 9, kProceduresSet);
        }) == "");
  CHECK(verifyWith([](Program& p) {
          auto& c = p.profiles[0].code;
          c[9] = insn(Op::JMPNOTTRUE, 3, 0, 11);
          c[10] = insn(Op::GETF, 9, 0, kProcedure);
        }) == "profile \"KZ-0001\" pc 11 INSET_S: operand B (register 9) is unset here (not written on every path, "
              "or with different types), needs string");
}

TEST_CASE("verifier: types merge around loop back edges", "[verifier]") {
  // R3 is int before the loop and decimal at the end of the body: unset at the loop head,
  // which only the back edge reveals (the first pass over the body sees an int).
  auto program = [](Op reset) {
    Program p = sampleProgram();
    p.profiles[0].registers = 7;
    p.profiles[0].code = {insn(Op::GETF, 2, 0, kItems), insn(Op::LOADK, 3, kZero), insn(Op::FORPREP, 4, 2, 6),
                          insn(Op::ADD_I, 6, 3, 3),      insn(reset, 3, reset == Op::LOADK ? kSeventyPercent : 0), insn(Op::LOOP, 4, 0, 3),
                          insn(Op::RET)};
    return verifyProgram(p);
  };
  CHECK(program(Op::LOADK) == "profile \"KZ-0001\" pc 3 ADD_I: operand B (register 3) is unset here (not written on "
                              "every path, or with different types), needs int");
  CHECK(program(Op::LOADMISS) == "");  // LOADMISS r3, 0: an int again
}

TEST_CASE("verifier: accumulators must be initialised with their type", "[verifier]") {
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[6] = insn(Op::ACC_MAX_I, 3, 8); }) == "");
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[6] = insn(Op::ACC_SUM_D, 3, 8); }) ==
        "profile \"KZ-0001\" pc 6 ACC_SUM_D: operand B (register 8) holds int, needs decimal");
  CHECK(verifyWith([](Program& p) {
          p.profiles[0].code[1] = insn(Op::LOADMISS, 3, 1);
          p.profiles[0].code[6] = insn(Op::ACC_MIN_I, 3, 8);
        }) == "profile \"KZ-0001\" pc 6 ACC_MIN_I: operand A (register 3) holds decimal, needs int");
}

TEST_CASE("verifier: COALESCE needs one type on both sides", "[verifier]") {
  CHECK(verifyWith([](Program& p) { p.profiles[1].code[13] = insn(Op::COALESCE, 8, 2, 7); }) == "");
  CHECK(verifyWith([](Program& p) { p.profiles[1].code[13] = insn(Op::COALESCE, 8, 2, 4); }) ==
        "profile \"KZ-0002\" pc 13 COALESCE: operand C (register 4) holds decimal, needs int, the type of operand B");
}

TEST_CASE("verifier: field index out of range", "[verifier]") {
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[4].c = 5; }) ==
        "profile \"KZ-0001\" pc 4 GETF: field 5 is out of range (record Item has 5 fields)");
}

TEST_CASE("verifier: code must end with RET", "[verifier]") {
  CHECK(verifyWith([](Program& p) { p.profiles[1].code.back() = insn(Op::HIT); }) ==
        "profile \"KZ-0002\" pc 16 HIT: the code does not end with RET");
  CHECK(verifyWith([](Program& p) { p.profiles[1].code.clear(); }) == "profile \"KZ-0002\": has no code");
}

TEST_CASE("verifier: unknown opcode", "[verifier]") {
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[3].op = kOpCount; }) ==
        "profile \"KZ-0001\": pc 3: unknown opcode " + std::to_string(kOpCount));
}

TEST_CASE("verifier: set kind must match the opcode", "[verifier]") {
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[5].c = kCodesSet; }) ==
        "profile \"KZ-0001\" pc 5 INSET_HS: operand C names a set of the wrong kind for this opcode");
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[11].c = kTextilesSet; }).find("wrong kind") != std::string::npos);
}

TEST_CASE("verifier: indices of constants, sets, tables, regexes and enums", "[verifier]") {
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[1].b = 7; }) ==
        "profile \"KZ-0001\" pc 1 LOADK: operand B (constant 7) is out of range (7)");
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[13].b = kZero; }) ==
        "profile \"KZ-0001\" pc 13 RTEXT: operand B must be a string constant");
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[5].c = 3; }).find("(set 3) is out of range") != std::string::npos);
  CHECK(verifyWith([](Program& p) { p.profiles[1].code[1].c = 1; }).find("(table 1) is out of range") != std::string::npos);
  CHECK(verifyWith([](Program& p) { p.profiles[1].code[8].c = 1; }).find("(regex 1) is out of range") != std::string::npos);
  CHECK(verifyWith([](Program& p) { p.profiles[1].code[14].c = 1; }) ==
        "profile \"KZ-0002\" pc 14 RVAL: operand C enum 1 is invalid for render kind 8");
  CHECK(verifyWith([](Program& p) { p.profiles[1].code[14].b = 10; }) ==
        "profile \"KZ-0002\" pc 14 RVAL: render kind 10 is not in 0..9");
}

// The ranges come from the TRAITS column of opcodes.def, checked before any type.
TEST_CASE("verifier: immediates lie in their opcode's range", "[verifier]") {
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[1] = insn(Op::LOADMISS, 3, 3); }) ==
        "profile \"KZ-0001\" pc 1 LOADMISS: missing-value kind 3 is not in 0..2");
  CHECK(verifyWith([](Program& p) { p.profiles[0].code[1] = insn(Op::DATEPART, 3, 3, 4); }) ==
        "profile \"KZ-0001\" pc 1 DATEPART: date part 4 is not in 0..3");
  for (uint16_t length : {0, 1, 5, 11, 12})
    CHECK(verifyWith([&](Program& p) { p.profiles[0].code[1] = insn(Op::HSPREFIX, 3, 3, length); }) ==
          "profile \"KZ-0001\" pc 1 HSPREFIX: hs prefix length " + std::to_string(length) +
              " is not in 2..10 in steps of 2");
  for (uint16_t length : {2, 4, 6, 8, 10})
    CHECK(verifyWith([&](Program& p) { p.profiles[0].code[1] = insn(Op::HSPREFIX, 3, 3, length); })
              .find("hs prefix length") == std::string::npos);
}

TEST_CASE("verifier: table keys must fit the registers and match the key kinds", "[verifier]") {
  CHECK(verifyWith([](Program& p) {
          p.tables[0].keyKinds.push_back(ConstKind::String);
          p.tables[0].keyIsHs.push_back(false);
          p.tables[0].rows = {};
          p.profiles[1].code[1].b = 11;
        }) == "profile \"KZ-0002\" pc 1 LOOKUP: key registers 11..12 exceed the 12 registers");
  CHECK(verifyWith([](Program& p) { p.profiles[1].code[1].b = 4; }) ==
        "profile \"KZ-0002\" pc 1 LOOKUP: operand B+key (register 4) is unset here (not written on every path, or "
        "with different types), needs int");
}

TEST_CASE("verifier: profiles need two registers", "[verifier]") {
  CHECK(verifyWith([](Program& p) {
          p.profiles[0].registers = 1;
          p.profiles[0].code = {insn(Op::RET)};
        }) == "profile \"KZ-0001\": needs at least 2 registers, has 1");
}

TEST_CASE("verifier: R1 is the goods item only in item scope", "[verifier]") {
  CHECK(verifyWith([](Program& p) {
          p.profiles[1].itemScope = false;
          p.profiles[1].guard = GuardSpec{};
        }) ==
        "profile \"KZ-0002\" pc 0 GETF: operand B (register 1) is unset here (not written on every path, or with "
        "different types), needs a record");
}

TEST_CASE("verifier: profile guards name a goods-item field of a fitting kind", "[verifier]") {
  CHECK(verifyWith([](Program& p) { p.profiles[0].guard.field = 5; }) ==
        "profile \"KZ-0001\": guard field 5 is out of range");
  CHECK(verifyWith([](Program& p) { p.profiles[0].guard.field = kCustomsValue; }) ==
        "profile \"KZ-0001\": guard field customs_value has the wrong kind");
  CHECK(verifyWith([](Program& p) { p.profiles[1].guard.field = kDescription; }) ==
        "profile \"KZ-0002\": guard field description has the wrong kind");
  CHECK(verifyWith([](Program& p) { p.profiles[0].guard.anyItem = false; }) ==
        "profile \"KZ-0001\": guard scope does not match the profile's scope");
  CHECK(verifyWith([](Program& p) { p.profiles[0].guard.hs[0].length = 3; }) ==
        "profile \"KZ-0001\": guard has an invalid hs range");
  CHECK(verifyWith([](Program& p) { p.profiles[1].guard.kind = static_cast<GuardSpec::Kind>(5); }) ==
        "profile \"KZ-0002\": guard kind 5 is out of range");
  CHECK(verifyWith([](Program& p) { p.profiles[1].guard.kind = GuardSpec::String; }) ==
        "profile \"KZ-0002\": guard field category has the wrong kind");
  CHECK(verifyWith([](Program& p) { p.profiles[1].guard.strings = {"4000000"}; }) ==
        "profile \"KZ-0002\": guard holds values of another kind");
  CHECK(verifyWith([](Program& p) {
          p.profiles[1].guard = GuardSpec{};
          p.profiles[1].guard.kind = GuardSpec::Range;
          p.profiles[1].guard.field = kCustomsValue;
          p.profiles[1].guard.low = 5;
          p.profiles[1].guard.high = 4;
        }) == "profile \"KZ-0002\": guard has an empty range");
  CHECK(verifyWith([](Program& p) { p.profiles[1].guard.onDeclaration = true; }) ==
        "profile \"KZ-0002\": guard scope does not match the profile's scope");
  CHECK(verifyWith([](Program& p) { p.profiles[1].guard = GuardSpec{}; }) == "");
}

TEST_CASE("verifier: schema sanity", "[verifier]") {
  CHECK(verifyWith([](Program& p) { p.schema.root = 2; }) == "schema: root record 2 is out of range (2 records)");
  CHECK(verifyWith([](Program& p) { p.schema.itemsField = kTotal; }) == "schema: items field total must be of kind list");
  CHECK(verifyWith([](Program& p) { p.schema.idField = 9; }) ==
        "schema: id field 9 is out of range (record Declaration has 5 fields)");
  CHECK(verifyWith([](Program& p) { p.schema.itemNoField = kDescription; }) ==
        "schema: item no field description must be of kind int");
  CHECK(verifyWith([](Program& p) { p.schema.records[0].fields[4].ref = 1; }) ==
        "schema: record 0 (Item): field 4: enum 1 is out of range");
  CHECK(verifyWith([](Program& p) { p.schema.records[1].fields[2].ref = 5; }) ==
        "schema: record 1 (Declaration): field 2: record 5 is out of range");
  CHECK(verifyWith([](Program& p) { p.schema.records[0].fields[1].name = "no"; }) ==
        "schema: record 0 (Item): duplicate field no");
}

TEST_CASE("verifier: data the VM searches must be sorted and well-formed", "[verifier]") {
  CHECK(verifyWith([](Program& p) { p.sets[0].ints = {5, 1}; }) == "set 0 (CODES): ints not sorted, or duplicate");
  CHECK(verifyWith([](Program& p) { p.sets[1].hs[1].high = 99999; }) == "set 1 (TEXTILES): hs range 1 is invalid");
  CHECK(verifyWith([](Program& p) { p.sets[2].strings = {"51", "40"}; }) == "set 2: strings not sorted, or duplicate");
  CHECK(verifyWith([](Program& p) { std::swap(p.tables[0].rows[0], p.tables[0].rows[1]); }) ==
        "table 0 (REFERENCE_PRICE): row 1: not sorted by key, or duplicate key");
  CHECK(verifyWith([](Program& p) { p.tables[0].rows[0][0].i = 12345; }) ==
        "table 0 (REFERENCE_PRICE): row 0: key 0 is not a valid hs code");
  CHECK(verifyWith([](Program& p) { p.constants[kSeventyPercent].d = static_cast<__int128>(1) << 125; }) ==
        "constant 2: decimal out of range");
  CHECK(verifyWith([](Program& p) { p.constants[kShirtText].s = "\xff"; }) == "constant 4: string is not valid UTF-8");
  CHECK(verifyWith([](Program& p) { p.regexes[0] = "(unclosed"; }).find("regex 0: does not compile") == 0);
  CHECK(verifyWith([](Program& p) { std::swap(p.profiles[0], p.profiles[1]); }) ==
        "profile \"KZ-0001\": not sorted by id, or duplicate id");
  CHECK(verifyWith([](Program& p) { p.profiles[1].corridor = 2; }) ==
        "profile \"KZ-0002\": corridor 2 is not the most severe of its measures (3)");
  CHECK(verifyWith([](Program& p) { p.profiles[1].measures = {2, 2}; }).find("listed twice") != std::string::npos);
}

// depth nested FORPREP/LOOP pairs over one list.
Program nestedLoops(uint16_t depth) {
  Program p = sampleProgram();
  ProfileSpec& pr = p.profiles[0];
  const uint16_t kDepth = depth;
  pr.registers = static_cast<uint16_t>(3 + 2 * kDepth);
  pr.code = {insn(Op::GETF, 2, 0, kItems)};
  for (uint16_t d = 0; d < kDepth; ++d) pr.code.push_back(insn(Op::FORPREP, 3 + 2 * d, 2, 0));
  for (uint16_t d = kDepth; d-- > 0;) pr.code.push_back(insn(Op::LOOP, 3 + 2 * d, 0, d + 2));
  pr.code.push_back(insn(Op::RET));
  for (uint16_t d = 0; d < kDepth; ++d) pr.code[1 + d].c = static_cast<uint16_t>(pr.code.size() - 1 - d);
  return p;
}

TEST_CASE("verifier: deeply nested loops verify in bounded time and memory", "[verifier]") {
  const auto start = std::chrono::steady_clock::now();
  CHECK(verifyProgram(nestedLoops(500)) == "");
  // Far beyond generated code: 6,000 jump targets × 6,000 registers is refused, not tried.
  CHECK(verifyProgram(nestedLoops(3000)).find("too many jump targets and registers to verify") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("bundle: a schema beyond RecordFields or SchemaFields is refused at load", "[bundle][robustness]") {
  Program p = sampleProgram();
  RecordSpec wide{"Wide", {}};
  for (uint64_t k = 0; k <= limits::kRecordFields; ++k) wide.fields.push_back({"f" + std::to_string(k), FieldKind::Int, true, 0});
  p.schema.records.push_back(wide);
  LoadResult r = readBundle(writeBundle(p));
  CHECK_FALSE(r.program);
  CHECK(r.error.find("more than 4096 (RecordFields in docs/limits.md)") != std::string::npos);

  Program q = sampleProgram();
  RecordSpec part{"Part", {}};
  for (uint64_t k = 0; k < limits::kRecordFields; ++k) part.fields.push_back({"g" + std::to_string(k), FieldKind::Int, true, 0});
  for (uint64_t n = 0; n * limits::kRecordFields <= limits::kSchemaFields; ++n) q.schema.records.push_back(part);
  r = readBundle(writeBundle(q));
  CHECK_FALSE(r.program);
  CHECK(r.error.find("SchemaFields") != std::string::npos);
}

TEST_CASE("decoder: field names crafted to collide cost no more than any others", "[decode][robustness]") {
  // 4,000 names of one length that agree in their first, middle and last bytes: a hash of a few
  // bytes would put them all in one chain, and decoding a record that names them all would be
  // quadratic. With the whole key hashed (vm/value/keyed_hash.h) it is linear.
  Program p = sampleProgram();
  RecordSpec& item = p.schema.records[0];
  const size_t base = item.fields.size();
  for (int k = 0; k < 4000; ++k) {
    char name[16];  // "f01234_43210f": length 13, 'f' first and last, '_' in the middle
    std::snprintf(name, sizeof name, "f%05d_%05df", k, (k * 7919) % 100000);
    item.fields.push_back({name, FieldKind::Int, true, 0});
  }
  REQUIRE(verifyProgram(p) == "");
  DeclarationDecoder decoder(p.schema);
  std::string line = R"({"id":"D","registered":"2025-01-01","procedure":"40","items":[{"no":1,"hs_code":"6109","customs_value":1,"description":"x")";
  for (size_t k = base; k < item.fields.size(); ++k) line += ",\"" + item.fields[k].name + "\":" + std::to_string(k);
  line += "}]}";
  Arena arena;
  const auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < 20; ++round) {
    arena.reset();
    auto r = decoder.decode(line, arena);
    REQUIRE(r.error == "");
  }
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));  // a guard against quadratic time
  CHECK(KeyedHash{}(std::string_view("abc")) == KeyedHash{}(std::string("abc")));
  CHECK(processHashSeed() != 0);
}

}  // namespace
}  // namespace daliz

#include "vm/bundle/bundle_writer.h"

#include "vm/bundle/bundle_format.h"

namespace daliz {
namespace {

using bundle::kSections;

// Appends little-endian integers one byte at a time, so the bytes never depend on the host's
// byte order or on struct layout.
class ByteWriter {
 public:
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u16(uint16_t v) { le(v, 2); }
  void u32(uint32_t v) { le(v, 4); }
  void u64(uint64_t v) { le(v, 8); }
  void i32(int32_t v) { u32(static_cast<uint32_t>(v)); }  // two's complement
  void i64(int64_t v) { u64(static_cast<uint64_t>(v)); }
  void i128(__int128 v) {
    const auto u = static_cast<unsigned __int128>(v);
    u64(static_cast<uint64_t>(u));
    u64(static_cast<uint64_t>(u >> 64));
  }
  void flag(bool v) { u8(v ? 1 : 0); }
  void count(size_t n) { u64(n); }
  void str(const std::string& s) {
    count(s.size());
    out_ += s;
  }
  void bytes(std::string_view b) { out_.append(b.data(), b.size()); }
  std::string& data() { return out_; }

 private:
  void le(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<char>(static_cast<uint8_t>(v >> (8 * i))));
  }
  std::string out_;
};

void writeHeader(ByteWriter& w, const Program& p) {
  w.u64(p.seed);
  w.flag(p.includeDrafts);
  w.str(p.stdlibVersion);
  w.u64(p.schemaFingerprint);
}

void writeSchema(ByteWriter& w, const Schema& s) {
  w.count(s.enums.size());
  for (const EnumSpec& e : s.enums) {
    w.str(e.name);
    w.count(e.values.size());
    for (const std::string& v : e.values) w.str(v);
  }
  w.count(s.records.size());
  for (const RecordSpec& r : s.records) {
    w.str(r.name);
    w.count(r.fields.size());
    for (const FieldSpec& f : r.fields) {
      w.str(f.name);
      w.u8(static_cast<uint8_t>(f.kind));
      w.flag(f.optional);
      w.u32(f.ref);
    }
  }
  w.u32(s.root);
  w.u32(s.idField);
  w.u32(s.registeredField);
  w.u32(s.itemsField);
  w.u32(s.itemNoField);
}

void writeMeasures(ByteWriter& w, const std::vector<MeasureSpec>& measures) {
  w.count(measures.size());
  for (const MeasureSpec& m : measures) {
    w.str(m.name);
    w.str(m.code);
    w.str(m.description);
    w.u8(static_cast<uint8_t>(m.corridor));
    w.flag(m.takesDocuments);
  }
}

void writeDocumentKinds(ByteWriter& w, const std::vector<DocumentKindSpec>& kinds) {
  w.count(kinds.size());
  for (const DocumentKindSpec& k : kinds) {
    w.str(k.code);
    w.str(k.title);
  }
}

void writeConstant(ByteWriter& w, const Constant& c) {
  w.u8(static_cast<uint8_t>(c.kind));
  switch (c.kind) {
    case ConstKind::Int: w.i64(c.i); return;
    case ConstKind::Decimal: w.i128(c.d); return;
    case ConstKind::String: w.str(c.s); return;
  }
  // An out-of-range kind has no payload; the verifier rejects it on load.
}

void writeConstants(ByteWriter& w, const std::vector<Constant>& constants) {
  w.count(constants.size());
  for (const Constant& c : constants) writeConstant(w, c);
}

void writeSets(ByteWriter& w, const std::vector<SetSpec>& sets) {
  w.count(sets.size());
  for (const SetSpec& s : sets) {
    w.str(s.name);
    w.u8(static_cast<uint8_t>(s.kind));
    w.count(s.ints.size());
    for (int64_t v : s.ints) w.i64(v);
    w.count(s.hs.size());
    for (const HsRange& r : s.hs) {
      w.u64(r.low);
      w.u64(r.high);
      w.u8(r.length);
    }
    w.count(s.strings.size());
    for (const std::string& v : s.strings) w.str(v);
  }
}

void writeTables(ByteWriter& w, const std::vector<TableSpec>& tables) {
  w.count(tables.size());
  for (const TableSpec& t : tables) {
    w.str(t.name);
    w.count(t.keyKinds.size());
    for (ConstKind k : t.keyKinds) w.u8(static_cast<uint8_t>(k));
    w.count(t.keyIsHs.size());
    for (bool hs : t.keyIsHs) w.flag(hs);
    w.u8(static_cast<uint8_t>(t.valueKind));
    w.count(t.rows.size());
    for (const std::vector<Constant>& row : t.rows) {
      w.count(row.size());
      for (const Constant& c : row) writeConstant(w, c);
    }
  }
}

void writeRegexes(ByteWriter& w, const std::vector<std::string>& regexes) {
  w.count(regexes.size());
  for (const std::string& r : regexes) w.str(r);
}

// A function's instructions (a profile's or a categorisation rule's).
void writeCode(ByteWriter& w, const std::vector<Insn>& code) {
  w.count(code.size());
  for (const Insn& insn : code) {
    w.u16(insn.op);
    w.u16(insn.a);
    w.u16(insn.b);
    w.u16(insn.c);
  }
}

void writeProfiles(ByteWriter& w, const std::vector<ProfileSpec>& profiles) {
  w.count(profiles.size());
  for (const ProfileSpec& p : profiles) {
    w.str(p.id);
    w.str(p.title);
    w.str(p.area);
    w.u8(p.level);
    w.u8(p.status);
    w.flag(p.hasValid);
    w.i32(p.validFrom);
    w.i32(p.validTo);
    w.flag(p.itemScope);
    w.u32(p.sampleBasisPoints);
    w.count(p.measures.size());
    for (uint32_t m : p.measures) w.u32(m);
    w.u8(p.corridor);
    w.u16(p.registers);
    w.u8(static_cast<uint8_t>(p.guard.kind));
    w.flag(p.guard.anyItem);
    w.u32(p.guard.field);
    w.count(p.guard.hs.size());
    for (const HsRange& r : p.guard.hs) {
      w.u64(r.low);
      w.u64(r.high);
      w.u8(r.length);
    }
    w.count(p.guard.ints.size());
    for (int64_t v : p.guard.ints) w.i64(v);
    w.count(p.guard.strings.size());
    for (const std::string& v : p.guard.strings) w.str(v);
    w.i128(p.guard.low);
    w.i128(p.guard.high);
    w.flag(p.guard.onDeclaration);
    w.count(p.requests.size());
    for (const DocumentRequestSpec& r : p.requests) {
      w.u32(r.measure);
      w.count(r.documents.size());
      for (uint32_t d : r.documents) w.u32(d);
      w.u32(r.deadlineDays);
    }
    w.u8(p.noticeLanguages);
    writeCode(w, p.code);
  }
}

void writeCategoryRule(ByteWriter& w, const CategoryRuleSpec& r) {
  w.str(r.id);
  w.u8(r.category);
  w.u16(r.registers);
  writeCode(w, r.code);
}

// A flag, then (when set) the categorize block.
void writeCategorization(ByteWriter& w, const std::optional<CategorizationSpec>& k) {
  w.flag(k.has_value());
  if (!k) return;
  w.str(k->id);
  w.str(k->title);
  w.u32(k->record);
  w.u32(k->idField);
  w.count(k->rules.size());
  for (const CategoryRuleSpec& r : k->rules) writeCategoryRule(w, r);
  writeCategoryRule(w, k->fallback);
}

void writePlans(ByteWriter& w, const std::vector<PlanSpec>& plans) {
  w.count(plans.size());
  for (const PlanSpec& plan : plans) {
    w.str(plan.id);
    w.str(plan.office);
    for (const CorridorPlanSpec& c : plan.corridors) {
      w.flag(c.given);
      w.u32(c.lowBasisPoints);
      w.u32(c.highBasisPoints);
      w.u32(c.randomBasisPoints);
    }
  }
}

// Appends one section: its tag, the byte length of its payload, the payload.
template <typename Fill>
void section(ByteWriter& out, size_t index, Fill fill) {
  ByteWriter payload;
  fill(payload);
  out.u32(kSections[index].tag);
  out.u64(payload.data().size());
  out.bytes(payload.data());
}

}  // namespace

std::string writeBundle(const Program& p) {
  using namespace bundle;
  ByteWriter w;
  w.bytes(kMagic);
  w.u32(kFormatVersion);
  section(w, kHeader, [&](ByteWriter& s) { writeHeader(s, p); });
  section(w, kSchema, [&](ByteWriter& s) { writeSchema(s, p.schema); });
  section(w, kMeasures, [&](ByteWriter& s) {
    writeMeasures(s, p.measures);
    writeDocumentKinds(s, p.documentKinds);
  });
  section(w, kConstants, [&](ByteWriter& s) { writeConstants(s, p.constants); });
  section(w, kSets, [&](ByteWriter& s) { writeSets(s, p.sets); });
  section(w, kTables, [&](ByteWriter& s) { writeTables(s, p.tables); });
  section(w, kRegexes, [&](ByteWriter& s) { writeRegexes(s, p.regexes); });
  section(w, kProfiles, [&](ByteWriter& s) { writeProfiles(s, p.profiles); });
  section(w, kCategorization, [&](ByteWriter& s) { writeCategorization(s, p.categorization); });
  section(w, kPlans, [&](ByteWriter& s) { writePlans(s, p.plans); });
  const auto hash = contentHash(w.data());
  for (uint8_t b : hash) w.u8(b);
  return std::move(w.data());
}

std::string contentHashHex(std::string_view bundleBytes) {
  if (bundleBytes.size() < bundle::kPreambleSize + bundle::kHashSize) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (char c : bundleBytes.substr(bundleBytes.size() - bundle::kHashSize)) {
    const auto b = static_cast<uint8_t>(c);
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 15]);
  }
  return hex;
}

}  // namespace daliz

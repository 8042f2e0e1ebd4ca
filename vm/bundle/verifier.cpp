// The data half of verifyProgram: schema, measures, constants, sets, tables, regexes and the
// profiles' metadata. The code half is in verify_structure.cpp and verify_types.cpp.
#include "vm/bundle/verifier.h"

#include <re2/re2.h>

#include <algorithm>

#include "vm/bundle/verify_internal.h"
#include "vm/limits.h"
#include "vm/value/date.h"
#include "vm/value/decimal.h"
#include "vm/value/hs_code.h"

namespace daliz {
namespace verify {

CheckedFunction checkedProfile(const Program& program, const ProfileSpec& profile) {
  return {profile, "profile \"" + profile.id + "\"", program.schema.root, profile.itemScope};
}

std::string where(const CheckedFunction& f, size_t pc) {
  const uint16_t op = pc < f.fn.code.size() ? f.fn.code[pc].op : kOpCount;
  return f.name + " pc " + std::to_string(pc) + " " + (op < kOpCount ? opInfo(op).name : "?") +
         ": ";
}

bool isValidUtf8(std::string_view s) noexcept {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<uint8_t>(s[i]);
    size_t n = 0;
    uint8_t lo = 0x80, hi = 0xBF;  // the range of the second byte; later bytes are 80..BF
    if (b < 0x80) {
      ++i;
      continue;
    }
    if (b >= 0xC2 && b <= 0xDF)
      n = 1;
    else if (b == 0xE0) {
      n = 2;
      lo = 0xA0;
    }  // no overlong forms
    else if (b >= 0xE1 && b <= 0xEC)
      n = 2;
    else if (b == 0xED) {
      n = 2;
      hi = 0x9F;
    }  // no surrogates
    else if (b >= 0xEE && b <= 0xEF)
      n = 2;
    else if (b == 0xF0) {
      n = 3;
      lo = 0x90;
    } else if (b >= 0xF1 && b <= 0xF3)
      n = 3;
    else if (b == 0xF4) {
      n = 3;
      hi = 0x8F;
    }  // nothing above U+10FFFF
    else
      return false;
    if (s.size() - i <= n) return false;
    for (size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<uint8_t>(s[i + k]);
      if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) return false;
    }
    i += n + 1;
  }
  return true;
}

uint32_t itemRecord(const Schema& schema) {
  return schema.records[schema.root].fields[schema.itemsField].ref;
}

}  // namespace verify

namespace {

using verify::isValidUtf8;

constexpr auto kFieldKindCount = static_cast<uint8_t>(FieldKind::List) + 1;
constexpr auto kConstKindCount = static_cast<uint8_t>(ConstKind::String) + 1;

std::string named(const char* what, size_t index, const std::string& name) {
  return std::string(what) + " " + std::to_string(index) + (name.empty() ? "" : " (" + name + ")") +
         ": ";
}

std::string checkEngineField(const RecordSpec& rec, uint32_t index, FieldKind kind,
                             const char* what, const char* kindName) {
  if (index >= rec.fields.size())
    return std::string("schema: ") + what + " field " + std::to_string(index) +
           " is out of range (record " + rec.name + " has " + std::to_string(rec.fields.size()) +
           " fields)";
  if (rec.fields[index].kind != kind)
    return std::string("schema: ") + what + " field " + rec.fields[index].name +
           " must be of kind " + kindName;
  return "";
}

std::string checkSchema(const Schema& s) {
  if (s.records.size() >= (1u << 30)) return "schema: too many records";
  if (s.root >= s.records.size())
    return "schema: root record " + std::to_string(s.root) + " is out of range (" +
           std::to_string(s.records.size()) + " records)";
  for (size_t e = 0; e < s.enums.size(); ++e) {
    const EnumSpec& en = s.enums[e];
    if (!isValidUtf8(en.name)) return named("schema: enum", e, "") + "name is not valid UTF-8";
    std::vector<std::string> sorted = en.values;
    std::sort(sorted.begin(), sorted.end());
    for (size_t v = 0; v < sorted.size(); ++v) {
      if (!isValidUtf8(sorted[v]))
        return named("schema: enum", e, en.name) + "a value is not valid UTF-8";
      if (v > 0 && sorted[v] == sorted[v - 1])
        return named("schema: enum", e, en.name) + "duplicate value " + sorted[v];
    }
  }
  size_t fields = 0;
  for (size_t r = 0; r < s.records.size(); ++r) {
    const RecordSpec& rec = s.records[r];
    if (rec.fields.size() > limits::kRecordFields)
      return named("schema: record", r, rec.name) + "has " + std::to_string(rec.fields.size()) +
             " fields, more than " + std::to_string(limits::kRecordFields) +
             " (RecordFields in docs/limits.md)";
    if ((fields += rec.fields.size()) > limits::kSchemaFields)
      return "schema: more than " + std::to_string(limits::kSchemaFields) +
             " fields in all records (SchemaFields in docs/limits.md)";
  }
  for (size_t r = 0; r < s.records.size(); ++r) {
    const RecordSpec& rec = s.records[r];
    if (!isValidUtf8(rec.name)) return named("schema: record", r, "") + "name is not valid UTF-8";
    std::vector<std::string> names;
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      const FieldSpec& f = rec.fields[i];
      const std::string at =
          named("schema: record", r, rec.name) + "field " + std::to_string(i) + ": ";
      if (!isValidUtf8(f.name)) return at + "name is not valid UTF-8";
      if (static_cast<uint8_t>(f.kind) >= kFieldKindCount)
        return at + "kind " + std::to_string(static_cast<unsigned>(f.kind)) + " is out of range";
      if (f.kind == FieldKind::Enum && f.ref >= s.enums.size())
        return at + "enum " + std::to_string(f.ref) + " is out of range";
      if ((f.kind == FieldKind::Record || f.kind == FieldKind::List) && f.ref >= s.records.size())
        return at + "record " + std::to_string(f.ref) + " is out of range";
      names.push_back(f.name);
    }
    std::sort(names.begin(), names.end());
    if (auto dup = std::adjacent_find(names.begin(), names.end()); dup != names.end())
      return named("schema: record", r, rec.name) + "duplicate field " + *dup;
  }
  const RecordSpec& root = s.records[s.root];
  if (std::string e = checkEngineField(root, s.idField, FieldKind::String, "id", "string");
      !e.empty())
    return e;
  if (std::string e =
          checkEngineField(root, s.registeredField, FieldKind::Date, "registered", "date");
      !e.empty())
    return e;
  if (std::string e = checkEngineField(root, s.itemsField, FieldKind::List, "items", "list");
      !e.empty())
    return e;
  return checkEngineField(s.records[verify::itemRecord(s)], s.itemNoField, FieldKind::Int,
                          "item no", "int");
}

std::string checkMeasures(const std::vector<MeasureSpec>& measures) {
  for (size_t m = 0; m < measures.size(); ++m) {
    const MeasureSpec& ms = measures[m];
    if (!isValidUtf8(ms.name) || !isValidUtf8(ms.code) || !isValidUtf8(ms.description))
      return named("measure", m, "") + "text is not valid UTF-8";
    if (static_cast<uint8_t>(ms.corridor) > static_cast<uint8_t>(CorridorCode::Red))
      return named("measure", m, ms.name) + "corridor " +
             std::to_string(static_cast<unsigned>(ms.corridor)) + " is out of range";
    if (m > 0 && !(measures[m - 1].name < ms.name))
      return named("measure", m, ms.name) + "not sorted by name, or duplicate";
  }
  return "";
}

// What a profile's measures ask for: measures of the profile that take documents, each once,
// in order; document kinds in range, sorted, each once; deadlines within a year.
std::string checkRequests(const Program& p, const ProfileSpec& pr, const std::string& at) {
  for (size_t r = 0; r < pr.requests.size(); ++r) {
    const DocumentRequestSpec& q = pr.requests[r];
    if (std::find(pr.measures.begin(), pr.measures.end(), q.measure) == pr.measures.end())
      return at + "request " + std::to_string(r) + " is for a measure the profile does not apply";
    if (!p.measures[q.measure].takesDocuments)
      return at + "request " + std::to_string(r) + ": measure " + p.measures[q.measure].name +
             " takes no documents";
    if (r > 0 && !(pr.requests[r - 1].measure < q.measure))
      return at + "requests not sorted by measure, or duplicate";
    for (size_t d = 0; d < q.documents.size(); ++d) {
      if (q.documents[d] >= p.documentKinds.size())
        return at + "document kind " + std::to_string(q.documents[d]) + " is out of range";
      if (d > 0 && !(q.documents[d - 1] < q.documents[d]))
        return at + "document kinds not sorted, or duplicate";
    }
    if (q.deadlineDays > 365)
      return at + "deadline of " + std::to_string(q.deadlineDays) + " days is out of range";
  }
  return "";
}

// Plans: text UTF-8, at most one per office and sorted by office ("" first), shares within
// 0..100% with low <= high, random rates within 0..100% and none into green.
std::string checkPlans(const std::vector<PlanSpec>& plans) {
  for (size_t k = 0; k < plans.size(); ++k) {
    const PlanSpec& plan = plans[k];
    const std::string at = "plan \"" + plan.id + "\": ";
    if (!isValidUtf8(plan.id) || !isValidUtf8(plan.office))
      return "plan " + std::to_string(k) + ": text is not valid UTF-8";
    if (k > 0 && !(plans[k - 1].office < plan.office))
      return at + "not sorted by office, or a second plan for one office";
    for (uint8_t c = 0; c < 4; ++c) {
      const CorridorPlanSpec& r = plan.corridors[c];
      if (r.lowBasisPoints > r.highBasisPoints || r.highBasisPoints > 10000 ||
          r.randomBasisPoints > 10000 || (c == 0 && r.randomBasisPoints != 0) ||
          (!r.given && (r.lowBasisPoints || r.highBasisPoints || r.randomBasisPoints)))
        return at + kCorridorNames[c] + " share or random rate out of range";
    }
  }
  return "";
}

std::string checkDocumentKinds(const std::vector<DocumentKindSpec>& kinds) {
  for (size_t k = 0; k < kinds.size(); ++k) {
    const DocumentKindSpec& d = kinds[k];
    if (!isValidUtf8(d.code) || !isValidUtf8(d.title))
      return "document kind " + std::to_string(k) + ": text is not valid UTF-8";
    if (k > 0 && !(kinds[k - 1].code < d.code))
      return "document kind " + std::to_string(k) + " (" + d.code + "): not sorted by code, or duplicate";
  }
  return "";
}

// A constant on its own: kind in range, decimal in range, string UTF-8.
std::string checkConstant(const Constant& c) {
  if (static_cast<uint8_t>(c.kind) >= kConstKindCount)
    return "kind " + std::to_string(static_cast<unsigned>(c.kind)) + " is out of range";
  if (c.kind == ConstKind::Decimal && !inRange(Decimal{c.d})) return "decimal out of range";
  if (c.kind == ConstKind::String && !isValidUtf8(c.s)) return "string is not valid UTF-8";
  return "";
}

std::string checkConstants(const std::vector<Constant>& constants) {
  for (size_t k = 0; k < constants.size(); ++k)
    if (std::string e = checkConstant(constants[k]); !e.empty())
      return named("constant", k, "") + e;
  return "";
}

uint64_t pow10(int n) {
  uint64_t v = 1;
  while (n-- > 0) v *= 10;
  return v;
}

std::string checkSet(const SetSpec& s) {
  if (!isValidUtf8(s.name)) return "name is not valid UTF-8";
  const bool isInt = s.kind == SetKind::Int, isHs = s.kind == SetKind::Hs,
             isStr = s.kind == SetKind::String;
  if (!isInt && !isHs && !isStr)
    return "kind " + std::to_string(static_cast<unsigned>(s.kind)) + " is out of range";
  if ((!isInt && !s.ints.empty()) || (!isHs && !s.hs.empty()) || (!isStr && !s.strings.empty()))
    return "holds elements of another kind";
  for (size_t i = 1; i < s.ints.size(); ++i)
    if (!(s.ints[i - 1] < s.ints[i])) return "ints not sorted, or duplicate";
  for (size_t i = 0; i < s.hs.size(); ++i) {
    const HsRange& r = s.hs[i];
    if (r.length < 2 || r.length > 10 || r.length % 2 != 0)
      return "hs range of length " + std::to_string(r.length);
    if (r.low > r.high || r.high >= pow10(r.length))
      return "hs range " + std::to_string(i) + " is invalid";
    if (i > 0 && std::pair(s.hs[i - 1].length, s.hs[i - 1].low) > std::pair(r.length, r.low))
      return "hs ranges not sorted by (length, low)";
  }
  for (size_t i = 0; i < s.strings.size(); ++i) {
    if (!isValidUtf8(s.strings[i])) return "string is not valid UTF-8";
    if (i > 0 && !(s.strings[i - 1] < s.strings[i])) return "strings not sorted, or duplicate";
  }
  return "";
}

// Orders two table rows by their keys (ints and decimals by value, strings by bytes).
int compareKeys(const std::vector<Constant>& a, const std::vector<Constant>& b, size_t keys) {
  for (size_t k = 0; k < keys; ++k) {
    const Constant &x = a[k], &y = b[k];
    const int c = x.kind == ConstKind::String    ? x.s.compare(y.s)
                  : x.kind == ConstKind::Decimal ? (x.d < y.d ? -1 : x.d > y.d)
                                                 : (x.i < y.i ? -1 : x.i > y.i);
    if (c != 0) return c < 0 ? -1 : 1;
  }
  return 0;
}

std::string checkTable(const TableSpec& t) {
  if (!isValidUtf8(t.name)) return "name is not valid UTF-8";
  const size_t keys = t.keyKinds.size();
  if (t.keyIsHs.size() != keys)
    return "keyIsHs has " + std::to_string(t.keyIsHs.size()) + " entries for " +
           std::to_string(keys) + " keys";
  for (size_t k = 0; k < keys; ++k) {
    if (static_cast<uint8_t>(t.keyKinds[k]) >= kConstKindCount) return "key kind out of range";
    if (t.keyIsHs[k] && t.keyKinds[k] != ConstKind::Int)
      return "hs key " + std::to_string(k) + " is not of kind int";
  }
  if (static_cast<uint8_t>(t.valueKind) >= kConstKindCount) return "value kind out of range";
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    const std::string at = "row " + std::to_string(r) + ": ";
    if (row.size() != keys + 1)
      return at + "has " + std::to_string(row.size()) + " cells, expected " +
             std::to_string(keys + 1);
    for (size_t k = 0; k <= keys; ++k) {
      if (std::string e = checkConstant(row[k]); !e.empty()) return at + e;
      if (row[k].kind != (k < keys ? t.keyKinds[k] : t.valueKind))
        return at + "cell " + std::to_string(k) + " has the wrong kind";
      if (k < keys && t.keyIsHs[k] &&
          (row[k].i < 0 || decodeHs(static_cast<uint64_t>(row[k].i)).empty()))
        return at + "key " + std::to_string(k) + " is not a valid hs code";
    }
    if (r > 0 && compareKeys(t.rows[r - 1], row, keys) >= 0)
      return at + "not sorted by key, or duplicate key";
  }
  return "";
}

std::string checkRegexes(const std::vector<std::string>& regexes) {
  for (size_t x = 0; x < regexes.size(); ++x) {
    if (!isValidUtf8(regexes[x])) return named("regex", x, "") + "not valid UTF-8";
    const RE2 re(regexes[x], RE2::Quiet);
    if (!re.ok()) return named("regex", x, "") + "does not compile: " + re.error();
  }
  return "";
}

// A guard names a field of the goods-item record (or of the declaration) whose kind fits it
// (the VM reads that cell as an hs code, an int-like value, a string or a number), hs ranges of
// valid shape, and no values of another kind.
std::string checkGuard(const Program& p, const ProfileSpec& pr, const std::string& at) {
  const GuardSpec& g = pr.guard;
  if (g.kind == GuardSpec::None)
    return g.hs.empty() && g.ints.empty() && g.strings.empty() && !g.anyItem && !g.onDeclaration &&
                   g.low == 0 && g.high == 0
               ? ""
               : at + "guard has no kind but values";
  if (g.kind > GuardSpec::Range)
    return at + "guard kind " + std::to_string(g.kind) + " is out of range";
  if (g.onDeclaration ? (g.anyItem || pr.itemScope) : g.anyItem == pr.itemScope)
    return at + "guard scope does not match the profile's scope";
  const RecordSpec& root = p.schema.records[p.schema.root];
  const RecordSpec& record =
      g.onDeclaration ? root : p.schema.records[root.fields[p.schema.itemsField].ref];
  if (g.field >= record.fields.size())
    return at + "guard field " + std::to_string(g.field) + " is out of range";
  FieldKind k = record.fields[g.field].kind;
  bool fits = false;
  switch (g.kind) {
    case GuardSpec::Hs:
      fits = k == FieldKind::Hs;
      break;
    case GuardSpec::Int:
      fits = k == FieldKind::Int || k == FieldKind::Country || k == FieldKind::Currency ||
             k == FieldKind::Enum;
      break;
    case GuardSpec::String:
      fits = k == FieldKind::String || k == FieldKind::Code;
      break;
    case GuardSpec::Range:
      fits = k == FieldKind::Int || k == FieldKind::Date || k == FieldKind::Decimal ||
             k == FieldKind::Money;
      break;
    default:
      break;
  }
  if (!fits) return at + "guard field " + record.fields[g.field].name + " has the wrong kind";
  for (const HsRange& r : g.hs)
    if (r.length < 2 || r.length > 10 || r.length % 2 != 0 || r.low > r.high ||
        r.high >= pow10(r.length))
      return at + "guard has an invalid hs range";
  if ((g.kind != GuardSpec::Hs && !g.hs.empty()) || (g.kind != GuardSpec::Int && !g.ints.empty()) ||
      (g.kind != GuardSpec::String && !g.strings.empty()) ||
      (g.kind != GuardSpec::Range && (g.low != 0 || g.high != 0)))
    return at + "guard holds values of another kind";
  if (g.kind == GuardSpec::Range && g.low > g.high) return at + "guard has an empty range";
  return "";
}

std::string checkProfile(const Program& p, size_t index) {
  const ProfileSpec& pr = p.profiles[index];
  if (!isValidUtf8(pr.id) || !isValidUtf8(pr.title) || !isValidUtf8(pr.area))
    return named("profile", index, "") + "text is not valid UTF-8";
  const std::string at = "profile \"" + pr.id + "\": ";
  if (index > 0 && !(p.profiles[index - 1].id < pr.id))
    return at + "not sorted by id, or duplicate id";
  if (pr.level > 2) return at + "level " + std::to_string(pr.level) + " is out of range";
  if (pr.status > 2) return at + "status " + std::to_string(pr.status) + " is out of range";
  if (pr.hasValid) {
    for (int32_t d : {pr.validFrom, pr.validTo})
      if (d < kMinDate.days || d > kMaxDate.days)
        return at + "valid date " + std::to_string(d) + " is out of range";
  }
  if (pr.sampleBasisPoints > 10000)
    return at + "sample of " + std::to_string(pr.sampleBasisPoints) + " basis points";
  uint8_t corridor = 0;
  for (size_t m = 0; m < pr.measures.size(); ++m) {
    if (pr.measures[m] >= p.measures.size())
      return at + "measure " + std::to_string(pr.measures[m]) + " is out of range";
    corridor = std::max(corridor, static_cast<uint8_t>(p.measures[pr.measures[m]].corridor));
  }
  // Their order is the code generator's (most severe corridor first); only repeats are wrong.
  std::vector<uint32_t> sorted = pr.measures;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
    return at + "a measure is listed twice";
  if (pr.corridor != corridor)
    return at + "corridor " + std::to_string(pr.corridor) +
           " is not the most severe of its measures (" + std::to_string(corridor) + ")";
  if (pr.registers < 2)
    return at + "needs at least 2 registers, has " + std::to_string(pr.registers);
  if (std::string e = checkRequests(p, pr, at); !e.empty()) return e;
  if (pr.noticeLanguages >= (1u << kNoticeLanguageCount))
    return at + "notice languages " + std::to_string(pr.noticeLanguages) + " are out of range";
  // TEXT may switch only to the notice languages the profile declares.
  for (const Insn& in : pr.code)
    if (in.op == static_cast<uint16_t>(Op::TEXT) && in.b > 0 && !(pr.noticeLanguages >> (in.b - 1) & 1))
      return at + "TEXT " + std::to_string(in.b) + " names a notice language the profile has not";
  return checkGuard(p, pr, at);
}

// Instruction visits allowed per instruction, on top of a fixed allowance: generated code
// needs a small fraction of it (a few passes over the code, merging a few hundred registers
// at each jump target), while a crafted bundle cannot make loading take more than
// seconds.
constexpr uint64_t kBaseBudget = limits::kVerifierWork;
constexpr uint64_t kBudgetPerInsn = limits::kVerifierWorkPerInstruction;

}  // namespace

VerifyOutcome verifyProgramDetailed(const Program& p) {
  auto whole = [](std::string e) { return VerifyOutcome{std::move(e), -1, false}; };
  if (!isValidUtf8(p.stdlibVersion)) return whole("header: stdlib version is not valid UTF-8");
  if (std::string e = checkSchema(p.schema); !e.empty()) return whole(e);
  if (std::string e = checkMeasures(p.measures); !e.empty()) return whole(e);
  if (std::string e = checkDocumentKinds(p.documentKinds); !e.empty()) return whole(e);
  if (std::string e = checkPlans(p.plans); !e.empty()) return whole(e);
  if (std::string e = checkConstants(p.constants); !e.empty()) return whole(e);
  for (size_t s = 0; s < p.sets.size(); ++s)
    if (std::string e = checkSet(p.sets[s]); !e.empty())
      return whole(named("set", s, p.sets[s].name) + e);
  for (size_t t = 0; t < p.tables.size(); ++t)
    if (std::string e = checkTable(p.tables[t]); !e.empty())
      return whole(named("table", t, p.tables[t].name) + e);
  if (std::string e = checkRegexes(p.regexes); !e.empty()) return whole(e);
  verify::Budget budget{kBaseBudget};
  for (const ProfileSpec& pr : p.profiles) budget.left += kBudgetPerInsn * pr.code.size();
  for (size_t i = 0; i < p.profiles.size(); ++i) {
    const int at = static_cast<int>(i);
    if (std::string e = checkProfile(p, i); !e.empty()) return {e, at, false};
    const verify::CheckedFunction f = verify::checkedProfile(p, p.profiles[i]);
    if (std::string e = verify::checkStructure(p, f); !e.empty())
      return {e, at, p.profiles[i].code.size() > limits::kProfileCode};
    if (std::string e = verify::checkTypes(p, f, budget); !e.empty())
      return {e, at, budget.limitHit};
  }
  return whole(verify::checkCategorization(p));
}

std::string verifyProgram(const Program& p) { return verifyProgramDetailed(p).error; }

uint32_t costDegree(const std::vector<Insn>& code) {
  // Where a register's value comes from: the declaration or the item (R0, R1, and fields of
  // them), an element of an open loop, or something else.
  constexpr int kRoot = -1, kUnknown = -2;  // otherwise: the index of an open loop
  uint16_t registers = 2;
  for (const Insn& in : code)
    registers =
        std::max<uint16_t>(registers, static_cast<uint16_t>(std::max({in.a, in.b, in.c}) + 2));
  std::vector<int> origin(registers, kUnknown);
  origin[0] = origin[1] = kRoot;
  struct Loop {
    uint16_t counter;
    uint32_t degree;
  };
  std::vector<Loop> open;
  uint32_t deepest = 0;
  for (const Insn& in : code) {
    const Op op = static_cast<Op>(in.op);
    const OpInfo& info = opInfo(in.op);
    switch (op) {
      case Op::GETF:
      case Op::MOVE:
        origin[in.a] = origin[in.b];
        break;
      case Op::GETITEM: {
        int loop = kUnknown;
        for (size_t l = 0; l < open.size(); ++l)
          if (open[l].counter == in.c) loop = static_cast<int>(l);
        origin[in.a] = loop;
        break;
      }
      default:
        if (info.traits.loopHead) {
          const uint32_t outer = open.empty() ? 0 : open.back().degree;
          const int list = origin[in.b];
          const uint32_t degree = list == kRoot ? outer + 1
                                  : list >= 0   ? std::max(outer, open[list].degree)
                                                : outer;
          deepest = std::max(deepest, degree);
          open.push_back({in.a, degree});
          origin[in.a] = origin[in.a + 1] = kUnknown;
        } else if (info.traits.isLoopTail) {
          if (!open.empty()) open.pop_back();
        } else if (isWriteRole(info.a)) {
          origin[in.a] = kUnknown;
        }
        break;
    }
  }
  return deepest;
}

}  // namespace daliz

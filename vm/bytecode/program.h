#pragma once
// A compiled profile set: what the code generator produces, what a bundle stores
// (docs/bundle.md), and what the VM runs. Plain data: no pointers, so it serializes as is.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vm/bytecode/opcode.h"

namespace daliz {

// ---- the declaration schema, as the decoder and the VM need it ----
enum class FieldKind : uint8_t {
  Bool,
  Int,
  Decimal,
  Money,
  String,
  Code,
  Date,
  Hs,
  Country,
  Currency,
  Enum,
  Record,
  List
};
struct FieldSpec {
  std::string name;
  FieldKind kind;
  bool optional = false;
  uint32_t ref = 0;  // Enum: enum index; Record/List: record index
};
struct RecordSpec {
  std::string name;
  std::vector<FieldSpec> fields;
};
struct EnumSpec {
  std::string name;
  std::vector<std::string> values;
};
struct Schema {
  std::vector<EnumSpec> enums;
  std::vector<RecordSpec> records;
  uint32_t root = 0;
  // Fields the engine itself reads, resolved by the compiler: the declaration's id,
  // registration date and goods-item list, and the item's number.
  uint32_t idField = 0, registeredField = 0, itemsField = 0, itemNoField = 0;
};

// ---- constants ----
enum class ConstKind : uint8_t { Int, Decimal, String };
struct Constant {
  ConstKind kind = ConstKind::Int;
  int64_t i = 0;
  __int128 d = 0;
  std::string s;
  bool operator==(const Constant& o) const {
    return kind == o.kind && i == o.i && d == o.d && s == o.s;
  }
};

// ---- sets ----
// An hs set element: every code whose `length`-digit prefix lies in [low, high] (as
// integers of that many digits). A plain prefix "6109" is the range 6109..6109.
struct HsRange {
  uint64_t low = 0, high = 0;
  uint8_t length = 0;
};
struct SetSpec {
  std::string name;  // for disasm; "" for inline sets
  SetKind kind = SetKind::Int;
  std::vector<int64_t> ints;         // sorted, unique
  std::vector<HsRange> hs;           // sorted by (length, low)
  std::vector<std::string> strings;  // sorted, unique
};

// ---- tables ----
struct TableSpec {
  std::string name;
  std::vector<ConstKind> keyKinds;  // Int also for hs, country, currency, enum keys
  std::vector<bool> keyIsHs;        // hs keys match the longest prefix present
  ConstKind valueKind = ConstKind::Decimal;
  // Rows sorted by key; each row is its keys then its value.
  std::vector<std::vector<Constant>> rows;
};

// ---- profiles ----
enum class CorridorCode : uint8_t { Green = 0, Blue = 1, Yellow = 2, Red = 3 };
// The corridors' names, by CorridorCode: the one spelling of each (decisions, plans, messages).
inline constexpr const char* kCorridorNames[] = {"green", "blue", "yellow", "red"};
struct MeasureSpec {
  std::string name, code, description;
  CorridorCode corridor = CorridorCode::Green;
  bool takesDocuments = false;  // a profile may name the documents it asks for
};

// A kind of document a measure asks for (the EAEU classifier; stdlib/data/document_kinds.csv).
struct DocumentKindSpec {
  std::string code;   // five digits, e.g. "04021"
  std::string title;  // "Invoice"; "" for a code outside the shipped subset
};
// What one measure of a profile asks the declarant for.
struct DocumentRequestSpec {
  uint32_t measure = 0;             // index into Program::measures, one of the profile's
  std::vector<uint32_t> documents;  // indices into Program::documentKinds, sorted, unique
  uint32_t deadlineDays = 0;        // 0: no deadline given
};

// The languages of a notice (`notice kk "…" ru "…" en "…"`), in the order decisions list them;
// "text" is a bare `notice "…"`. TEXT's operand is 1 + an index into this table.
inline constexpr const char* kNoticeLanguages[] = {"text", "kk", "ru", "en"};
inline constexpr uint8_t kNoticeLanguageCount = 4;

// A necessary condition for a profile to fire, proved by the compiler from the top-level
// conjuncts of its `when`: the VM indexes profiles by it and runs a profile only for the items
// (or declarations) that can satisfy it (docs/performance.md). kind None: the profile runs for
// every object. Which record `field` belongs to: the goods item, unless onDeclaration.
struct GuardSpec {
  enum Kind : uint8_t { None = 0, Hs = 1, Int = 2, String = 3, Range = 4 } kind = None;
  bool anyItem = false;       // declaration scope: some goods item must satisfy it
  uint32_t field = 0;         // the field it tests
  std::vector<HsRange> hs;    // Hs: the field's code matches one of these prefixes/ranges
  std::vector<int64_t> ints;  // Int: the field's value is one of these (sorted, unique)
  std::vector<std::string>
      strings;  // String: the (code or string) field is one of these (sorted, unique)
  __int128 low = 0, high = 0;  // Range: low <= the numeric field <= high (int, date: the
                               // value; decimal, money: units of 10^-6)
  bool onDeclaration = false;  // declaration scope: a field of the declaration itself
};

// The code of one function — a profile's or a categorisation rule's — as the verifier checks it
// and both back ends run it: R0 is the root record (the declaration, or the participant), R1 the
// goods item of an item-scope profile.
struct Function {
  uint16_t registers = 0;
  std::vector<Insn> code;
};

struct ProfileSpec : Function {
  std::string id, title, area;
  uint8_t level = 1;   // 0 low, 1 medium, 2 high
  uint8_t status = 1;  // 0 draft, 1 active, 2 suspended
  bool hasValid = false;
  int32_t validFrom = 0, validTo = 0;  // days, inclusive
  bool itemScope = false;
  uint32_t sampleBasisPoints = 10000;  // of 10,000
  std::vector<uint32_t> measures;      // indices into Program::measures, sorted
  uint8_t corridor = 0;                // the most severe corridor of its measures
  GuardSpec guard;
  std::vector<DocumentRequestSpec> requests;  // by measure
  uint8_t noticeLanguages = 0;                // bit i: its notice has kNoticeLanguages[i]
};

// ---- categorisation of participants (`categorize`, docs/language.md) ----
// One rule: its code runs with R0 = the participant record and reaches HIT, with the rendered
// reason, exactly when the rule decides (its condition is true). The default's code always
// reaches HIT.
struct CategoryRuleSpec : Function {
  std::string id;        // "" for the default
  uint8_t category = 1;  // 0 low, 1 medium, 2 high
};
struct CategorizationSpec {
  std::string id, title;
  uint32_t record = 0;                  // the schema's Participant record
  uint32_t idField = 0;                 // its `id` field (string)
  std::vector<CategoryRuleSpec> rules;  // in source order: the first that matches decides
  CategoryRuleSpec fallback;            // the `default`
};

// ---- selection plans (`plan`, docs/language.md 2.24) ----
// A corridor's expected share of the declarations, and the minimum rate at which declarations
// that no profile sent there are sent there at random; in basis points (1% = 100).
struct CorridorPlanSpec {
  bool given = false;  // the plan names this corridor
  uint32_t lowBasisPoints = 0, highBasisPoints = 0;
  uint32_t randomBasisPoints = 0;  // 0: no random selection into it (always 0 for green)
};
// One plan: for every office without a plan of its own (office ""), or for one customs office.
struct PlanSpec {
  std::string id;
  std::string office;
  CorridorPlanSpec corridors[4];  // by corridor code: green, blue, yellow, red
};

struct Program {
  uint64_t seed = 0;
  bool includeDrafts = false;
  std::string stdlibVersion;
  uint64_t schemaFingerprint = 0;
  Schema schema;
  std::vector<MeasureSpec> measures;  // sorted by name
  std::vector<DocumentKindSpec> documentKinds;  // those the profiles ask for, sorted by code
  std::vector<Constant> constants;
  std::vector<SetSpec> sets;
  std::vector<TableSpec> tables;
  std::vector<std::string> regexes;
  std::vector<ProfileSpec> profiles;                 // sorted by id
  std::optional<CategorizationSpec> categorization;  // the `categorize` block, if any
  std::vector<PlanSpec> plans;  // sorted by office, "" (the general plan) first; offices unique
};

// The stdlib version written into bundles.
inline constexpr const char* kStdlibVersion = "daliz-stdlib 1 (EAEU GD 257, HS 2022)";

}  // namespace daliz

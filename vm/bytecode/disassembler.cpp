#include "vm/bytecode/disassembler.h"

#include <cstdio>

#include "stdlib/reference_data.h"
#include "vm/value/date.h"
#include "vm/value/decimal.h"

namespace daliz {
namespace {

std::string constantText(const Constant& k) {
  switch (k.kind) {
    case ConstKind::Int: return std::to_string(k.i);
    case ConstKind::Decimal: return toString(Decimal{k.d});
    case ConstKind::String: {
      std::string s = k.s.size() > 40 ? k.s.substr(0, 37) + "..." : k.s;
      return "\"" + s + "\"";
    }
  }
  return "?";
}

std::string operand(const Program& p, const ProfileSpec& prof, Role role, uint16_t v) {
  if (isRegisterRole(role)) return "R" + std::to_string(v);
  switch (role) {
    case Role::None: return "";
    case Role::StrConst:
    case Role::Const: return v < p.constants.size() ? "K" + std::to_string(v) + "=" + constantText(p.constants[v]) : "K?";
    case Role::Field: return "field " + std::to_string(v);
    case Role::Set: return v < p.sets.size() ? "set " + (p.sets[v].name.empty() ? "#" + std::to_string(v) : p.sets[v].name) : "set ?";
    case Role::Table: return v < p.tables.size() ? "table " + p.tables[v].name : "table ?";
    case Role::Regex: return v < p.regexes.size() ? "/" + p.regexes[v] + "/" : "regex ?";
    case Role::Jump: case Role::LoopBack: return "-> " + std::to_string(v);
    case Role::Imm: return std::to_string(v);
    case Role::Enum: return v < p.schema.enums.size() ? "enum " + p.schema.enums[v].name : std::to_string(v);
    default: break;  // the register roles, above
  }
  (void)prof;
  return "";
}

// How the VM's cross-profile index selects this profile (GuardSpec).
std::string guardText(const Program& p, const GuardSpec& g) {
  if (g.kind == GuardSpec::None) return "none: runs for every " + std::string("object");
  std::string field = "field " + std::to_string(g.field);
  const FieldSpec* spec = nullptr;
  const RecordSpec& root = p.schema.records[p.schema.root];
  if (g.onDeclaration) {
    if (g.field < root.fields.size()) spec = &root.fields[g.field], field = spec->name;
  } else if (p.schema.itemsField < root.fields.size()) {
    const RecordSpec& item = p.schema.records[root.fields[p.schema.itemsField].ref];
    if (g.field < item.fields.size()) spec = &item.fields[g.field], field = spec->name;
  }
  auto show = [&](int64_t v) -> std::string {
    if (spec && spec->kind == FieldKind::Country && v >= 0 && v < kCountryIndexCount) return countryCode(static_cast<uint16_t>(v));
    if (spec && spec->kind == FieldKind::Currency && v >= 0 && v < kCurrencyIndexCount) return currencyCode(static_cast<uint16_t>(v));
    if (spec && spec->kind == FieldKind::Enum && spec->ref < p.schema.enums.size() && v >= 0 &&
        static_cast<size_t>(v) < p.schema.enums[spec->ref].values.size())
      return p.schema.enums[spec->ref].values[static_cast<size_t>(v)];
    return std::to_string(v);
  };
  std::string values;
  size_t shown = 0;
  for (const HsRange& r : g.hs) {
    if (shown++ == 6) { values += ", …"; break; }
    auto digits = [&](uint64_t v) {
      std::string s = std::to_string(v);
      return std::string(r.length > s.size() ? r.length - s.size() : 0, '0') + s;
    };
    values += (values.empty() ? "" : ", ") + digits(r.low) + (r.high != r.low ? ".." + digits(r.high) : "");
  }
  for (int64_t v : g.ints) {
    if (shown++ == 6) { values += ", …"; break; }
    values += (values.empty() ? "" : ", ") + show(v);
  }
  for (const std::string& v : g.strings) {
    if (shown++ == 6) { values += ", …"; break; }
    values += (values.empty() ? "\"" : ", \"") + v + "\"";
  }
  std::string subject = g.onDeclaration ? "runs when the declaration's " : g.anyItem ? "runs when some item's " : "runs for items whose ";
  if (g.kind == GuardSpec::Range) {
    const bool units = spec && (spec->kind == FieldKind::Decimal || spec->kind == FieldKind::Money);
    auto number = [&](__int128 v) {
      if (units) return toString(Decimal{v});
      if (spec && spec->kind == FieldKind::Date) return toString(Date{static_cast<int32_t>(v)});
      return std::to_string(static_cast<int64_t>(v));
    };
    constexpr __int128 kOpen = static_cast<__int128>(1) << 100;  // bounds past this are "none"
    // The compiler stores `> 1000000` on money as `>= 1000000.000001`; show it as written.
    auto lowText = [&] { return units && (g.low - 1) % 10000 == 0 ? " > " + number(g.low - 1) : " >= " + number(g.low); };
    auto highText = [&] { return units && (g.high + 1) % 10000 == 0 ? " < " + number(g.high + 1) : " <= " + number(g.high); };
    std::string range = g.low > -kOpen && g.high < kOpen ? lowText() + " and" + highText()
                        : g.low > -kOpen                 ? lowText()
                                                         : highText();
    return subject + field + range;
  }
  return subject + field + (g.kind == GuardSpec::Hs ? " starts with one of {" : " is one of {") + values + "}";
}

const char* kLevels[] = {"low", "medium", "high"};
const char* kStatuses[] = {"draft", "active", "suspended"};

// One line per instruction, with its synopsis.
void appendCode(std::string& out, const Program& p, const ProfileSpec& prof, const std::vector<Insn>& code) {
  char line[512];
  for (size_t pc = 0; pc < code.size(); ++pc) {
    const Insn& in = code[pc];
    if (in.op >= kOpCount) {
      std::snprintf(line, sizeof line, "  %4zu  <bad opcode %u>\n", pc, in.op);
      out += line;
      continue;
    }
    const OpInfo& info = opInfo(in.op);
    std::string ops;
    // RVAL and SKEY name an enum only for render kind Enum.
    bool rvalNotEnum =
        (in.op == static_cast<uint16_t>(Op::RVAL) || in.op == static_cast<uint16_t>(Op::SKEY)) &&
        in.b != static_cast<uint16_t>(RenderKind::Enum);
    for (auto [role, v] : {std::pair{info.a, in.a}, std::pair{info.b, in.b}, std::pair{info.c, in.c}}) {
      if (rvalNotEnum && role == Role::Enum) continue;
      std::string o = operand(p, prof, role, v);
      if (!o.empty()) ops += (ops.empty() ? "" : ", ") + o;
    }
    std::snprintf(line, sizeof line, "  %4zu  %-10s %-36s ; %s\n", pc, info.name, ops.c_str(), info.synopsis);
    out += line;
  }
}

// The categorize block: each rule (and the default) with its category and code, R0 the participant.
void appendCategorization(std::string& out, const Program& p) {
  if (!p.categorization) return;
  const CategorizationSpec& k = *p.categorization;
  const std::string record = k.record < p.schema.records.size() ? p.schema.records[k.record].name : "?";
  out += "\ncategorize \"" + k.id + "\": " + std::to_string(k.rules.size()) + " rules and a default over record " +
         record + " (R0), first match decides\n  title \"" + k.title + "\"\n";
  static const ProfileSpec kNoProfile;
  auto rule = [&](const CategoryRuleSpec& r, bool fallback) {
    out += fallback ? "\ndefault" : "\nrule \"" + r.id + "\"";
    out += std::string(" category ") + kLevels[r.category % 3] + ", " + std::to_string(r.registers) + " registers, " +
           std::to_string(r.code.size()) + " instructions\n";
    appendCode(out, p, kNoProfile, r.code);
  };
  for (const CategoryRuleSpec& r : k.rules) rule(r, false);
  rule(k.fallback, true);
}

}  // namespace

std::string disassemble(const Program& p, const std::string& contentHash) {
  std::string out;
  char line[512];
  out += "bundle " + contentHash + "\n";
  out += "stdlib " + p.stdlibVersion + "\n";
  std::snprintf(line, sizeof line, "schema fingerprint %016llx, seed %llu, drafts %s\n",
                static_cast<unsigned long long>(p.schemaFingerprint), static_cast<unsigned long long>(p.seed),
                p.includeDrafts ? "included" : "excluded");
  out += line;
  out += std::to_string(p.profiles.size()) + " profiles, " + std::to_string(p.measures.size()) + " measures, " +
         std::to_string(p.constants.size()) + " constants, " + std::to_string(p.sets.size()) + " sets, " +
         std::to_string(p.tables.size()) + " tables, " + std::to_string(p.regexes.size()) + " regexes\n";
  for (size_t i = 0; i < p.sets.size(); ++i) {
    const SetSpec& s = p.sets[i];
    size_t n = s.ints.size() + s.hs.size() + s.strings.size();
    out += "set #" + std::to_string(i) + " " + (s.name.empty() ? "(inline)" : s.name) + ": " + std::to_string(n) + " element(s)\n";
  }
  for (const TableSpec& t : p.tables) out += "table " + t.name + ": " + std::to_string(t.rows.size()) + " row(s)\n";
  for (const ProfileSpec& prof : p.profiles) {
    out += "\nprofile \"" + prof.id + "\"";
    out += std::string(" level ") + kLevels[prof.level % 3] + ", status " + kStatuses[prof.status % 3] + ", scope " +
           (prof.itemScope ? "item" : "declaration") + ", corridor " + kCorridorNames[prof.corridor % 4];
    if (prof.hasValid) out += ", valid " + toString(Date{prof.validFrom}) + " .. " + toString(Date{prof.validTo});
    if (prof.sampleBasisPoints < 10000) out += ", sample " + std::to_string(prof.sampleBasisPoints) + "/10000";
    out += "\n  title \"" + prof.title + "\"";
    if (!prof.area.empty()) out += ", area \"" + prof.area + "\"";
    out += "\n  measures";
    for (uint32_t m : prof.measures) out += " " + (m < p.measures.size() ? p.measures[m].name : "?");
    out += "\n  index: " + guardText(p, prof.guard);
    out += "\n  " + std::to_string(prof.registers) + " registers, " + std::to_string(prof.code.size()) + " instructions\n";
    appendCode(out, p, prof, prof.code);
  }
  appendCategorization(out, p);
  return out;
}

}  // namespace daliz

// The categorize block of a Program: the participant record, the rules' metadata and their
// code. A rule's code is checked exactly as a profile's (verify_structure.cpp,
// verify_types.cpp), with R0 typed as the participant record and no sampling (SAMPLE, SKEY,
// SKEYPER, SAMPLEBY).
#include <set>

#include "vm/bundle/verify_internal.h"

namespace daliz::verify {
namespace {

// Work allowed for the rules' type analysis: as verifyProgram allows per profile instruction.
constexpr uint64_t kBaseBudget = uint64_t{1} << 26;
constexpr uint64_t kBudgetPerInsn = uint64_t{1} << 11;

std::string checkRule(const Program& p, const CategorizationSpec& k, const CategoryRuleSpec& r,
                      bool fallback, Budget& budget) {
  const std::string name =
      "categorization \"" + k.id + "\" " + (fallback ? "default" : "rule \"" + r.id + "\"");
  const std::string at = name + ": ";
  if (r.category > 2) return at + "category " + std::to_string(r.category) + " is out of range";
  if (r.registers < 2) return at + "needs at least 2 registers, has " + std::to_string(r.registers);
  for (const Insn& in : r.code)
    if (in.op == static_cast<uint16_t>(Op::SAMPLE) || in.op == static_cast<uint16_t>(Op::SKEY) ||
        in.op == static_cast<uint16_t>(Op::SKEYPER) || in.op == static_cast<uint16_t>(Op::SAMPLEBY))
      return at + opInfo(in.op).name + " is not allowed in a categorisation rule";
  // The checks of a profile's code, with R0 the participant and no goods item.
  const CheckedFunction f{r, name, k.record, false};
  if (std::string e = checkStructure(p, f); !e.empty()) return e;
  return checkTypes(p, f, budget);
}

}  // namespace

std::string checkCategorization(const Program& p) {
  if (!p.categorization) return "";
  const CategorizationSpec& k = *p.categorization;
  if (!isValidUtf8(k.id) || !isValidUtf8(k.title)) return "categorization: text is not valid UTF-8";
  const std::string at = "categorization \"" + k.id + "\": ";
  if (k.record >= p.schema.records.size())
    return at + "record " + std::to_string(k.record) + " is out of range (" +
           std::to_string(p.schema.records.size()) + " records)";
  const RecordSpec& rec = p.schema.records[k.record];
  if (k.idField >= rec.fields.size() || rec.fields[k.idField].kind != FieldKind::String)
    return at + "id field " + std::to_string(k.idField) + " of record " + rec.name +
           " is not a string field";
  uint64_t insns = k.fallback.code.size();
  std::set<std::string> ids;
  for (const CategoryRuleSpec& r : k.rules) {
    if (!isValidUtf8(r.id)) return at + "a rule id is not valid UTF-8";
    if (r.id.empty() || r.id == "default" || !ids.insert(r.id).second)
      return at + "rule id \"" + r.id + "\" is empty, reserved or repeated";
    insns += r.code.size();
  }
  if (!k.fallback.id.empty()) return at + "the default has an id";
  Budget budget{kBaseBudget + kBudgetPerInsn * insns};
  for (const CategoryRuleSpec& r : k.rules)
    if (std::string e = checkRule(p, k, r, false, budget); !e.empty()) return e;
  return checkRule(p, k, k.fallback, true, budget);
}

}  // namespace daliz::verify

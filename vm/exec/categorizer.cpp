#include "vm/exec/categorizer.h"

#include "vm/exec/decision.h"

namespace daliz {

Categorizer::Categorizer(const LoadedProgram& program, Evaluator::Backend backend)
    : spec_(*program.program.categorization), evaluator_(program, backend) {}

void Categorizer::categorize(const Value* participant, Categorization& out) {
  out.ok = true;
  out.error.clear();
  auto overBudget = [&](const std::string& rule) {
    out.ok = false;
    out.error = "budget exceeded in rule " + rule + ": more than " +
                std::to_string(evaluator_.budget()) +
                " units of work (the execution budget; docs/limits.md)";
  };
  for (uint32_t k = 0; k < spec_.rules.size(); ++k) {
    const CategoryRuleSpec& r = spec_.rules[k];
    if (!evaluator_.runRule(k, participant)) {  // false or unknown: next rule
      if (evaluator_.overBudget()) return overBudget(r.id);
      continue;
    }
    out.category = r.category;
    out.rule = r.id;
    out.reason = evaluator_.reason();
    return;
  }
  if (!evaluator_.runRule(static_cast<uint32_t>(spec_.rules.size()), participant) &&
      evaluator_.overBudget())
    return overBudget("default");
  out.category = spec_.fallback.category;
  out.rule = "default";
  out.reason = evaluator_.reason();
}

std::string renderCategorizationJson(const LoadedProgram& program, const Categorization& c) {
  std::string out = "{\"participant\":";
  if (c.id)
    appendJsonString(out, *c.id);
  else
    out += "null";
  if (!c.ok) {
    out += ",\"status\":\"error\",\"error\":";
    appendJsonString(out, c.error);
  } else {
    out += ",\"status\":\"ok\",\"category\":\"";
    out += levelText(c.category);  // verified to be 0..2
    out += "\",\"rule\":";
    appendJsonString(out, c.rule);
    out += ",\"reason\":";
    appendJsonString(out, c.reason);
  }
  appendBundleIdentity(out, program);
  out += '}';
  return out;
}

}  // namespace daliz

#include "vm/exec/evaluator.h"

#include <algorithm>

#include "vm/exec/interpreter.h"
#include "vm/exec/runtime.h"
#include "vm/exec/selection_plan.h"
#include "vm/value/hs_code.h"

namespace daliz {
namespace {

// FORPREP_G's list when a guarded profile runs with no matched item (it then walks none).
const uint32_t kNoItem = 0;

}  // namespace

Evaluator::Evaluator(const LoadedProgram& program, Backend backend)
    : lp_(program),
      compiled_(backend == Backend::Default ? program.compiled.get() : nullptr),
      cx_(program),
      stamp_(program.program.profiles.size(), 0), matchedItems_(program.program.profiles.size()) {
  uint16_t most = 2;
  for (const ProfileSpec& p : lp_.program.profiles) most = std::max(most, p.registers);
  if (const auto& k = lp_.program.categorization) {
    for (const CategoryRuleSpec& r : k->rules) most = std::max(most, r.registers);
    most = std::max(most, k->fallback.registers);
  }
  registers_.resize(most);
  cx_.frame.constants = lp_.constants.data();
}

bool Evaluator::sampled(uint64_t seed, std::string_view profileId, std::string_view declarationId, int64_t itemNo,
                        uint32_t basisPoints) {
  return sampledObject(seed, profileId, declarationId, itemNo, basisPoints);
}

// Adds to `out` (once each, by stamp) the profiles whose guard `item` satisfies.
// A profile is in exactly one guard set (its items, some item, the declaration), so the item
// pass and the declaration passes can share `stamp_` with counters of their own.
void Evaluator::collect(const ProfileIndex::Guards& guards, const Value* item, std::vector<uint32_t>& out,
                        uint64_t generation, int64_t itemNumber) {
  auto add = [&](uint32_t p) {
    if (itemNumber >= 0) {
      auto& matched = matchedItems_[p];
      if (stamp_[p] != generation) matched.clear();
      if (matched.empty() || matched.back() != itemNumber) matched.push_back(static_cast<uint32_t>(itemNumber));
    }
    if (stamp_[p] == generation) return;
    stamp_[p] = generation;
    out.push_back(p);
  };
  for (const auto& f : guards.hs) {
    const Value& v = item[f.field];
    if (v.missing) continue;
    uint64_t code = static_cast<uint64_t>(v.i);
    for (uint8_t len : f.lengths) {
      auto prefix = hsPrefix(code, len);
      if (!prefix) continue;
      auto it = f.byPrefix.find(*prefix);
      if (it != f.byPrefix.end())
        for (uint32_t p : it->second) add(p);
    }
    for (const auto& [range, p] : f.wide) {
      auto prefix = hsPrefix(code, range.length);
      if (prefix && (*prefix >> 4) >= range.low && (*prefix >> 4) <= range.high) add(p);
    }
  }
  for (const auto& f : guards.ints) {
    const Value& v = item[f.field];
    if (v.missing) continue;
    auto it = f.byValue.find(v.i);
    if (it != f.byValue.end())
      for (uint32_t p : it->second) add(p);
  }
  for (const auto& f : guards.strings) {
    const Value& v = item[f.field];
    if (v.missing) continue;
    auto it = f.byValue.find(std::string_view(v.s.data, v.s.size));
    if (it != f.byValue.end())
      for (uint32_t p : it->second) add(p);
  }
  for (const auto& f : guards.ranges) {
    const Value& v = item[f.field];
    if (v.missing) continue;
    const __int128 x = f.units ? v.d : v.i;
    for (const auto& e : f.byLow) {
      if (e.low > x) break;
      if (x <= e.high) add(e.profile);
    }
  }
}

void Evaluator::evaluate(const Value* root, Decision& out) {
  const Schema& schema = lp_.program.schema;
  const ProfileIndex& index = lp_.index;
  out.ok = true;
  out.hits.clear();
  out.engineHits.clear();
  out.override.reset();
  out.measures.clear();
  out.corridor = 0;
  cx_.scratchUsed = 0;
  cx_.frame.left = static_cast<int64_t>(budget_);
  cx_.out = &out;
  exceeded_.reset();
  out.overBudget = false;
  const Value& idValue = root[schema.idField];
  cx_.declarationId = idValue.missing ? std::string_view() : view(idValue.s);
  const Value& registered = root[schema.registeredField];
  const Value& items = root[schema.itemsField];
  recordFacts(root, out.declaration);
  const auto& profiles = lp_.program.profiles;
  auto valid = [&](uint32_t p) {
    const ProfileSpec& prof = profiles[p];
    return !prof.hasValid || (!registered.missing && registered.i >= prof.validFrom && registered.i <= prof.validTo);
  };
  // Item scope: each item against the unguarded profiles and the ones its codes select.
  uint32_t itemCount = items.missing ? 0 : items.list->size;
  declarationProfiles_.clear();
  ++declarationGeneration_;
  collect(index.declaration, root, declarationProfiles_, declarationGeneration_);
  for (uint32_t k = 0; k < itemCount; ++k) {
    const Value* item = items.list->items[k];
    collect(index.anyItem, item, declarationProfiles_, declarationGeneration_, k);
    candidates_.clear();
    collect(index.item, item, candidates_, ++itemGeneration_);
    const Value& no = item[schema.itemNoField];
    int64_t itemNo = no.missing ? 0 : no.i;
    for (uint32_t p : index.itemAlways)
      if (valid(p)) run(p, root, item, itemNo, out);
    for (uint32_t p : candidates_)
      if (valid(p)) run(p, root, item, itemNo, out);
  }
  for (uint32_t p : index.declAlways)
    if (valid(p)) run(p, root, nullptr, 0, out);
  for (uint32_t p : declarationProfiles_)
    if (valid(p)) run(p, root, nullptr, 0, out);
  if (exceeded_) {
    // Fail closed: a declaration whose evaluation was cut short gets no corridor, so it is never
    // released on a partial answer.
    out.ok = false;
    out.overBudget = true;
    out.error = "budget exceeded in profile " + *exceeded_ + ": more than " + std::to_string(budget_) +
                " units of work for one declaration (the execution budget; docs/limits.md)";
    out.hits.clear();
    return;
  }
  // Hits by profile id (profiles are sorted by id), then item number.
  std::stable_sort(out.hits.begin(), out.hits.end(), [](const Hit& a, const Hit& b) {
    return a.profile != b.profile ? a.profile < b.profile : a.item < b.item;
  });
  // Measures: the union over hits, most severe corridor first, then by name.
  for (const Hit& h : out.hits)
    for (uint32_t m : profiles[h.profile].measures) out.measures.push_back(m);
  std::sort(out.measures.begin(), out.measures.end());
  out.measures.erase(std::unique(out.measures.begin(), out.measures.end()), out.measures.end());
  const auto& measures = lp_.program.measures;
  std::stable_sort(out.measures.begin(), out.measures.end(), [&](uint32_t a, uint32_t b) {
    return measures[a].corridor > measures[b].corridor;
  });
  for (uint32_t m : out.measures) out.corridor = std::max(out.corridor, static_cast<uint8_t>(measures[m].corridor));
  if (randomSelection_) applyRandomSelection(lp_, cx_.declarationId, out);
  applyPreviousDecision(lp_, root, out);
}

void Evaluator::recordFacts(const Value* root, DeclarationFacts& out) const {
  const FactFields& f = lp_.factFields;
  auto text = [](const Value& v, std::optional<std::string>& to) {
    if (v.missing)
      to.reset();
    else
      to.emplace(v.s.data, v.s.size);
  };
  if (f.office >= 0)
    text(root[f.office], out.office);
  else
    out.office.reset();
  const Value* declarant =
      f.declarant >= 0 && !root[f.declarant].missing ? root[f.declarant].rec : nullptr;
  if (declarant)
    text(declarant[f.declarantId], out.declarant);
  else
    out.declarant.reset();
  const Value& items = root[lp_.program.schema.itemsField];
  if (items.missing)
    out.items.reset();
  else
    out.items = items.list->size;
}

void Evaluator::run(uint32_t profileIndex, const Value* root, const Value* item, int64_t itemNo, Decision& out) {
  const ProfileSpec& prof = lp_.program.profiles[profileIndex];
  if (exceeded_ || !charge(prof.code.size())) {
    if (!exceeded_) exceeded_ = prof.id;
    return;
  }
  RunFrame& frame = cx_.frame;
  frame.root = root;
  frame.item = item;
  // A declaration-scope profile selected because some items satisfy its guard: its guarded
  // quantifier needs to look at those items only (FORPREP_G).
  const bool guarded = item == nullptr && prof.guard.anyItem && prof.guard.kind != GuardSpec::None;
  frame.matched = guarded ? matchedItems_[profileIndex].data() : nullptr;
  frame.matchedCount = guarded ? static_cast<int64_t>(matchedItems_[profileIndex].size()) : 0;
  if (guarded && frame.matchedCount == 0) frame.matched = &kNoItem;  // "none matched", not "walk all"
  cx_.profile = &prof;
  cx_.profileIndex = profileIndex;
  cx_.sampleKeyOpen = false;  // a run that stopped mid-key leaves nothing to the next
  cx_.itemNo = itemNo;
  cx_.out = &out;
  execute(compiled_ ? compiled_->profile(profileIndex) : nullptr, prof.code);
  if (frame.left < 0 && !exceeded_) exceeded_ = prof.id;
}

bool Evaluator::charge(uint64_t units) {
  int64_t& left = cx_.frame.left;
  left -= static_cast<int64_t>(std::min<uint64_t>(units, INT64_MAX / 2));
  return left >= 0;
}

bool Evaluator::execute(CompiledFunction compiled, const std::vector<Insn>& code) {
  if (compiled) {
    cx_.clearTexts();
    cx_.hit = false;
    return compiled(&cx_, &cx_.frame) != 0 && cx_.frame.left >= 0;
  }
  return interpret(cx_, registers_.data(), code.data());
}

bool Evaluator::runRule(uint32_t rule, const Value* root) {
  const CategorizationSpec& k = *lp_.program.categorization;
  const CategoryRuleSpec& spec = rule < k.rules.size() ? k.rules[rule] : k.fallback;
  cx_.scratchUsed = 0;  // a rule's LOWER/UPPER strings live until its end
  cx_.frame = RunFrame{root, nullptr, lp_.constants.data(), nullptr, 0, static_cast<int64_t>(budget_)};
  cx_.profile = nullptr;
  cx_.out = nullptr;
  if (!charge(spec.code.size())) return false;
  return execute(compiled_ ? compiled_->rule(rule) : nullptr, spec.code) && cx_.frame.left >= 0;
}

}  // namespace daliz

#include "vm/exec/loaded_program.h"

#include <sodium.h>

#include <algorithm>
#include <initializer_list>
#include <set>

#include "vm/bundle/bundle_reader.h"

namespace daliz {

void appendTableKey(std::string& key, const Value& v, ConstKind kind) {
  if (kind == ConstKind::String) {
    uint32_t n = v.s.size;
    key.append(reinterpret_cast<const char*>(&n), sizeof n);
    key.append(v.s.data, n);
  } else {
    key.append(reinterpret_cast<const char*>(&v.i), sizeof v.i);
  }
}

namespace {

Value constantValue(const Constant& k) {
  switch (k.kind) {
    case ConstKind::Int: return Value::ofInt(k.i);
    case ConstKind::Decimal: return Value::ofDec(k.d);
    case ConstKind::String: return Value::ofStr(k.s.data(), static_cast<uint32_t>(k.s.size()));
  }
  return Value::none();
}

HsSetIndex indexHsSet(const SetSpec& s) {
  HsSetIndex index;
  for (const HsRange& r : s.hs) {
    auto it = std::find_if(index.lengths.begin(), index.lengths.end(), [&](auto& l) { return l.length == r.length; });
    if (it == index.lengths.end()) {
      index.lengths.push_back({r.length, {}});
      it = index.lengths.end() - 1;
    }
    it->ranges.emplace_back(r.low, r.high);
  }
  for (auto& l : index.lengths) {
    std::sort(l.ranges.begin(), l.ranges.end());
    std::vector<std::pair<uint64_t, uint64_t>> merged;
    for (auto& r : l.ranges) {
      if (!merged.empty() && r.first <= merged.back().second + 1) merged.back().second = std::max(merged.back().second, r.second);
      else merged.push_back(r);
    }
    l.ranges = std::move(merged);
  }
  return index;
}

template <typename Fields>
auto& fieldEntry(Fields& fields, uint32_t field) {
  auto it = std::find_if(fields.begin(), fields.end(), [&](auto& f) { return f.field == field; });
  if (it != fields.end()) return *it;
  fields.push_back({});
  fields.back().field = field;
  return fields.back();
}

// `budget` caps how many prefix entries ranges expand into over the whole program, so that a
// crafted bundle cannot make loading take unbounded memory; past it, ranges are checked as is.
// `record` is the record the guard's field belongs to.
void addGuard(ProfileIndex::Guards& guards, const GuardSpec& g, const RecordSpec& record, uint32_t profile,
              size_t& budget) {
  switch (g.kind) {
    case GuardSpec::Hs: {
      auto& f = fieldEntry(guards.hs, g.field);
      for (const HsRange& r : g.hs) {
        if (std::find(f.lengths.begin(), f.lengths.end(), r.length) == f.lengths.end()) f.lengths.push_back(r.length);
        if (r.high - r.low >= 4096 || r.high - r.low + 1 > budget) {
          f.wide.push_back({r, profile});
          continue;
        }
        budget -= r.high - r.low + 1;
        for (uint64_t v = r.low; v <= r.high; ++v) {
          auto& list = f.byPrefix[(v << 4) | r.length];
          if (list.empty() || list.back() != profile) list.push_back(profile);
        }
      }
      return;
    }
    case GuardSpec::Int: {
      auto& f = fieldEntry(guards.ints, g.field);
      for (int64_t v : g.ints) f.byValue[v].push_back(profile);
      return;
    }
    case GuardSpec::String: {
      auto& f = fieldEntry(guards.strings, g.field);
      for (const std::string& v : g.strings) f.byValue[v].push_back(profile);
      return;
    }
    case GuardSpec::Range: {
      auto& f = fieldEntry(guards.ranges, g.field);
      FieldKind k = record.fields[g.field].kind;
      f.units = k == FieldKind::Decimal || k == FieldKind::Money;
      f.byLow.push_back({g.low, g.high, profile});
      return;
    }
    default: return;
  }
}

}  // namespace

namespace {

// The index of `record`'s field `name` when it is of one of `kinds`, else -1.
int findField(const RecordSpec& record, std::string_view name,
              std::initializer_list<FieldKind> kinds) {
  for (size_t i = 0; i < record.fields.size(); ++i)
    if (record.fields[i].name == name)
      return std::find(kinds.begin(), kinds.end(), record.fields[i].kind) != kinds.end()
                 ? static_cast<int>(i)
                 : -1;
  return -1;
}

FactFields findFactFields(const Schema& s) {
  FactFields f;
  const RecordSpec& root = s.records[s.root];
  f.office = findField(root, "customs_office", {FieldKind::Code, FieldKind::String});
  f.declarant = findField(root, "declarant", {FieldKind::Record});
  if (f.declarant >= 0)
    f.declarantId = findField(s.records[root.fields[f.declarant].ref], "id",
                              {FieldKind::Code, FieldKind::String});
  if (f.declarantId < 0) f.declarant = -1;
  return f;
}

}  // namespace

std::unique_ptr<LoadedProgram> prepareProgram(Program program, std::string contentHash, std::string& error) {
  auto lp = std::make_unique<LoadedProgram>();
  lp->program = std::move(program);
  lp->contentHash = std::move(contentHash);
  const Program& p = lp->program;
  // Constants point into the program's own strings, which never move after this.
  for (const Constant& k : p.constants) lp->constants.push_back(constantValue(k));
  lp->amendment = resolveAmendmentFields(p);
  lp->corridorMeasure = corridorMeasures(p);
  for (const std::string& pattern : p.regexes) {
    auto re = std::make_unique<RE2>(pattern, RE2::Quiet);
    if (!re->ok()) {
      error = "invalid regular expression in bundle: " + re->error();
      return nullptr;
    }
    lp->regexes.push_back(std::move(re));
  }
  for (const SetSpec& s : p.sets) lp->hsSets.push_back(indexHsSet(s));
  lp->factFields = findFactFields(p.schema);
  for (const TableSpec& t : p.tables) {
    TableIndex index;
    for (size_t k = 0; k < t.keyIsHs.size(); ++k)
      if (t.keyIsHs[k]) {
        index.hsKey = static_cast<int>(k);
        break;
      }
    std::set<uint8_t> lengths;
    for (const auto& row : t.rows) {
      std::string key;
      for (size_t k = 0; k < t.keyKinds.size(); ++k) appendTableKey(key, constantValue(row[k]), t.keyKinds[k]);
      if (index.hsKey >= 0) lengths.insert(static_cast<uint8_t>(row[index.hsKey].i & 0xF));
      const Constant& v = row.back();
      index.rows.emplace(std::move(key), constantValue(v));
    }
    index.hsLengths.assign(lengths.rbegin(), lengths.rend());  // longest first
    lp->tables.push_back(std::move(index));
  }
  size_t expansionBudget = size_t{1} << 22;
  for (uint32_t i = 0; i < p.profiles.size(); ++i) {
    const ProfileSpec& prof = p.profiles[i];
    bool enabled = prof.status == 1 || (prof.status == 0 && p.includeDrafts);
    lp->enabled.push_back(enabled);
    if (!enabled) continue;
    if (prof.guard.kind == GuardSpec::None) {
      (prof.itemScope ? lp->index.itemAlways : lp->index.declAlways).push_back(i);
      continue;
    }
    const RecordSpec& root = p.schema.records[p.schema.root];
    const RecordSpec& item = p.schema.records[root.fields[p.schema.itemsField].ref];
    if (prof.guard.onDeclaration) addGuard(lp->index.declaration, prof.guard, root, i, expansionBudget);
    else addGuard(prof.itemScope ? lp->index.item : lp->index.anyItem, prof.guard, item, i, expansionBudget);
  }
  for (auto* guards : {&lp->index.item, &lp->index.anyItem, &lp->index.declaration})
    for (auto& f : guards->ranges)
      std::stable_sort(f.byLow.begin(), f.byLow.end(), [](auto& a, auto& b) { return a.low < b.low; });
  return lp;
}

std::unique_ptr<LoadedProgram> loadProgram(std::string_view file, const TrustPolicy& policy,
                                           std::string& error, bool* refused) {
  if (isSealed(file)) {
    // Opened in memory only; then checked exactly as a plain file. The plaintext is wiped after.
    if (!policy.hostKey) {
      if (refused) *refused = true;
      error = std::string(kNoHostKeyError);
      return nullptr;
    }
    auto plain = openSealed(file, *policy.hostKey, error);
    if (!plain) {  // another host's file is refused; a malformed or changed one is invalid
      if (refused) *refused = error == kNotForThisHostError;
      return nullptr;
    }
    std::unique_ptr<LoadedProgram> loaded;
    if (isSealed(*plain)) {
      if (refused) *refused = false;
      error = "sealed bundle: its content is sealed again";
    } else {
      loaded = loadProgram(*plain, policy, error, refused);
    }
    sodium_memzero(plain->data(), plain->size());
    return loaded;
  }
  auto opened = openBundleFile(file, policy, error);
  if (refused) *refused = !opened;
  if (!opened) return nullptr;
  LoadResult r = readBundle(opened->bundle);
  if (!r.program) {
    error = r.error;
    return nullptr;
  }
  auto loaded = prepareProgram(std::move(*r.program), r.contentHash, error);
  if (!loaded) return nullptr;
  loaded->approval = std::move(opened->approval);
  loaded->signers = std::move(opened->signers);
  return loaded;
}

}  // namespace daliz

#include "vm/exec/amendment.h"

#include <algorithm>

#include "vm/exec/decision.h"
#include "vm/exec/engine_hit.h"
#include "vm/exec/loaded_program.h"
#include "vm/exec/value.h"

namespace daliz {
namespace {

int64_t fieldOf(const RecordSpec& r, std::string_view name, FieldKind kind) {
  for (size_t i = 0; i < r.fields.size(); ++i)
    if (r.fields[i].name == name && r.fields[i].kind == kind) return static_cast<int64_t>(i);
  return -1;
}

int8_t corridorCode(std::string_view name) {
  for (int8_t c = 0; c < 4; ++c)
    if (name == kCorridorNames[c]) return c;
  return -1;
}

}  // namespace

AmendmentFields resolveAmendmentFields(const Program& p) {
  AmendmentFields a;
  const Schema& s = p.schema;
  if (s.root >= s.records.size()) return a;
  const RecordSpec& root = s.records[s.root];
  if (int64_t f = fieldOf(root, "previous", FieldKind::Record);
      f >= 0 && root.fields[f].ref < s.records.size()) {
    const RecordSpec& prev = s.records[root.fields[f].ref];
    int64_t id = fieldOf(prev, "id", FieldKind::String),
            corridor = fieldOf(prev, "corridor", FieldKind::Enum);
    if (id >= 0 && corridor >= 0 && prev.fields[corridor].ref < s.enums.size()) {
      a.previous = true;
      a.previousField = static_cast<uint32_t>(f);
      a.idField = static_cast<uint32_t>(id);
      a.corridorField = static_cast<uint32_t>(corridor);
      for (const std::string& v : s.enums[prev.fields[corridor].ref].values)
        a.corridorOf.push_back(corridorCode(v));
    }
  }
  if (int64_t f = fieldOf(root, "override", FieldKind::Record);
      f >= 0 && root.fields[f].ref < s.records.size()) {
    const RecordSpec& o = s.records[root.fields[f].ref];
    if (int64_t ref = fieldOf(o, "reference", FieldKind::String); ref >= 0) {
      a.override = true;
      a.overrideField = static_cast<uint32_t>(f);
      a.referenceField = static_cast<uint32_t>(ref);
      a.officerField = fieldOf(o, "officer", FieldKind::String);
    }
  }
  return a;
}

std::array<int64_t, 4> corridorMeasures(const Program& p) {
  static const char* const kDefaults[] = {"", "post_release_audit", "documentary_check",
                                          "customs_inspection"};
  std::array<int64_t, 4> out{-1, -1, -1, -1};
  for (int c = 1; c < 4; ++c) {
    for (size_t m = 0; m < p.measures.size() && out[c] < 0; ++m)
      if (p.measures[m].name == kDefaults[c] && static_cast<int>(p.measures[m].corridor) == c)
        out[c] = static_cast<int64_t>(m);
    for (size_t m = 0; m < p.measures.size() && out[c] < 0; ++m)  // measures are sorted by name
      if (static_cast<int>(p.measures[m].corridor) == c) out[c] = static_cast<int64_t>(m);
  }
  for (int c = 2; c >= 1; --c)
    if (out[c] < 0) out[c] = out[c + 1];
  return out;
}

void applyPreviousDecision(const LoadedProgram& lp, const Value* root, Decision& d) {
  const AmendmentFields& a = lp.amendment;
  if (!d.ok || !a.previous) return;
  const Value& prev = root[a.previousField];
  if (prev.missing) return;
  const Value& corridorValue = prev.rec[a.corridorField];
  if (corridorValue.missing || corridorValue.i < 0 ||
      static_cast<size_t>(corridorValue.i) >= a.corridorOf.size())
    return;
  const int8_t floor = a.corridorOf[static_cast<size_t>(corridorValue.i)];
  if (floor <= 0 || d.corridor >= static_cast<uint8_t>(floor)) return;
  const Value& id = prev.rec[a.idField];
  const std::string previousId = id.missing ? std::string() : std::string(id.s.data, id.s.size);
  if (a.override) {
    const Value& o = root[a.overrideField];
    const Value* reference = o.missing ? nullptr : &o.rec[a.referenceField];
    if (reference && !reference->missing && reference->s.size > 0) {
      OverrideRecord r;
      r.reference.assign(reference->s.data, reference->s.size);
      if (a.officerField >= 0) {
        const Value& officer = o.rec[a.officerField];
        if (!officer.missing) r.officer.assign(officer.s.data, officer.s.size);
      }
      r.previousId = previousId;
      r.previousCorridor = static_cast<uint8_t>(floor);
      d.override = std::move(r);
      return;
    }
  }
  std::string reason = "previous decision ";
  reason += previousId;
  reason += " was ";
  reason += corridorText(static_cast<uint8_t>(floor));
  // Nothing when the catalogue has no measure of this corridor or a more severe one.
  addEngineHit(lp, d, kPreviousHitProfile, 2, static_cast<uint8_t>(floor), std::move(reason));
}

void appendOverrideJson(std::string& out, const Decision& d) {
  if (!d.override) return;
  const OverrideRecord& r = *d.override;
  out += ",\"override\":{\"reference\":";
  appendJsonString(out, r.reference);
  if (!r.officer.empty()) {
    out += ",\"officer\":";
    appendJsonString(out, r.officer);
  }
  out += ",\"previous\":{\"id\":";
  appendJsonString(out, r.previousId);
  out += ",\"corridor\":\"";
  out += corridorText(r.previousCorridor);
  out += "\"}}";
}

}  // namespace daliz

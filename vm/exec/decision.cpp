#include "vm/exec/decision.h"

#include <algorithm>
#include <iterator>

#include "vm/exec/loaded_program.h"

namespace daliz {

const char* corridorText(uint8_t corridor) {
  return kCorridorNames[corridor < 4 ? corridor : 3];
}

void appendJsonString(std::string& out, std::string_view s) {
  static const char* const kHex = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

void appendBundleIdentity(std::string& out, const LoadedProgram& lp) {
  out += ",\"bundle\":\"";
  out += lp.contentHash;
  out += '"';
  if (lp.approval) {
    out += ",\"sequence\":";
    out += std::to_string(lp.approval->sequence);
  }
}

const char* levelText(uint8_t level) {
  static const char* const kNames[] = {"low", "medium", "high"};
  return level < 3 ? kNames[level] : "high";
}

std::optional<DecisionView> decisionViewNamed(std::string_view name) {
  for (size_t v = 0; v < std::size(kDecisionViews); ++v)
    if (name == kDecisionViews[v]) return static_cast<DecisionView>(v);
  return std::nullopt;
}

namespace {

// `["documentary_check",…]`, or with `field` = &MeasureSpec::code, `["101",…]`.
void appendMeasures(std::string& out, const Program& p, const std::vector<uint32_t>& measures,
                    std::string MeasureSpec::*field = &MeasureSpec::name) {
  out += '[';
  for (size_t i = 0; i < measures.size(); ++i) {
    if (i) out += ',';
    appendJsonString(out, p.measures[measures[i]].*field);
  }
  out += ']';
}

void appendMeasureCodes(std::string& out, const Program& p, const std::vector<uint32_t>& measures) {
  appendMeasures(out, p, measures, &MeasureSpec::code);
}

// `[{"code":"04021","name":"Invoice"},…]`: the name only for kinds of the shipped subset.
void appendDocuments(std::string& out, const Program& p, const std::vector<uint32_t>& documents) {
  out += '[';
  for (size_t i = 0; i < documents.size(); ++i) {
    const DocumentKindSpec& k = p.documentKinds[documents[i]];
    out += i ? ",{\"code\":" : "{\"code\":";
    appendJsonString(out, k.code);
    if (!k.title.empty()) {
      out += ",\"name\":";
      appendJsonString(out, k.title);
    }
    out += '}';
  }
  out += ']';
}

// `{"kk":"…","en":"…"}`: a notice's texts in the order of kNoticeLanguages.
void appendNotice(std::string& out, const std::vector<std::pair<uint8_t, std::string>>& notice) {
  out += '{';
  for (size_t i = 0; i < notice.size(); ++i) {
    if (i) out += ',';
    appendJsonString(out, kNoticeLanguages[notice[i].first]);
    out += ':';
    appendJsonString(out, notice[i].second);
  }
  out += '}';
}

// The documents each measure of the decision asks for, over all its hits: the union of the
// kinds, and the shortest deadline given.
struct MeasureRequest {
  std::vector<uint32_t> documents;
  uint32_t deadlineDays = 0;
  bool asked = false;
};
std::vector<MeasureRequest> requestsOf(const Program& p, const Decision& d) {
  std::vector<MeasureRequest> byMeasure(p.measures.size());
  for (const Hit& h : d.hits)
    for (const DocumentRequestSpec& r : p.profiles[h.profile].requests) {
      MeasureRequest& m = byMeasure[r.measure];
      m.asked = true;
      m.documents.insert(m.documents.end(), r.documents.begin(), r.documents.end());
      if (r.deadlineDays && (!m.deadlineDays || r.deadlineDays < m.deadlineDays))
        m.deadlineDays = r.deadlineDays;
    }
  for (MeasureRequest& m : byMeasure) {
    std::sort(m.documents.begin(), m.documents.end());
    m.documents.erase(std::unique(m.documents.begin(), m.documents.end()), m.documents.end());
  }
  return byMeasure;
}

void appendRequest(std::string& out, const Program& p, const std::vector<uint32_t>& documents,
                   uint32_t deadlineDays) {
  out += ",\"documents\":";
  appendDocuments(out, p, documents);
  if (deadlineDays) out += ",\"deadline_days\":" + std::to_string(deadlineDays);
}

// `{"id":"…"` (or `null`): how every view begins.
std::string openDecisionJson(const Decision& d) {
  std::string out = "{\"id\":";
  if (d.id)
    appendJsonString(out, *d.id);
  else
    out += "null";
  return out;
}

// What the declarant may be told (DecisionView::Declarant). Built from the catalogue, the
// document classifier and the notices only, so that nothing else of a profile can reach it.
std::string renderDeclarantJson(const Program& p, const Decision& d) {
  std::string out = openDecisionJson(d);
  if (!d.ok) {
    out += ",\"status\":\"error\",\"error\":";
    appendJsonString(out, d.overBudget ? kOverBudgetForDeclarant : d.error);
    return out + '}';
  }
  out += ",\"status\":\"ok\",\"corridor\":\"";
  out += corridorText(d.corridor);
  out += "\",\"measures\":[";
  const std::vector<MeasureRequest> requests = requestsOf(p, d);
  for (size_t i = 0; i < d.measures.size(); ++i) {
    const MeasureSpec& m = p.measures[d.measures[i]];
    out += i ? ",{\"code\":" : "{\"code\":";
    appendJsonString(out, m.code);
    out += ",\"name\":";
    appendJsonString(out, m.description.empty() ? m.name : m.description);
    if (const MeasureRequest& r = requests[d.measures[i]]; r.asked)
      appendRequest(out, p, r.documents, r.deadlineDays);
    out += '}';
  }
  out += "],\"notices\":[";
  std::vector<const std::vector<std::pair<uint8_t, std::string>>*> shown;
  for (const Hit& h : d.hits) {
    if (h.notice.empty()) continue;
    if (std::any_of(shown.begin(), shown.end(), [&](const auto* n) { return *n == h.notice; }))
      continue;
    if (!shown.empty()) out += ',';
    shown.push_back(&h.notice);
    appendNotice(out, h.notice);
  }
  return out + "]}";
}

}  // namespace

void appendAssignmentFacts(std::string& out, const LoadedProgram& lp, const Decision& d) {
  out += ",\"measure_codes\":";
  appendMeasureCodes(out, lp.program, d.measures);
  const DeclarationFacts& f = d.declaration;
  if (!f.office && !f.declarant && !f.items) return;
  out += ",\"declaration\":{";
  const char* comma = "";
  if (f.office) {
    out += "\"office\":";
    appendJsonString(out, *f.office);
    comma = ",";
  }
  if (f.declarant) {
    out += comma;
    out += "\"declarant\":";
    appendJsonString(out, *f.declarant);
    comma = ",";
  }
  if (f.items) {
    out += comma;
    out += "\"items\":";
    out += std::to_string(*f.items);
  }
  out += '}';
}

std::string renderDecisionJson(const LoadedProgram& lp, const Decision& d, DecisionView view) {
  const Program& p = lp.program;
  if (view == DecisionView::Declarant) return renderDeclarantJson(p, d);
  const bool audit = view == DecisionView::Audit;
  std::string out = openDecisionJson(d);
  if (!d.ok) {
    out += ",\"status\":\"error\",\"error\":";
    appendJsonString(out, d.error);
  } else {
    out += ",\"status\":\"ok\",\"corridor\":\"";
    out += corridorText(d.corridor);
    out += "\",\"measures\":";
    appendMeasures(out, p, d.measures);
    appendAssignmentFacts(out, lp, d);
    out += ",\"hits\":[";
    // The engine's own hits (amendment.h) go among the profiles' by profile id.
    size_t engine = 0;
    auto engineHitsBefore = [&](const std::string* profile) {
      for (; engine < d.engineHits.size() && (!profile || d.engineHits[engine].profile < *profile);
           ++engine) {
        const EngineHit& h = d.engineHits[engine];
        if (out.back() != '[') out += ',';
        out += "{\"profile\":";
        appendJsonString(out, h.profile);
        out += ",\"level\":\"";
        out += levelText(h.level);
        out += "\",\"corridor\":\"";
        out += corridorText(h.corridor);
        out += "\",\"measures\":";
        appendMeasures(out, p, h.measures);
        out += ",\"reason\":";
        appendJsonString(out, h.reason);
        if (audit) {
          out += ",\"measure_codes\":";
          appendMeasureCodes(out, p, h.measures);
        }
        out += '}';
      }
    };
    for (size_t i = 0; i < d.hits.size(); ++i) {
      const Hit& h = d.hits[i];
      const ProfileSpec& prof = p.profiles[h.profile];
      engineHitsBefore(&prof.id);
      if (out.back() != '[') out += ',';
      out += "{\"profile\":";
      appendJsonString(out, prof.id);
      if (h.item) out += ",\"item\":" + std::to_string(*h.item);
      out += ",\"level\":\"";
      out += levelText(prof.level);
      out += "\",\"corridor\":\"";
      out += corridorText(prof.corridor);
      out += "\",\"measures\":";
      appendMeasures(out, p, prof.measures);  // already most severe first, then by name
      out += ",\"reason\":";
      appendJsonString(out, h.reason);
      if (audit) {
        out += ",\"measure_codes\":";
        appendMeasureCodes(out, p, prof.measures);
        if (!prof.requests.empty()) {
          out += ",\"requests\":[";
          for (size_t r = 0; r < prof.requests.size(); ++r) {
            out += r ? ",{\"measure\":" : "{\"measure\":";
            appendJsonString(out, p.measures[prof.requests[r].measure].name);
            appendRequest(out, p, prof.requests[r].documents, prof.requests[r].deadlineDays);
            out += '}';
          }
          out += ']';
        }
        if (!h.notice.empty()) {
          out += ",\"notice\":";
          appendNotice(out, h.notice);
        }
      }
      out += '}';
    }
    engineHitsBefore(nullptr);
    out += ']';
    appendOverrideJson(out, d);
  }
  appendBundleIdentity(out, lp);
  if (audit && !lp.approval) out += ",\"sequence\":null";
  out += '}';
  return out;
}

}  // namespace daliz

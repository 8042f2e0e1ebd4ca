#include "vm/exec/decision.h"

#include "vm/exec/loaded_program.h"

namespace daliz {

const char* corridorText(uint8_t corridor) {
  static const char* const kNames[] = {"green", "blue", "yellow", "red"};
  return corridor < 4 ? kNames[corridor] : "red";
}

void appendJsonString(std::string& out, std::string_view s) {
  static const char* const kHex = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
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

namespace {

void appendMeasures(std::string& out, const Program& p, const std::vector<uint32_t>& measures) {
  out += '[';
  for (size_t i = 0; i < measures.size(); ++i) {
    if (i) out += ',';
    appendJsonString(out, p.measures[measures[i]].name);
  }
  out += ']';
}
}  // namespace

std::string renderDecisionJson(const LoadedProgram& lp, const Decision& d) {
  const Program& p = lp.program;
  std::string out = "{\"id\":";
  if (d.id) appendJsonString(out, *d.id);
  else out += "null";
  if (!d.ok) {
    out += ",\"status\":\"error\",\"error\":";
    appendJsonString(out, d.error);
  } else {
    out += ",\"status\":\"ok\",\"corridor\":\"";
    out += corridorText(d.corridor);
    out += "\",\"measures\":";
    appendMeasures(out, p, d.measures);
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
      out += '}';
    }
    engineHitsBefore(nullptr);
    out += ']';
    appendOverrideJson(out, d);
  }
  appendBundleIdentity(out, lp);
  out += '}';
  return out;
}

}  // namespace daliz

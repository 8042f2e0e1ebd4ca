#include "compiler/diag/json_renderer.h"

#include <algorithm>
#include <cstdio>

#include "vm/exec/decision.h"

namespace daliz {
namespace {

// SARIF's result.level.
const char* sarifLevel(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Note:
    case Severity::Help:
      return "note";
  }
  return "error";
}

struct Position {
  LineColumn start, end;
  uint32_t offset = 0, length = 0;
};

Position positionOf(const SourceManager& sources, SourceRange r) {
  Position p;
  p.start = sources.lineColumn(r.file, r.begin);
  p.end = sources.lineColumn(r.file, std::max(r.begin, r.end));
  p.offset = r.begin;
  p.length = r.end > r.begin ? r.end - r.begin : 0;
  return p;
}

// {"start":{"line":…,"column":…},"end":{…},"offset":…,"length":…}
std::string jsonRange(const SourceManager& sources, SourceRange r) {
  Position p = positionOf(sources, r);
  return "{\"start\":{\"line\":" + std::to_string(p.start.line) +
         ",\"column\":" + std::to_string(p.start.column) +
         "},\"end\":{\"line\":" + std::to_string(p.end.line) +
         ",\"column\":" + std::to_string(p.end.column) +
         "},\"offset\":" + std::to_string(p.offset) + ",\"length\":" + std::to_string(p.length) +
         "}";
}

std::string jsonFile(const SourceManager& sources, SourceRange r) {
  return r.valid() ? jsonQuote(sources.file(r.file).path) : "null";
}

std::string jsonFixits(const SourceManager& sources, const Diagnostic& d) {
  std::string out = "[";
  if (d.help)
    for (const FixIt& f : d.help->fixits) {
      if (!f.range.valid()) continue;
      if (out.size() > 1) out += ",";
      out += "{\"file\":" + jsonFile(sources, f.range) +
             ",\"range\":" + jsonRange(sources, f.range) +
             ",\"replacement\":" + jsonQuote(f.replacement) + "}";
    }
  return out + "]";
}

std::string jsonDiagnostic(const SourceManager& sources, const Diagnostic& d, bool withNotes) {
  std::string out = "{\"id\":" + jsonQuote(nameOf(d.id)) + ",\"severity\":\"" +
                    severityName(d.severity) + "\",\"message\":" + jsonQuote(d.message) +
                    ",\"file\":" + jsonFile(sources, d.range) + ",\"ranges\":[";
  if (d.range.valid()) out += jsonRange(sources, d.range);
  out += "]";
  if (withNotes) {
    out += ",\"notes\":[";
    for (size_t i = 0; i < d.notes.size(); ++i)
      out += (i ? "," : "") + jsonDiagnostic(sources, d.notes[i], false);
    out += "],\"help\":" + (d.help ? jsonQuote(d.help->text()) : std::string("null"));
    out += ",\"fixits\":" + jsonFixits(sources, d);
  }
  return out + "}";
}

// A SARIF region: 1-based lines and columns (the run's columnKind is unicodeCodePoints), and
// the same range in bytes.
std::string sarifRegion(const SourceManager& sources, SourceRange r) {
  Position p = positionOf(sources, r);
  return "{\"startLine\":" + std::to_string(p.start.line) +
         ",\"startColumn\":" + std::to_string(p.start.column) +
         ",\"endLine\":" + std::to_string(p.end.line) +
         ",\"endColumn\":" + std::to_string(p.end.column) +
         ",\"byteOffset\":" + std::to_string(p.offset) +
         ",\"byteLength\":" + std::to_string(p.length) + "}";
}

std::string sarifArtifact(const SourceManager& sources, SourceRange r) {
  return "{\"uri\":" + jsonQuote(fileUri(sources.file(r.file).path)) + "}";
}

std::string sarifLocation(const SourceManager& sources, SourceRange r,
                          const std::string& extra = "") {
  return "{" + extra + "\"physicalLocation\":{\"artifactLocation\":" + sarifArtifact(sources, r) +
         ",\"region\":" + sarifRegion(sources, r) + "}}";
}

}  // namespace

std::string jsonQuote(std::string_view s) {
  std::string out;
  appendJsonString(out, s);  // the one JSON string writer, the decisions'
  return out;
}

std::string fileUri(std::string_view path) {
  std::string out;
  for (char ch : path) {
    unsigned char c = static_cast<unsigned char>(ch);
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out += ch;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

void renderJson(std::ostream& out, const SourceManager& sources,
                const std::vector<const Diagnostic*>& diagnostics, std::string_view toolVersion) {
  size_t errors = 0, warnings = 0;
  out << "{\"tool\":\"daliz\",\"version\":" << jsonQuote(toolVersion) << ",\"diagnostics\":[";
  for (size_t i = 0; i < diagnostics.size(); ++i) {
    const Diagnostic& d = *diagnostics[i];
    errors += d.severity == Severity::Error;
    warnings += d.severity == Severity::Warning;
    out << (i ? ",\n" : "\n") << jsonDiagnostic(sources, d, true);
  }
  out << "\n],\"errors\":" << errors << ",\"warnings\":" << warnings << "}\n";
}

void renderSarif(std::ostream& out, const SourceManager& sources,
                 const std::vector<const Diagnostic*>& diagnostics, std::string_view toolVersion) {
  // The rules: every Error and Warning row, in table order; ruleIndex points into them.
  std::vector<int> ruleIndex(kDiagCount, -1);
  std::string rules;
  int n = 0;
  for (size_t i = 0; i < kDiagCount; ++i) {
    Diag id = static_cast<Diag>(i);
    Severity s = severityOf(id);
    if (s != Severity::Error && s != Severity::Warning) continue;
    ruleIndex[i] = n++;
    rules += std::string(rules.empty() ? "\n" : ",\n") + "{\"id\":" + jsonQuote(nameOf(id)) +
             ",\"shortDescription\":{\"text\":" + jsonQuote(formatOf(id)) +
             "},\"defaultConfiguration\":{\"level\":\"" + sarifLevel(s) + "\"}}";
  }
  out << "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
         "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"daliz\",\"version\":"
      << jsonQuote(toolVersion)
      << ",\"informationUri\":\"https://example.invalid/daliz/docs/language.md#part-4\","
         "\"rules\":["
      << rules << "]}},\"columnKind\":\"unicodeCodePoints\",\"results\":[";
  bool first = true;
  for (const Diagnostic* dp : diagnostics) {
    const Diagnostic& d = *dp;
    if (ruleIndex[static_cast<size_t>(d.id)] < 0) continue;  // only errors and warnings are results
    std::string text = d.message;
    if (d.help) text += "\nhelp: " + d.help->text();
    out << (first ? "\n" : ",\n") << "{\"ruleId\":" << jsonQuote(nameOf(d.id))
        << ",\"ruleIndex\":" << ruleIndex[static_cast<size_t>(d.id)] << ",\"level\":\""
        << sarifLevel(d.severity) << "\",\"message\":{\"text\":" << jsonQuote(text) << "}";
    first = false;
    out << ",\"locations\":[";
    if (d.range.valid()) out << sarifLocation(sources, d.range);
    out << "]";
    std::string related;
    int relatedId = 0;
    for (const Diagnostic& note : d.notes) {
      if (!note.range.valid()) continue;
      related += std::string(related.empty() ? "" : ",") +
                 sarifLocation(sources, note.range,
                               "\"id\":" + std::to_string(relatedId++) +
                                   ",\"message\":{\"text\":" + jsonQuote(note.message) + "},");
    }
    if (!related.empty()) out << ",\"relatedLocations\":[" << related << "]";
    if (d.help && !d.help->fixits.empty()) {
      // One fix: all its edits together; grouped by file, as artifactChanges are.
      std::vector<uint32_t> files;
      for (const FixIt& f : d.help->fixits)
        if (f.range.valid() && std::find(files.begin(), files.end(), f.range.file) == files.end())
          files.push_back(f.range.file);
      out << ",\"fixes\":[{\"description\":{\"text\":" << jsonQuote(d.help->text())
          << "},\"artifactChanges\":[";
      for (size_t k = 0; k < files.size(); ++k) {
        out << (k ? "," : "")
            << "{\"artifactLocation\":" << sarifArtifact(sources, SourceRange{files[k], 0, 0})
            << ",\"replacements\":[";
        bool firstEdit = true;
        for (const FixIt& f : d.help->fixits) {
          if (f.range.file != files[k]) continue;
          out << (firstEdit ? "" : ",") << "{\"deletedRegion\":" << sarifRegion(sources, f.range)
              << ",\"insertedContent\":{\"text\":" << jsonQuote(f.replacement) << "}}";
          firstEdit = false;
        }
        out << "]}";
      }
      out << "]}]";
    }
    out << "}";
  }
  out << "\n]}]}\n";
}

}  // namespace daliz

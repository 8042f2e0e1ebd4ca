#include "compiler/diag/diagnostic.h"

#include <algorithm>

namespace daliz {
namespace {

struct Entry {
  const char* name;
  Severity severity;
  const char* format;
};

constexpr Entry kTable[] = {
#define DIAG(id, severity, format) {#id, Severity::severity, format},
#include "compiler/diag/diagnostics.def"
#undef DIAG
};

size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                  std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

Severity severityOf(Diag id) { return kTable[static_cast<int>(id)].severity; }
const char* nameOf(Diag id) { return kTable[static_cast<int>(id)].name; }

std::string formatDiagnostic(Diag id, const std::vector<std::string>& args) {
  std::string out;
  for (const char* p = kTable[static_cast<int>(id)].format; *p; ++p) {
    if (*p == '%' && p[1] >= '0' && p[1] <= '9') {
      size_t n = static_cast<size_t>(p[1] - '0');
      if (n < args.size()) out += args[n];
      ++p;
    } else {
      out += *p;
    }
  }
  return out;
}

Diagnostic& DiagnosticSink::report(Diag id, SourceRange range, std::vector<std::string> args) {
  Severity s = severityOf(id);
  if (s == Severity::Error) ++errors_;
  diagnostics_.push_back({id, s, range, formatDiagnostic(id, args), {}});
  return diagnostics_.back();
}

void DiagnosticSink::note(Diag id, SourceRange range, std::vector<std::string> args) {
  if (diagnostics_.empty()) return;
  diagnostics_.back().notes.push_back(
      {id, Severity::Note, range, formatDiagnostic(id, args), {}});
}

std::string closestMatch(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t bestDistance = SIZE_MAX;
  for (const auto& c : candidates) {
    size_t d = editDistance(word, c);
    if (d < bestDistance) bestDistance = d, best = c;
  }
  // A likely typo: at most a third of the word wrong, and never the whole of a short word.
  // Words of one or two letters are too short to guess from.
  if (word.size() < 3) return "";
  size_t limit = std::max<size_t>(1, word.size() / 3);
  if (best.empty() || bestDistance == 0 || bestDistance > limit) return "";
  return best;
}

std::string suggestion(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best = closestMatch(word, candidates);
  return best.empty() ? "" : "; did you mean `" + best + "`?";
}

}  // namespace daliz

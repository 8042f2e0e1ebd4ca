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

// Optimal string alignment distance, case-insensitive: insertions, deletions, substitutions
// and transpositions of neighbours (`hihg` → `high`: the most common typo) each cost 1.
size_t editDistance(std::string_view a, std::string_view b) {
  auto eq = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  };
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (eq(a[i - 1], b[j - 1]) ? 0 : 1)});
      if (i > 1 && j > 1 && eq(a[i - 1], b[j - 2]) && eq(a[i - 2], b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

}  // namespace

Severity severityOf(Diag id) { return kTable[static_cast<int>(id)].severity; }
const char* nameOf(Diag id) { return kTable[static_cast<int>(id)].name; }
const char* formatOf(Diag id) { return kTable[static_cast<int>(id)].format; }

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
  lastDropped_ = false;
  // Past the cap, a file's further errors are counted but not kept: one mistake repeated
  // 100,000 times (generated input) must not drown the first ones.
  if (s == Severity::Error && range.valid()) {
    size_t inFile = ++errorsInFile_[range.file];
    ++errors_;
    if (inFile >= kMaxErrorsPerFile) {
      // TooManyErrors takes this error's place; the caller's help and notes go nowhere.
      if (inFile == kMaxErrorsPerFile) diagnostics_.push_back(make(Diag::TooManyErrors, range, {}));
      lastDropped_ = true;
      dropped_ = make(id, range, {});
      return dropped_;
    }
    diagnostics_.push_back(make(id, range, std::move(args)));
    return diagnostics_.back();
  }
  if (s == Severity::Error) ++errors_;
  diagnostics_.push_back(make(id, range, std::move(args)));
  return diagnostics_.back();
}

bool DiagnosticSink::capReached(uint32_t file) const {
  auto it = errorsInFile_.find(file);
  return it != errorsInFile_.end() && it->second >= kMaxErrorsPerFile;
}

void DiagnosticSink::note(Diag id, SourceRange range, std::vector<std::string> args) {
  if (lastDropped_ || diagnostics_.empty()) return;
  diagnostics_.back().notes.push_back(make(id, range, std::move(args)));
}

Diagnostic DiagnosticSink::make(Diag id, SourceRange range, std::vector<std::string> args) {
  Diagnostic d{};
  d.id = id;
  d.severity = severityOf(id);
  d.range = range;
  d.message = formatDiagnostic(id, args);
  d.args = std::move(args);
  return d;
}

void DiagnosticSink::addSuggestionFixits(const SourceManager& sources) {
  constexpr std::string_view kPrefix = "; did you mean `", kSuffix = "`?";
  for (Diagnostic& d : diagnostics_) {
    if (d.help || d.args.empty() || !d.range.valid()) continue;
    std::string_view last = d.args.back();
    if (last.size() <= kPrefix.size() + kSuffix.size() ||
        last.substr(0, kPrefix.size()) != kPrefix ||
        last.substr(last.size() - kSuffix.size()) != kSuffix)
      continue;
    std::string best(last.substr(kPrefix.size(), last.size() - kPrefix.size() - kSuffix.size()));
    std::string_view written = sources.text(d.range);
    if (written.empty() || std::find(d.args.begin(), d.args.end() - 1, written) == d.args.end() - 1)
      continue;
    d.withHelp(Diag::HelpWrite, {best}, {{d.range, best}});
  }
}

std::string Help::text() const { return formatDiagnostic(id, args); }

Diagnostic& Diagnostic::withHelp(Diag helpId, std::vector<std::string> helpArgs,
                                 std::vector<FixIt> fixits) {
  help = Help{helpId, std::move(helpArgs), std::move(fixits)};
  return *this;
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

const char* severityName(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Note:
      return "note";
    case Severity::Help:
      return "help";
  }
  return "error";
}

}  // namespace daliz

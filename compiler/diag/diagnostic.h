#pragma once
#include <map>
#include <string>
#include <vector>

#include "compiler/syntax/source.h"

namespace daliz {

enum class Severity { Note, Warning, Error };

// Errors kept per file; past it one TooManyErrors stands for the rest (they still count).
inline constexpr size_t kMaxErrorsPerFileReported = 100;

enum class Diag {
#define DIAG(id, severity, format) id,
#include "compiler/diag/diagnostics.def"
#undef DIAG
};

Severity severityOf(Diag id);
const char* nameOf(Diag id);

// One reported problem. The message is formatted at report time from the table's format;
// rendering (text with a caret, or anything else) is separate: see text_renderer.h.
struct Diagnostic {
  Diag id;
  Severity severity;
  SourceRange range;
  std::string message;
  std::vector<Diagnostic> notes;
};

// Collects the diagnostics of one compilation, in report order.
class DiagnosticSink {
 public:
  // Formats the table entry for `id` with `args` substituted for %0, %1, … and records it.
  Diagnostic& report(Diag id, SourceRange range, std::vector<std::string> args = {});
  // Attaches a note (a second location) to the last reported diagnostic.
  void note(Diag id, SourceRange range, std::vector<std::string> args = {});

  const std::vector<Diagnostic>& all() const { return diagnostics_; }
  size_t errorCount() const { return errors_; }
  bool hasErrors() const { return errors_ > 0; }

 private:
  std::vector<Diagnostic> diagnostics_;
  size_t errors_ = 0;
  std::map<uint32_t, size_t> errorsInFile_;
  Diagnostic dropped_{};  // what report() returns for an error past the cap

};

std::string formatDiagnostic(Diag id, const std::vector<std::string>& args);

// "; did you mean `x`?" for the closest of `candidates` to `word` by edit distance, or "".
std::string suggestion(std::string_view word, const std::vector<std::string>& candidates);
// The closest candidate, or "" when none is close enough to be a likely typo.
std::string closestMatch(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace daliz

#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/syntax/source.h"
#include "vm/limits.h"

namespace daliz {

// Help rows of the table are not reported on their own: they are the `help:` line of a
// diagnostic (Diagnostic::help), which may carry fix-its.
enum class Severity { Note, Warning, Error, Help };

// The front end's one error cap (ErrorsPerFile in vm/limits.def), for every stage alike:
// repairs, lexing, parsing, name resolution, type checking and table loading. A file's first
// kMaxErrorsPerFile - 1 errors are kept; the next is TooManyErrors, which stands for the rest
// (they are counted, not kept), and the parser reads that file no further.
inline constexpr size_t kMaxErrorsPerFile = limits::kErrorsPerFile;

enum class Diag {
#define DIAG(id, severity, format) id,
#include "compiler/diag/diagnostics.def"
#undef DIAG
};

Severity severityOf(Diag id);
// "error", "warning", "note" or "help": how every renderer names a severity.
const char* severityName(Severity s);
const char* nameOf(Diag id);
// The row's format, with its %0, %1, … placeholders.
const char* formatOf(Diag id);
// The number of rows of the table: the Diag values are 0 … kDiagCount - 1.
inline constexpr size_t kDiagCount = 0
#define DIAG(id, severity, format) +1
#include "compiler/diag/diagnostics.def"
#undef DIAG
    ;

// An edit that applies a suggestion: replace `range` (empty: insert at its begin) by
// `replacement`.
struct FixIt {
  SourceRange range;
  std::string replacement;
};

// The `help:` line of a diagnostic: a Help row of the table with its arguments, and the
// edits that make the change it describes (none when it cannot be said as one edit).
struct Help {
  Diag id;
  std::vector<std::string> args;
  std::vector<FixIt> fixits;
  std::string text() const;
};

// One reported problem. The arguments stay structured (`args`, `help`); `message` is the
// table's format filled with them, kept for the renderers that want the sentence. Rendering
// (text with a caret, JSON, SARIF) is separate: see text_renderer.h.
struct Diagnostic {
  Diag id;
  Severity severity;
  SourceRange range;
  std::string message;
  std::vector<Diagnostic> notes;
  std::vector<std::string> args;
  std::optional<Help> help;

  // Adds the `help:` line (a Help row) and the fix-its that apply it.
  Diagnostic& withHelp(Diag helpId, std::vector<std::string> helpArgs = {},
                       std::vector<FixIt> fixits = {});
};

// Collects the diagnostics of one compilation, in report order.
class DiagnosticSink {
 public:
  // Formats the table entry for `id` with `args` substituted for %0, %1, … and records it.
  Diagnostic& report(Diag id, SourceRange range, std::vector<std::string> args = {});
  // Whether `file` has reached the error cap: its further errors are counted, not kept.
  bool capReached(uint32_t file) const;
  // Attaches a note (a second location) to the last reported diagnostic (none when that
  // one was not kept).
  void note(Diag id, SourceRange range, std::vector<std::string> args = {});

  const std::vector<Diagnostic>& all() const { return diagnostics_; }
  // Gives each diagnostic whose last argument is a suggestion ("; did you mean `x`?", see
  // suggestion()) and which has no help yet the help `write `x`` with the fix-it that writes
  // it, when its range covers exactly the word the suggestion replaces.
  void addSuggestionFixits(const SourceManager& sources);
  size_t errorCount() const { return errors_; }
  bool hasErrors() const { return errors_ > 0; }

 private:
  static Diagnostic make(Diag id, SourceRange range, std::vector<std::string> args);
  std::vector<Diagnostic> diagnostics_;
  size_t errors_ = 0;
  std::map<uint32_t, size_t> errorsInFile_;
  Diagnostic dropped_{};  // what report() returns for an error past the cap
  bool lastDropped_ = false;
};

std::string formatDiagnostic(Diag id, const std::vector<std::string>& args);

// "; did you mean `x`?" for the closest of `candidates` to `word` by edit distance, or "".
std::string suggestion(std::string_view word, const std::vector<std::string>& candidates);
// The closest candidate, or "" when none is close enough to be a likely typo.
std::string closestMatch(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace daliz

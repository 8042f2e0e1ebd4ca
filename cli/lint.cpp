// daliz lint: the front end, then the lint warnings (analysis/lint.h), printed like `daliz check`.
#include <algorithm>
#include <ctime>
#include <iostream>

#include "analysis/lint.h"
#include "cli/commands.h"
#include "cli/diagnostics_output.h"
#include "compiler/diag/text_renderer.h"
#include "compiler/driver/frontend.h"

namespace daliz::cli {
namespace {

// Today's date on this machine's clock, in local time.
Date today() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return fromYmd(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

}  // namespace

int runLint(const Options& o, const LintOptions& l) {
  analysis::LintOptions options;
  options.today = today();
  if (!l.today.empty()) {
    auto date = parseDate(l.today);
    if (!date) {
      printError(Diag::BadOptionValue, {"--today", "a date YYYY-MM-DD", l.today});
      return 1;
    }
    options.today = *date;
  }
  FrontendOptions f;
  f.files = o.files;
  if (!o.schema.empty()) f.schemaFile = o.schema;
  if (!o.ref.empty()) f.refDir = o.ref;
  auto c = runFrontend(f);
  // Lint reads a fully typed AST: with front-end errors, it reports them as `check` does.
  if (c->diagnostics.errorCount() == 0) analysis::lint(*c, options);
  const size_t errors = c->diagnostics.errorCount();  // lint may add one: a profile too complex to compile

  std::vector<const Diagnostic*> sorted = sortedDiagnostics(c->diagnostics);
  size_t warnings = 0;
  for (const Diagnostic* d : sorted) warnings += d->severity == Severity::Warning;
  printDiagnostics(l.format, c->sources, sorted);
  if (l.format != "text") return errors > 0 || (l.strict && warnings > 0) ? 1 : 0;
  if (errors > 0) {
    std::cerr << errors << (errors == 1 ? " error" : " errors") << "\n";
    return 1;
  }
  if (warnings > 0) std::cerr << warnings << (warnings == 1 ? " warning" : " warnings") << "\n";
  return l.strict && warnings > 0 ? 1 : 0;
}

}  // namespace daliz::cli

#include "cli/diagnostics_output.h"

#include <algorithm>
#include <iostream>

#include "compiler/diag/json_renderer.h"
#include "compiler/diag/text_renderer.h"
#include "daliz/daliz.h"

namespace daliz::cli {

std::vector<const Diagnostic*> sortedDiagnostics(const DiagnosticSink& sink) {
  std::vector<const Diagnostic*> sorted;
  for (const Diagnostic& d : sink.all()) sorted.push_back(&d);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic* a, const Diagnostic* b) {
    return std::tie(a->range.file, a->range.begin) < std::tie(b->range.file, b->range.begin);
  });
  return sorted;
}

void printDiagnostics(const std::string& format, const SourceManager& sources,
                      const std::vector<const Diagnostic*>& diagnostics) {
  if (format == "json") {
    renderJson(std::cout, sources, diagnostics, api::version());
  } else if (format == "sarif") {
    renderSarif(std::cout, sources, diagnostics, api::version());
  } else {
    for (const Diagnostic* d : diagnostics) renderText(std::cerr, sources, *d);
  }
  std::cout.flush();
}

void printError(Diag id, std::vector<std::string> args) {
  Diagnostic d{};
  d.id = id;
  d.severity = severityOf(id);
  d.message = formatDiagnostic(id, args);
  d.args = std::move(args);
  SourceManager none;
  renderText(std::cerr, none, d);
}

}  // namespace daliz::cli

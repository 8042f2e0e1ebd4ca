#pragma once
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"

namespace daliz::cli {

// The diagnostics of a compilation in source order (file, then offset); those without a
// location first.
std::vector<const Diagnostic*> sortedDiagnostics(const DiagnosticSink& sink);

// Prints diagnostics as `format` asks (docs/cli.md, `--format`): text to stderr, as clang does;
// json and sarif to stdout, one document.
void printDiagnostics(const std::string& format, const SourceManager& sources,
                      const std::vector<const Diagnostic*>& diagnostics);

// Prints an error of the command line itself (no source position) from the diagnostics table,
// as `daliz: error: …` on stderr.
void printError(Diag id, std::vector<std::string> args = {});

// The --format values of check and lint.
inline const std::vector<std::string> kDiagnosticFormats = {"text", "json", "sarif"};

}  // namespace daliz::cli

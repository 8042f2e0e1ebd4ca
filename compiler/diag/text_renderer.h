#pragma once
#include <ostream>

#include "compiler/diag/diagnostic.h"

namespace daliz {

// Renders diagnostics as clang does: `file:line:col: error: message`, the source line, and
// a caret with `~` under the rest of the range (on the first line of a multi-line range).
void renderText(std::ostream& out, const SourceManager& sources, const Diagnostic& d);
void renderText(std::ostream& out, const SourceManager& sources, const DiagnosticSink& sink);

}  // namespace daliz

#pragma once
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"

namespace daliz {

// Machine-readable renderings of diagnostics (docs/cli.md, `--format`), beside the text one
// (text_renderer.h). Positions are 1-based lines and columns in code points; an end is the
// position just after the range (an empty range is an insertion point). Byte offsets are
// given too, so that tools can apply the fix-its without counting characters.

// One JSON object: {"tool","version","diagnostics":[…],"errors","warnings"}; each diagnostic
// has id, severity, message, file, ranges, notes, help and fixits (see docs/cli.md).
void renderJson(std::ostream& out, const SourceManager& sources,
                const std::vector<const Diagnostic*>& diagnostics, std::string_view toolVersion);

// A SARIF 2.1.0 log with one run: the tool's rules are the Error and Warning rows of
// diagnostics.def; each diagnostic is a result, its notes relatedLocations and its fix-its
// one fix.
void renderSarif(std::ostream& out, const SourceManager& sources,
                 const std::vector<const Diagnostic*>& diagnostics, std::string_view toolVersion);

// `s` as a JSON string literal, quotes included.
std::string jsonQuote(std::string_view s);
// A relative URI reference for a file path: unreserved characters and `/` kept, the rest
// percent-encoded.
std::string fileUri(std::string_view path);

}  // namespace daliz

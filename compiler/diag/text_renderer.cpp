#include "compiler/diag/text_renderer.h"

namespace daliz {
namespace {

// Columns on screen for the bytes [begin, end) of a line: tabs stay tabs so that the
// caret line lines up with the source line in any terminal.
std::string padding(std::string_view line, size_t bytes) {
  std::string pad;
  for (size_t i = 0; i < bytes && i < line.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if ((c & 0xC0) == 0x80) continue;
    pad += c == '\t' ? '\t' : ' ';
  }
  return pad;
}

}  // namespace

void renderText(std::ostream& out, const SourceManager& sources, const Diagnostic& d) {
  if (!d.range.valid()) {
    out << "daliz: " << severityName(d.severity) << ": " << d.message << "\n";
  } else {
    const SourceFile& f = sources.file(d.range.file);
    LineColumn lc = sources.lineColumn(d.range.file, d.range.begin);
    out << f.path << ":" << lc.line << ":" << lc.column << ": " << severityName(d.severity) << ": "
        << d.message << "\n";
    std::string_view line = sources.lineText(d.range.file, d.range.begin);
    // Very long lines (generated or hostile input) are shown cut, not whole.
    constexpr size_t kMaxShown = 240;
    size_t lineStart = f.lineStarts[lc.line - 1];
    size_t caretByte = d.range.begin - lineStart;
    if (line.size() <= kMaxShown && caretByte <= line.size()) {
      out << line << "\n";
      size_t endByte = std::min<size_t>(d.range.end - lineStart, line.size());
      std::string marks = "^";
      for (size_t i = caretByte + 1; i < endByte; ++i)
        if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) marks += '~';
      out << padding(line, caretByte) << marks << "\n";
    }
  }
  if (d.help) out << "help: " << d.help->text() << "\n";
  for (const auto& n : d.notes) renderText(out, sources, n);
}

void renderText(std::ostream& out, const SourceManager& sources, const DiagnosticSink& sink) {
  for (const auto& d : sink.all()) renderText(out, sources, d);
}

}  // namespace daliz

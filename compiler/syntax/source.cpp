#include "compiler/syntax/source.h"

#include <algorithm>

namespace daliz {

uint32_t SourceManager::add(std::string path, std::string text) {
  auto f = std::make_unique<SourceFile>();
  f->path = std::move(path);
  f->text = std::move(text);
  f->lineStarts.push_back(0);
  for (uint32_t i = 0; i < f->text.size(); ++i)
    if (f->text[i] == '\n') f->lineStarts.push_back(i + 1);
  files_.push_back(std::move(f));
  return static_cast<uint32_t>(files_.size());
}

LineColumn SourceManager::lineColumn(uint32_t id, uint32_t offset) const {
  const SourceFile& f = file(id);
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(f.text.size()));
  auto it = std::upper_bound(f.lineStarts.begin(), f.lineStarts.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - f.lineStarts.begin());
  uint32_t column = 1;
  // Count code points: continuation bytes (10xxxxxx) do not start a column.
  for (uint32_t i = f.lineStarts[line - 1]; i < offset; ++i)
    if ((static_cast<unsigned char>(f.text[i]) & 0xC0) != 0x80) ++column;
  return {line, column};
}

std::string_view SourceManager::lineText(uint32_t id, uint32_t offset) const {
  const SourceFile& f = file(id);
  LineColumn lc = lineColumn(id, offset);
  uint32_t begin = f.lineStarts[lc.line - 1];
  uint32_t end = lc.line < f.lineStarts.size() ? f.lineStarts[lc.line] : f.text.size();
  std::string_view line(f.text.data() + begin, end - begin);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return line;
}

std::string_view SourceManager::text(SourceRange r) const {
  if (!r.valid()) return {};
  const SourceFile& f = file(r.file);
  if (r.begin > f.text.size() || r.end > f.text.size() || r.begin > r.end) return {};
  return std::string_view(f.text).substr(r.begin, r.end - r.begin);
}

}  // namespace daliz

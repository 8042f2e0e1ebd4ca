#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace daliz {

// A place in the sources: a file and a half-open range of byte offsets into its text.
struct SourceRange {
  uint32_t file = 0;
  uint32_t begin = 0;
  uint32_t end = 0;
  bool valid() const { return file != 0; }
};

// A line and column, both 1-based; the column counts code points, not bytes.
struct LineColumn {
  uint32_t line = 0;
  uint32_t column = 0;
};

struct SourceFile {
  std::string path;
  std::string text;
  std::vector<uint32_t> lineStarts;  // byte offset of each line's first byte
};

// Owns every source text of one compilation. File id 0 means "no location".
class SourceManager {
 public:
  uint32_t add(std::string path, std::string text);
  const SourceFile& file(uint32_t id) const { return *files_.at(id - 1); }
  size_t fileCount() const { return files_.size(); }
  LineColumn lineColumn(uint32_t file, uint32_t offset) const;
  // The text of the line holding `offset`, without its line break.
  std::string_view lineText(uint32_t file, uint32_t offset) const;
  std::string_view text(SourceRange r) const;

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

}  // namespace daliz

#pragma once
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"

namespace daliz {

// The text the lexer reads, after the repairs of habits from other languages and of
// characters that look right and are not (`<>`, `AND`, `'KZ'`, `0,5`, `01.06.2025`, a
// Cyrillic `К` in `"КG"`, a zero-width space, `where` for `when`, …). Each repair is
// reported once, with a help line and the fix-it that makes it; the lexer then reads what
// the analyst meant, so that one mistake gives one error and the rest is still checked.
struct RepairedText {
  std::u32string text;
  // byteOf[i]: the byte offset (from the span's start) of text[i] in the source; one more
  // element for the end. Inserted characters take the offset of the character they replace.
  std::vector<uint32_t> byteOf;
  // Code points of `text` whose lexical error was already reported here (a Cyrillic name):
  // the lexer's bad characters there are not reported again.
  std::set<uint32_t> silenced;
};

using RepairReport = std::function<Diagnostic*(Diag, SourceRange, std::vector<std::string>)>;

// `utf8` must be well-formed; `base` is its byte offset in file `file`.
RepairedText repairText(std::string_view utf8, uint32_t file, uint32_t base,
                        const RepairReport& report);

// "U+041A CYRILLIC CAPITAL LETTER KA" for the characters the repairs name; "U+XXXX" else.
std::string codePointName(char32_t c);
std::string encodeUtf8(std::u32string_view s);

}  // namespace daliz

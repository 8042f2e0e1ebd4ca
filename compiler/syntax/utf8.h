#pragma once
#include <string>
#include <string_view>

namespace daliz {

// The byte offset of the first byte that is not part of well-formed UTF-8 (overlong forms,
// surrogates and code points past U+10FFFF count as malformed), or npos when all is valid.
size_t firstInvalidUtf8(std::string_view text);

// The code points of `text`, which must be well-formed (firstInvalidUtf8 gives npos): one
// element per character, allocated once at the exact size.
std::u32string decodeUtf8(std::string_view text);

}  // namespace daliz

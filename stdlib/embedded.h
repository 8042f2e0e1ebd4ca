#pragma once
#include <string_view>

namespace daliz {
// The bytes of a file embedded at build time (cmake/embed.cmake), by its path relative to
// the source tree, e.g. "stdlib/schema.dlz"; empty when no such file was embedded.
std::string_view embedded(std::string_view path);
}  // namespace daliz

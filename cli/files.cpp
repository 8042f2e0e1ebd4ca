#include "cli/files.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace daliz::cli {

std::optional<std::string> readWholeFile(const std::string& path, std::string& why) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = std::strerror(errno);
    return std::nullopt;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    why = "read error";
    return std::nullopt;
  }
  return buffer.str();
}

}  // namespace daliz::cli

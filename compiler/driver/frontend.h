#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/sema/checker.h"

namespace daliz {

struct FrontendOptions {
  std::vector<std::string> files;
  std::optional<std::string> schemaFile;  // replaces the stdlib's declaration schema
  std::optional<std::string> refDir;      // where tables' CSV files are read from
  // Sources given as text, after the files: (the name shown in messages, the text).
  std::vector<std::pair<std::string, std::string>> texts;
};

// The stdlib sources compiled into every compilation, as (path shown in messages, text).
std::vector<std::pair<std::string, std::string>> stdlibSources(bool withSchema);

// Reads the stdlib and the given files, parses and checks them. Unreadable files are
// reported as diagnostics. The result holds the diagnostics whether or not checking passed.
std::unique_ptr<Compilation> runFrontend(const FrontendOptions& options);

}  // namespace daliz

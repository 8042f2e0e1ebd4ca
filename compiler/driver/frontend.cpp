#include "compiler/driver/frontend.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/syntax/parser.h"
#include "stdlib/embedded.h"
#include "vm/limits.h"

namespace daliz {
namespace {

std::optional<std::string> readFile(const std::string& path, std::string& why) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = "no such file, or it cannot be read";
    return std::nullopt;
  }
  // A source larger than SourceBytes (vm/limits.def) is refused before it is read.
  std::error_code ec;
  if (auto size = std::filesystem::file_size(path, ec); !ec && size > limits::kSourceBytes) {
    why = "the file is larger than " + std::to_string(limits::kSourceBytes >> 20) +
          " MiB (SourceBytes in docs/limits.md): split the profiles into several files";
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

}  // namespace

std::vector<std::pair<std::string, std::string>> stdlibSources(bool withSchema) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* name : {"schema.dlz", "measures.dlz", "countries.dlz"}) {
    if (!withSchema && std::string_view(name) == "schema.dlz") continue;
    out.emplace_back(std::string("<stdlib>/") + name, std::string(embedded(std::string("stdlib/") + name)));
  }
  return out;
}

std::unique_ptr<Compilation> runFrontend(const FrontendOptions& options) {
  auto c = std::make_unique<Compilation>();
  auto parse = [&](std::string path, std::string text, bool stdlib) {
    uint32_t id = c->sources.add(std::move(path), std::move(text));
    auto module = parseModule(c->sources, id, c->diagnostics);
    for (auto& d : module->decls) d->fromStdlib = stdlib;
    c->modules.push_back(std::move(module));
  };
  for (auto& [path, text] : stdlibSources(!options.schemaFile)) parse(path, text, true);
  std::vector<std::string> files = options.files;
  if (options.schemaFile) files.insert(files.begin(), *options.schemaFile);
  for (const std::string& path : files) {
    std::string why;
    auto text = readFile(path, why);
    if (!text) {
      c->diagnostics.report(Diag::CannotReadFile, {}, {path, why});
      continue;
    }
    parse(path, std::move(*text), false);
  }
  for (const auto& [name, text] : options.texts) parse(name, text, false);
  CheckOptions check;
  check.refDir = options.refDir;
  daliz::check(*c, check);
  c->diagnostics.addSuggestionFixits(c->sources);
  return c;
}

}  // namespace daliz

// libFuzzer target: profile source text through the whole front end — lexer, parser, checker —
// and, when it checks, the code generator, the verifier (as the compiler runs it) and lint.
// Nothing may crash, hang or leak, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analysis/lint.h"
#include "compiler/driver/frontend.h"
#include "compiler/driver/pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1u << 16))
    return 0;  // the front end's size limits are tested elsewhere; keep runs fast
  daliz::FrontendOptions options;
  options.texts.emplace_back("fuzz.dlz", std::string(reinterpret_cast<const char*>(data), size));
  auto c = daliz::runFrontend(options);
  if (c->diagnostics.hasErrors()) return 0;
  std::string error;
  auto program = daliz::buildProgram(*c, daliz::CodegenOptions{}, error);
  if (program) daliz::loadCompiled(*c, std::move(*program), error);
  daliz::analysis::LintOptions lint;
  lint.today = daliz::fromYmd(2025, 6, 1);
  if (!c->diagnostics.hasErrors()) daliz::analysis::lint(*c, lint);
  return 0;
}

#include <iostream>

#include "cli/commands.h"
#include "compiler/diag/text_renderer.h"
#include "compiler/driver/frontend.h"

namespace daliz::cli {

int runCheck(const Options& o) {
  FrontendOptions f;
  f.files = o.files;
  if (!o.schema.empty()) f.schemaFile = o.schema;
  if (!o.ref.empty()) f.refDir = o.ref;
  auto c = runFrontend(f);
  renderText(std::cerr, c->sources, c->diagnostics);
  size_t errors = c->diagnostics.errorCount();
  if (errors > 0) {
    std::cerr << errors << (errors == 1 ? " error" : " errors") << "\n";
    return 1;
  }
  return 0;
}

}  // namespace daliz::cli

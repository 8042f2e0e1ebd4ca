// daliz check / test / compile: the front end, then (for test and compile) bytecode and
// the test blocks, then (for compile) the bundle.
#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "cli/files.h"
#include "compiler/diag/text_renderer.h"
#include "compiler/driver/frontend.h"
#include "compiler/driver/pipeline.h"
#include "vm/bundle/bundle_writer.h"

namespace daliz::cli {
namespace {

// Parses and checks; prints diagnostics in source order. Null when there are errors.
std::unique_ptr<Compilation> frontEnd(const Options& o) {
  FrontendOptions f;
  f.files = o.files;
  if (!o.schema.empty()) f.schemaFile = o.schema;
  if (!o.ref.empty()) f.refDir = o.ref;
  auto c = runFrontend(f);
  std::vector<const Diagnostic*> sorted;
  for (const Diagnostic& d : c->diagnostics.all()) sorted.push_back(&d);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic* a, const Diagnostic* b) {
    return std::tie(a->range.file, a->range.begin) < std::tie(b->range.file, b->range.begin);
  });
  for (const Diagnostic* d : sorted) renderText(std::cerr, c->sources, *d);
  size_t errors = c->diagnostics.errorCount();
  if (errors > 0) {
    std::cerr << errors << (errors == 1 ? " error" : " errors") << "\n";
    return nullptr;
  }
  return c;
}

// Check, lower, load in memory and run the tests; prints each test's outcome to `report`.
std::unique_ptr<LoadedProgram> checkAndTest(const Options& o, std::ostream& report, bool& testsPassed,
                                            std::unique_ptr<Compilation>& c) {
  testsPassed = false;
  c = frontEnd(o);
  if (!c) return nullptr;
  CodegenOptions g;
  g.seed = o.seed;
  g.includeDrafts = o.includeDrafts;
  std::string error;
  // A profile beyond the limits of vm/limits.def is a diagnostic at the profile (buildProgram,
  // loadCompiled); anything else that fails here is a bug, reported as such.
  auto fail = [&] {
    if (!error.empty()) std::cerr << "daliz: error: " << error << "\n";
    for (const Diagnostic& d : c->diagnostics.all())
      if (d.severity == Severity::Error) renderText(std::cerr, c->sources, d);
    size_t errors = c->diagnostics.errorCount();
    if (errors > 0) std::cerr << errors << (errors == 1 ? " error" : " errors") << "\n";
    return nullptr;
  };
  auto program = buildProgram(*c, g, error);
  if (!program) return fail();
  auto loaded = loadCompiled(*c, std::move(*program), error);
  if (!loaded) return fail();
  auto outcomes = runTests(*c, *loaded);
  size_t failed = 0;
  for (const TestOutcome& t : outcomes) {
    report << (t.passed ? "PASS  " : "FAIL  ") << t.name << "\n";
    for (const std::string& f : t.failures) report << "      " << f << "\n";
    failed += !t.passed;
  }
  report << outcomes.size() - failed << " passed, " << failed << " failed\n";
  testsPassed = failed == 0;
  return loaded;
}

}  // namespace

int runCheck(const Options& o) { return frontEnd(o) ? 0 : 1; }

int runTest(const Options& o) {
  bool passed;
  std::unique_ptr<Compilation> c;
  auto loaded = checkAndTest(o, std::cout, passed, c);
  return loaded && passed ? 0 : 1;
}

int runCompile(const Options& o) {
  bool passed;
  std::unique_ptr<Compilation> c;
  auto loaded = checkAndTest(o, std::cerr, passed, c);
  if (!loaded) return 1;
  if (!passed) {
    std::cerr << "daliz: error: tests failed; no bundle written\n";
    return 1;
  }
  std::string bytes = writeBundle(loaded->program);
  std::string why;
  if (!writeFileAtomically(o.out, bytes, why)) {
    std::cerr << "daliz: error: cannot write `" << o.out << "`: " << why << "\n";
    return 1;
  }
  size_t n = loaded->program.profiles.size();
  std::cerr << "wrote " << o.out << ": " << n << (n == 1 ? " profile, " : " profiles, ") << bytes.size()
            << " bytes, bundle " << contentHashHex(bytes) << "\n";
  return 0;
}

}  // namespace daliz::cli

// daliz check / test / compile: the front end, then (for test and compile) bytecode and
// the test blocks, then (for compile) the bundle.
#include <sys/stat.h>

#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "cli/diagnostics_output.h"
#include "cli/files.h"
#include "compiler/diag/fixits.h"
#include "compiler/diag/text_renderer.h"
#include "compiler/driver/frontend.h"
#include "compiler/driver/pipeline.h"
#include "vm/bundle/bundle_writer.h"

namespace daliz::cli {
namespace {

std::unique_ptr<Compilation> compileSources(const Options& o) {
  FrontendOptions f;
  f.files = o.files;
  if (!o.schema.empty()) f.schemaFile = o.schema;
  if (!o.ref.empty()) f.refDir = o.ref;
  return runFrontend(f);
}

// Parses and checks; prints diagnostics in source order, in `format` (text: with the count of
// errors). Null when there are errors.
std::unique_ptr<Compilation> frontEnd(const Options& o, const std::string& format = "text") {
  auto c = compileSources(o);
  printDiagnostics(format, c->sources, sortedDiagnostics(c->diagnostics));
  size_t errors = c->diagnostics.errorCount();
  if (errors > 0) {
    if (format == "text") std::cerr << errors << (errors == 1 ? " error" : " errors") << "\n";
    return nullptr;
  }
  return c;
}

// check --fix: applies the fix-its of the named files (compiler/diag/fixits.h), each file
// rewritten atomically with its permissions kept; says on stderr what it changed and what
// it left alone. False when a file could not be written.
bool applyFixes(const Options& o) {
  auto c = compileSources(o);
  std::vector<std::string> named = o.files;
  if (!o.schema.empty()) named.push_back(o.schema);
  bool ok = true;
  size_t changed = 0;
  for (const FilePlan& plan : planFixes(c->sources, sortedDiagnostics(c->diagnostics))) {
    const SourceFile& file = c->sources.file(plan.file);
    if (std::find(named.begin(), named.end(), file.path) == named.end()) continue;
    if (!plan.skipped.empty()) {
      std::cerr << file.path << ": not fixed: " << plan.skipped << "\n";
      continue;
    }
    std::string why;
    struct stat st {};
    unsigned mode = ::stat(file.path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0644;
    AtomicFile out;
    if (!out.open(file.path, why, mode) || !out.append(applyEdits(file.text, plan.edits), why) ||
        !out.commit(why)) {
      printError(Diag::CannotWriteFile, {file.path, why});
      ok = false;
      continue;
    }
    ++changed;
    for (const Diagnostic* d : plan.fixed) {
      LineColumn lc = c->sources.lineColumn(d->range.file, d->range.begin);
      std::cerr << file.path << ":" << lc.line << ":" << lc.column << ": fixed [" << nameOf(d->id)
                << "]: " << d->help->text() << "\n";
    }
    size_t n = plan.fixed.size();
    std::cerr << "wrote " << file.path << ": " << n << (n == 1 ? " fix" : " fixes") << "\n";
  }
  if (changed == 0 && ok) std::cerr << "no fix-its to apply\n";
  return ok;
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
    if (!error.empty()) printError(Diag::CompilerBug, {error});
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

int runCheck(const Options& o, const CheckOptions& k) {
  // After --fix, the files are checked again: what is printed is what is left to do.
  if (k.fix && !applyFixes(o)) return 1;
  return frontEnd(o, k.format) ? 0 : 1;
}

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
    printError(Diag::TestsFailed);
    return 1;
  }
  std::string bytes = writeBundle(loaded->program);
  std::string why;
  if (!writeFileAtomically(o.out, bytes, why)) {
    printError(Diag::CannotWriteFile, {o.out, why});
    return 1;
  }
  size_t n = loaded->program.profiles.size();
  std::cerr << "wrote " << o.out << ": " << n << (n == 1 ? " profile, " : " profiles, ") << bytes.size()
            << " bytes, bundle " << contentHashHex(bytes) << "\n";
  return 0;
}

}  // namespace daliz::cli

// The diagnostics corpus runner (clang's VerifyDiagnosticConsumer, wren's `// expect:`).
//
// Every `tests/frontend/diagnostics/*.dlz` is compiled on its own (with the stdlib, and with
// the corpus folder as `--ref`), and the diagnostics it produces are compared with the
// annotations written in the file:
//
//   // expect-error@+1:12 [UnknownField] has no field `orign`; did you mean `origin`?
//   // expect-warning@-2:5 [MissingLevel] has no `level`
//   // expect-note@7:1 [NotePreviousDecl] was first declared here
//   // expect-error:30 [ChainedComparison] cannot be chained        (same line as the comment)
//   // expect-error@prices.csv:3:8 [TableCell] cannot read `CNN`     (a line of another file)
//   // expect-error@* [NoRootRecord] no `root record`               (a diagnostic without location)
//
// `@+N`/`@-N` are relative to the comment's line, `@N` is absolute; COL is the 1-based column
// in code points (SourceManager::lineColumn). The id is nameOf(Diag), the text a substring
// of the message. Every diagnostic (notes included) must be expected, and every expectation
// met exactly once. A file that must compile cleanly says `// expect-no-diagnostics`.
//
// Directives: `// corpus-schema: FILE` compiles with `--schema FILE`; `// corpus-with: FILE`
// adds another source file (both relative to the corpus folder; keep such files in a
// subfolder, so that they are not corpus files themselves).
//
// `tests/frontend/known_bugs/*.dlz` use the same format to state the diagnostics wanted for
// bugs that are still open; they run as a [!mayfail] test.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/driver/frontend.h"

namespace daliz {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(DALIZ_SOURCE_DIR) / "tests" / "frontend" / "diagnostics";
// Files in the same format that state the *wanted* diagnostics for bugs still open.
const fs::path kKnownBugs = fs::path(DALIZ_SOURCE_DIR) / "tests" / "frontend" / "known_bugs";

const std::set<std::string>& allDiagNames() {
  static const std::set<std::string> names = {
#define DIAG(id, severity, format) #id,
#include "compiler/diag/diagnostics.def"
#undef DIAG
  };
  return names;
}


// Where a diagnostic is: a file ("" is the corpus file itself, "*" no location), a line, a column.
struct Where {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
  auto key() const { return std::tie(file, line, column); }
};

std::string show(const std::string& corpusFile, const Where& w) {
  if (w.file == "*") return corpusFile + ":<no location>";
  return (w.file.empty() ? corpusFile : w.file) + ":" + std::to_string(w.line) + ":" +
         std::to_string(w.column);
}

struct Expectation {
  Severity severity;
  std::string id;
  Where where;
  std::string text;
  uint32_t annotationLine;
  std::string help;  // after ` help: `: a substring of the diagnostic's help line
};

struct Produced {
  Severity severity;
  std::string id;
  Where where;
  std::string message;
  std::string help;  // the `help:` line, "" when none
};

struct Corpus {
  fs::path dir;      // the corpus folder
  std::string name;  // file name within the corpus folder
  std::vector<Expectation> expected;
  bool noDiagnostics = false;
  std::optional<std::string> schema;
  std::vector<std::string> with;
  std::vector<std::string> errors;  // malformed annotations
};

std::string readAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r");
  size_t e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

bool parseNumber(std::string_view s, uint32_t& out) {
  if (s.empty() || s.size() > 9) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<uint32_t>(c - '0');
  }
  return true;
}

// Parses one `expect-…` annotation (the part after `//`), or records why it is malformed.
void parseAnnotation(Corpus& c, std::string body, uint32_t line) {
  auto fail = [&](const std::string& why) {
    c.errors.push_back(c.name + ":" + std::to_string(line) + ": bad annotation (" + why +
                       "): " + body);
  };
  std::string rest = body.substr(std::string("expect-").size());
  Expectation e{};
  e.annotationLine = line;
  if (rest.rfind("error", 0) == 0)
    e.severity = Severity::Error, rest = rest.substr(5);
  else if (rest.rfind("warning", 0) == 0)
    e.severity = Severity::Warning, rest = rest.substr(7);
  else if (rest.rfind("note", 0) == 0)
    e.severity = Severity::Note, rest = rest.substr(4);
  else
    return fail("expected expect-error, expect-warning or expect-note");

  // Location: `@+N:COL`, `@-N:COL`, `@N:COL`, `@FILE:N:COL`, `@*`, or `:COL` (this line).
  size_t space = rest.find(' ');
  if (space == std::string::npos) return fail("no `[Id]`");
  std::string loc = rest.substr(0, space);
  rest = trim(rest.substr(space));
  if (loc == "@*") {
    e.where.file = "*";
  } else {
    std::string lineSpec;
    size_t lastColon = loc.rfind(':');
    if (lastColon == std::string::npos) return fail("no column");
    if (!parseNumber(std::string_view(loc).substr(lastColon + 1), e.where.column) ||
        e.where.column == 0)
      return fail("bad column");
    std::string head = loc.substr(0, lastColon);
    if (head.empty()) {
      e.where.line = line;
    } else if (head[0] != '@') {
      return fail("location must start with `@` or `:`");
    } else if (head.size() > 1 && (head[1] == '+' || head[1] == '-')) {
      uint32_t n;
      if (!parseNumber(std::string_view(head).substr(2), n)) return fail("bad relative line");
      if (head[1] == '-' && n >= line) return fail("relative line before the file");
      e.where.line = head[1] == '+' ? line + n : line - n;
    } else if (size_t fileColon = head.rfind(':'); fileColon != std::string::npos) {
      e.where.file = head.substr(1, fileColon - 1);
      if (!parseNumber(std::string_view(head).substr(fileColon + 1), e.where.line))
        return fail("bad line");
    } else if (!parseNumber(std::string_view(head).substr(1), e.where.line)) {
      return fail("bad line");
    }
  }
  if (rest.size() < 3 || rest[0] != '[') return fail("no `[Id]`");
  size_t close = rest.find(']');
  if (close == std::string::npos) return fail("unclosed `[Id]`");
  e.id = rest.substr(1, close - 1);
  if (!allDiagNames().count(e.id)) return fail("unknown diagnostic id `" + e.id + "`");
  e.text = trim(rest.substr(close + 1));
  if (size_t h = e.text.find(" help: "); h != std::string::npos) {
    e.help = trim(e.text.substr(h + 7));
    e.text = trim(e.text.substr(0, h));
  }
  if (e.text.empty()) return fail("no message text");
  c.expected.push_back(std::move(e));
}

Corpus readCorpus(const fs::path& path) {
  Corpus c;
  c.dir = path.parent_path();
  c.name = path.filename().string();
  std::istringstream in(readAll(path));
  std::string text;
  uint32_t line = 0;
  while (std::getline(in, text)) {
    ++line;
    size_t slash = text.find("//");
    if (slash == std::string::npos) continue;
    std::string body = trim(text.substr(slash + 2));
    if (body.rfind("expect-no-diagnostics", 0) == 0)
      c.noDiagnostics = true;
    else if (body.rfind("expect-", 0) == 0)
      parseAnnotation(c, body, line);
    else if (body.rfind("corpus-schema:", 0) == 0)
      c.schema = trim(body.substr(14));
    else if (body.rfind("corpus-with:", 0) == 0)
      c.with.push_back(trim(body.substr(12)));
  }
  if (c.noDiagnostics && !c.expected.empty())
    c.errors.push_back(c.name + ": `expect-no-diagnostics` together with expectations");
  if (!c.noDiagnostics && c.expected.empty() && c.errors.empty())
    c.errors.push_back(c.name +
                       ": no expectations; write `// expect-no-diagnostics` if none are wanted");
  return c;
}

// The corpus file itself is ""; other files are named relative to the corpus folder.
std::string fileLabel(const std::string& path, const fs::path& self, const fs::path& dir) {
  fs::path p(path);
  if (p == self) return "";
  if (path.rfind("<", 0) == 0) return path;  // <stdlib>/…
  fs::path rel = p.lexically_normal().lexically_relative(dir);
  return rel.empty() ? path : rel.generic_string();
}

std::vector<Produced> produce(const Corpus& c, std::unique_ptr<Compilation>& out) {
  FrontendOptions options;
  fs::path self = c.dir / c.name;
  options.files = {self.string()};
  for (const std::string& w : c.with) options.files.push_back((c.dir / w).string());
  if (c.schema) options.schemaFile = (c.dir / *c.schema).string();
  options.refDir = c.dir.string();
  out = runFrontend(options);
  std::vector<Produced> produced;
  auto add = [&](const Diagnostic& d) {
    Produced p{d.severity, nameOf(d.id), {}, d.message, d.help ? d.help->text() : ""};
    if (!d.range.valid()) {
      p.where.file = "*";
    } else {
      LineColumn lc = out->sources.lineColumn(d.range.file, d.range.begin);
      p.where = {fileLabel(out->sources.file(d.range.file).path, self, c.dir), lc.line, lc.column};
    }
    produced.push_back(std::move(p));
  };
  for (const Diagnostic& d : out->diagnostics.all()) {
    add(d);
    for (const Diagnostic& n : d.notes) add(n);
  }
  return produced;
}

// Compares; returns a readable report of what went wrong, or "" when all matched.
std::string verify(const Corpus& c, const std::vector<Produced>& produced) {
  std::vector<bool> used(produced.size(), false);
  std::vector<const Expectation*> missing;
  for (const Expectation& e : c.expected) {
    bool found = false;
    for (size_t i = 0; i < produced.size() && !found; ++i) {
      const Produced& p = produced[i];
      if (used[i] || p.severity != e.severity || p.id != e.id || p.where.file != e.where.file)
        continue;
      if (e.where.file != "*" && (p.where.line != e.where.line || p.where.column != e.where.column))
        continue;
      if (p.message.find(e.text) == std::string::npos) continue;
      if (!e.help.empty() && p.help.find(e.help) == std::string::npos) continue;
      used[i] = found = true;
    }
    if (!found) missing.push_back(&e);
  }
  std::ostringstream report;
  for (const std::string& err : c.errors) report << err << "\n";
  bool anyUnexpected = std::find(used.begin(), used.end(), false) != used.end();
  if (anyUnexpected) {
    report << "unexpected diagnostics:\n";
    for (size_t i = 0; i < produced.size(); ++i) {
      if (used[i]) continue;
      const Produced& p = produced[i];
      report << "  " << show(c.name, p.where) << ": " << severityName(p.severity) << " [" << p.id
             << "] " << p.message << (p.help.empty() ? "" : " help: " + p.help) << "\n";
    }
  }
  if (!missing.empty()) {
    report << "expected but not produced:\n";
    for (const Expectation* e : missing) {
      report << "  " << show(c.name, e->where) << ": " << severityName(e->severity) << " [" << e->id
             << "] \"" << e->text << "\"   (annotation on line " << e->annotationLine << ")\n";
      // The nearest candidates: the same id on the same line, or anything at the same place.
      for (const Produced& p : produced)
        if ((p.id == e->id && p.where.file == e->where.file && p.where.line == e->where.line) ||
            p.where.key() == e->where.key())
          report << "      got " << show(c.name, p.where) << ": " << severityName(p.severity)
                 << " [" << p.id << "] " << p.message << (p.help.empty() ? "" : " help: " + p.help) << "\n";
    }
  }
  return report.str();
}

std::vector<fs::path> corpusFiles(const fs::path& dir = kCorpus) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".dlz")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

void runCorpus(const fs::path& dir, bool required = true) {
  if (!required && !fs::is_directory(dir)) return;  // no known bug is open
  std::vector<fs::path> files = corpusFiles(dir);
  if (required) REQUIRE(!files.empty());
  for (const fs::path& file : files) {
    DYNAMIC_SECTION(file.filename().string()) {
      Corpus c = readCorpus(file);
      std::unique_ptr<Compilation> compilation;
      std::vector<Produced> produced = produce(c, compilation);
      std::string problems = verify(c, produced);
      // DALIZ_CORPUS_RAW=1 also prints the report unwrapped, for tools that read it.
      if (!problems.empty() && std::getenv("DALIZ_CORPUS_RAW")) std::cerr << problems;
      if (!problems.empty()) FAIL(problems);
      SUCCEED(file.filename().string() << ": " << c.expected.size() << " expectation(s) met");
    }
  }
}

TEST_CASE("diagnostics corpus: every diagnostic is annotated, every annotation met",
          "[frontend][diagnostics]") {
  runCorpus(kCorpus);
}

// Bugs still open: each file of tests/frontend/known_bugs/ says in its header what is wrong,
// and its annotations state the diagnostics an analyst should get. When one passes, move it
// into diagnostics/.
TEST_CASE("known bugs: the diagnostics an analyst should get",
          "[frontend][diagnostics][known-bugs][!mayfail]") {
  runCorpus(kKnownBugs, /*required=*/false);
}

// The analysts' mistakes (`mistakes_*.dlz`): each error annotated with a `help:` text is one
// case. A case counts when a diagnostic of its id is at its exact position with its message
// and help; a file may give no more errors than it has cases (one mistake, one error).
TEST_CASE("diagnostics corpus: analysts' mistakes get the exact position and the right help",
          "[frontend][diagnostics]") {
  size_t cases = 0, right = 0;
  for (const fs::path& file : corpusFiles()) {
    if (file.filename().string().rfind("mistakes_", 0) != 0) continue;
    Corpus c = readCorpus(file);
    std::unique_ptr<Compilation> compilation;
    std::vector<Produced> produced = produce(c, compilation);
    size_t fileCases = 0, errors = 0;
    for (const Produced& p : produced) errors += p.severity == Severity::Error;
    for (const Expectation& e : c.expected) {
      if (e.severity != Severity::Error || e.help.empty()) continue;
      ++fileCases;
      for (const Produced& p : produced)
        if (p.id == e.id && p.where.key() == e.where.key() && p.message.find(e.text) != std::string::npos &&
            p.help.find(e.help) != std::string::npos) {
          ++right;
          break;
        }
    }
    cases += fileCases;
    INFO(file.filename().string() << ": " << errors << " error(s) for " << fileCases << " mistake(s)");
    CHECK(errors <= fileCases);
  }
  INFO(right << " of " << cases << " mistakes get the exact position and the right help");
  CHECK(cases >= 60);
  CHECK(right * 100 >= cases * 95);
}

TEST_CASE("diagnostics corpus: covers at least 40 distinct diagnostic ids",
          "[frontend][diagnostics]") {
  std::set<std::string> covered;
  for (const fs::path& file : corpusFiles())
    for (const Expectation& e : readCorpus(file).expected) covered.insert(e.id);
  std::string uncovered;
  for (const std::string& id : allDiagNames())
    if (!covered.count(id)) uncovered += " " + id;
  INFO(covered.size() << " of " << allDiagNames().size()
                      << " ids covered; not covered:" << uncovered);
  CHECK(covered.size() >= 40);
}

// The annotation syntax itself: a runner that accepts anything proves nothing.
TEST_CASE("diagnostics corpus: the annotation parser", "[frontend][diagnostics]") {
  Corpus c;
  c.name = "x.dlz";
  parseAnnotation(c, "expect-error@+2:7 [UnknownField] has no field", 10);
  parseAnnotation(c, "expect-note@-3:1 [NotePreviousDecl] first declared", 10);
  parseAnnotation(c, "expect-warning@4:9 [MissingLevel] no `level`", 10);
  parseAnnotation(c, "expect-error:30 [ChainedComparison] chained", 10);
  parseAnnotation(c, "expect-error@prices.csv:3:8 [TableCell] cannot read", 10);
  parseAnnotation(c, "expect-error@* [NoRootRecord] root record", 10);
  REQUIRE(c.errors.empty());
  REQUIRE(c.expected.size() == 6);
  CHECK(c.expected[0].where.line == 12);
  CHECK(c.expected[0].where.column == 7);
  CHECK(c.expected[1].where.line == 7);
  CHECK(c.expected[1].severity == Severity::Note);
  CHECK(c.expected[2].where.line == 4);
  CHECK(c.expected[2].severity == Severity::Warning);
  CHECK(c.expected[3].where.line == 10);
  CHECK(c.expected[3].where.column == 30);
  CHECK(c.expected[4].where.file == "prices.csv");
  CHECK(c.expected[4].where.line == 3);
  CHECK(c.expected[5].where.file == "*");
  CHECK(c.expected[4].text == "cannot read");

  parseAnnotation(c, "expect-error@+1:3 [NoSuchDiagnostic] whatever", 10);
  parseAnnotation(c, "expect-error@+1 [UnknownField] no column", 10);
  parseAnnotation(c, "expect-error@+1:4 [UnknownField]", 10);
  parseAnnotation(c, "expect-fatal@+1:4 [UnknownField] x", 10);
  CHECK(c.errors.size() == 4);

  // A produced diagnostic that is not expected, and an expectation that is not met.
  Corpus d;
  d.name = "y.dlz";
  parseAnnotation(d, "expect-error@+1:5 [UnknownName] unknown name", 1);
  std::vector<Produced> produced = {
      {Severity::Error, "UnknownName", {"", 2, 6}, "unknown name `x`", ""}};
  std::string report = verify(d, produced);
  CHECK(report.find("unexpected diagnostics:\n  y.dlz:2:6: error [UnknownName]") !=
        std::string::npos);
  CHECK(report.find("expected but not produced:\n  y.dlz:2:5: error [UnknownName]") !=
        std::string::npos);
  produced[0].where.column = 5;
  CHECK(verify(d, produced).empty());
  produced[0].severity = Severity::Warning;
  CHECK_FALSE(verify(d, produced).empty());
}

}  // namespace
}  // namespace daliz

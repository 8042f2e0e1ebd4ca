// Hostile input for the front end: empty and comment-only files, binary garbage, megabyte
// lines, deep nesting, malformed UTF-8, a byte-order mark, CRLF line ends and floods of errors.
// Every case must end in clean, positioned diagnostics (or none, where the input is valid),
// without a crash and within a time limit; a few also go through `daliz check`, which must
// exit 1 with the diagnostic on stderr.
//
// Cases tagged [!mayfail] show bugs that are still open (see the comment on each); Catch
// reports their failures without failing the run.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/diag/text_renderer.h"
#include "compiler/driver/frontend.h"
#include "compiler/syntax/parser.h"

namespace daliz {
namespace {

namespace fs = std::filesystem;

// A guard against hangs, not a benchmark: generous enough for the ASan+UBSan Debug build on a
// loaded 2-core CI machine (speed is measured in bench/).
constexpr double kTimeLimitSeconds = 60.0;

// A private scratch folder, removed when the test binary exits.
const fs::path& scratch() {
  struct Dir {
    fs::path path = fs::temp_directory_path() / ("daliz-hostile-" + std::to_string(::getpid()));
    Dir() { fs::create_directories(path); }
    ~Dir() {
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  };
  static Dir dir;
  return dir.path;
}

std::string writeScratch(const std::string& name, const std::string& bytes) {
  fs::path p = scratch() / name;
  std::ofstream out(p, std::ios::binary);
  out << bytes;
  out.close();
  REQUIRE(out.good());
  return p.string();
}

struct Seen {
  std::string id;
  uint32_t line = 0, column = 0, offset = 0;
  std::string message;
};

struct Outcome {
  std::unique_ptr<Compilation> compilation;
  std::vector<Seen> seen;  // diagnostics (notes included) in report order
  double seconds = 0;
  std::string rendered;  // what `daliz check` would print

  size_t count(const std::string& id) const {
    size_t n = 0;
    for (const Seen& s : seen) n += s.id == id;
    return n;
  }
  std::string summary() const {
    std::ostringstream out;
    out << seen.size() << " diagnostic(s) in " << seconds << " s";
    for (size_t i = 0; i < seen.size() && i < 8; ++i)
      out << "\n  " << seen[i].line << ":" << seen[i].column << " [" << seen[i].id << "] "
          << seen[i].message.substr(0, 160);
    return out.str();
  }
};

// Runs the whole front end (stdlib, parse, check) on `bytes` saved as `name`. Every
// diagnostic must lie in that file (or have no location), and rendering must not fail.
Outcome frontEnd(const std::string& name, const std::string& bytes) {
  Outcome o;
  FrontendOptions options;
  options.files = {writeScratch(name, bytes)};
  auto start = std::chrono::steady_clock::now();
  o.compilation = runFrontend(options);
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const Compilation& c = *o.compilation;
  uint32_t userFile = 0;
  for (uint32_t id = 1; id <= c.sources.fileCount(); ++id)
    if (c.sources.file(id).path == options.files[0]) userFile = id;
  REQUIRE(userFile != 0);
  size_t misplaced = 0;
  auto add = [&](const Diagnostic& d) {
    Seen s{nameOf(d.id), 0, 0, d.range.begin, d.message};
    if (d.range.valid()) {
      misplaced += d.range.file != userFile || d.range.begin > d.range.end ||
                   d.range.end > c.sources.file(d.range.file).text.size();
      LineColumn lc = c.sources.lineColumn(d.range.file, d.range.begin);
      s.line = lc.line;
      s.column = lc.column;
    }
    o.seen.push_back(std::move(s));
  };
  for (const Diagnostic& d : c.diagnostics.all()) {
    add(d);
    for (const Diagnostic& n : d.notes) add(n);
  }
  CHECK(misplaced == 0);  // every range lies inside the file under test
  std::ostringstream rendered;
  renderText(rendered, c.sources, c.diagnostics);
  o.rendered = rendered.str();
  return o;
}

void checkFast(const Outcome& o) {
  INFO(o.summary());
  CHECK(o.seconds < kTimeLimitSeconds);
}

// `daliz check FILE`: the exit status and everything it printed on stderr.
struct CliResult {
  int exitCode = -1;  // -1: did not exit normally (a signal such as SIGSEGV)
  std::string stderrText;
};

CliResult cliCheck(const std::string& path) {
  std::string errPath = path + ".stderr";
  std::string command =
      std::string("'") + DALIZ_BINARY + "' check '" + path + "' >/dev/null 2>'" + errPath + "'";
  int status = std::system(command.c_str());
  CliResult r;
  if (status != -1 && WIFEXITED(status)) r.exitCode = WEXITSTATUS(status);
  std::ifstream in(errPath, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  r.stderrText = s.str();
  return r;
}

std::string profileWhen(const std::string& condition) {
  return "profile \"H\" {\n  level high\n  when " + condition +
         "\n  measures documentary_check\n}\n";
}

// ---- nothing at all ------------------------------------------------------------------------

TEST_CASE("hostile input: an empty file", "[frontend][hostile]") {
  Outcome o = frontEnd("empty.dlz", "");
  INFO(o.summary());
  CHECK(o.seen.empty());
  checkFast(o);
  CHECK(cliCheck(scratch() / "empty.dlz").exitCode == 0);
}

TEST_CASE("hostile input: only comments and blank lines", "[frontend][hostile]") {
  Outcome o =
      frontEnd("comments.dlz", "// one\n\n/* two\n   lines */\n\t\n// no newline at the end");
  INFO(o.summary());
  CHECK(o.seen.empty());
  checkFast(o);
  // An unclosed `/*`: see tests/frontend/known_bugs/syntax_unclosed_comment.dlz.
}

// ---- bytes that are not text -----------------------------------------------------------------

// The first byte that is not part of well-formed UTF-8, by an independent, table-free reading of
// RFC 3629 (overlong forms, surrogates and code points past U+10FFFF are malformed).
size_t firstBadByte(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80             ? 0
            : (c & 0xE0) == 0xC0 ? 1
            : (c & 0xF0) == 0xE0 ? 2
            : (c & 0xF8) == 0xF0 ? 3
                                 : -1;
    if (n < 0) return i;
    uint32_t cp = n == 0 ? c : n == 1 ? (c & 0x1F) : n == 2 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return i;
      unsigned char b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (b & 0x3F);
    }
    static const uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += n + 1;
  }
  return std::string::npos;
}

TEST_CASE("hostile input: binary garbage is rejected at its first bad byte",
          "[frontend][hostile]") {
  for (uint32_t seed : {1u, 42u, 2025u}) {
    std::mt19937 random(seed);
    std::string bytes(64 * 1024, '\0');
    for (char& b : bytes) b = static_cast<char>(random() & 0xFF);
    bytes[7] = '\0';  // at least one NUL, early
    size_t bad = firstBadByte(bytes);
    REQUIRE(bad != std::string::npos);
    Outcome o = frontEnd("garbage" + std::to_string(seed) + ".bin", bytes);
    INFO("seed " << seed << ": " << o.summary());
    REQUIRE(o.seen.size() == 1);
    CHECK(o.seen[0].id == "InvalidUtf8");
    CHECK(o.seen[0].offset == bad);
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02X", static_cast<unsigned char>(bytes[bad]));
    CHECK(o.seen[0].message ==
          std::string("invalid UTF-8 (byte 0x") + hex + "): source files must be UTF-8 text");
    checkFast(o);
  }
}

TEST_CASE("hostile input: ASCII garbage with NUL bytes is capped", "[frontend][hostile]") {
  std::mt19937 random(7);
  std::string bytes(256 * 1024, '\0');
  for (char& b : bytes) b = static_cast<char>(random() & 0x7F);
  Outcome o = frontEnd("ascii_garbage.dlz", bytes);
  INFO(o.summary());
  REQUIRE_FALSE(o.seen.empty());
  CHECK(o.seen.size() <= kMaxErrorsPerFile);
  for (const Seen& s : o.seen) {
    CHECK(s.line >= 1);
    CHECK(s.column >= 1);
  }
  checkFast(o);
}

// A character the lexer rejects must not reach the analyst's terminal raw (NUL, or ESC, which
// starts a terminal control sequence): it is shown escaped.
TEST_CASE("hostile input: control characters are escaped in messages", "[frontend][hostile]") {
  Outcome o = frontEnd("control.dlz", std::string("profile \"P\" {\x1B[2J\x00}\n", 20));
  INFO(o.summary());
  REQUIRE(o.seen.size() == 2);
  CHECK(o.seen[0].message == "unexpected character `\\x1B`");
  CHECK(o.seen[0].column == 14);
  CHECK(o.seen[1].message == "unexpected character `\\x00`");
  CHECK(o.seen[1].column == 18);
}

// BUG (minor): the source line echoed under a diagnostic (text_renderer.cpp) still carries the
// file's control bytes raw, ESC included; clang prints them as <U+001B>.
TEST_CASE("hostile input: the echoed source line escapes control characters",
          "[frontend][hostile][!mayfail]") {
  Outcome o = frontEnd("control_echo.dlz", std::string("profile \"P\" {\x1B[2J\x00}\n", 20));
  INFO(o.summary());
  size_t raw = 0;
  for (char ch : o.rendered) raw += static_cast<unsigned char>(ch) < 0x20 && ch != '\n';
  CHECK(raw == 0);
}

TEST_CASE("hostile input: malformed UTF-8, with the exact byte", "[frontend][hostile]") {
  struct Case {
    const char* what;
    std::string bytes;
  };
  const std::vector<Case> cases = {
      {"a lone continuation byte", "\x80"},
      {"an overlong two-byte form of `/`", "\xC0\xAF"},
      {"an overlong two-byte form starting C1", "\xC1\xBF"},
      {"an overlong three-byte form", "\xE0\x80\xAF"},
      {"an overlong four-byte form", "\xF0\x80\x80\xAF"},
      {"a UTF-16 surrogate (U+D800)", "\xED\xA0\x80"},
      {"a UTF-16 surrogate (U+DFFF)", "\xED\xBF\xBF"},
      {"past U+10FFFF", "\xF4\x90\x80\x80"},
      {"a five-byte lead", "\xF8\x88\x80\x80\x80"},
      {"0xFF", "\xFF"},
      {"a sequence cut by ASCII",
       "\xE2\x82"
       "A"},
      {"a sequence cut by a new line", "\xE2\x82\n"},
  };
  for (const Case& c : cases) {
    // Line 2 starts with non-ASCII text, so the column counts code points: the bad byte is
    // the 11th character of the line.
    std::string text = "profile \"P\" { }\n// Ткань №" + c.bytes + " tail\n";
    size_t at = text.find(c.bytes);
    Outcome o = frontEnd("utf8.dlz", text);
    INFO(c.what << ": " << o.summary());
    REQUIRE(o.seen.size() == 1);
    CHECK(o.seen[0].id == "InvalidUtf8");
    CHECK(o.seen[0].offset == at);
    CHECK(o.seen[0].line == 2);
    CHECK(o.seen[0].column == 11);
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02X", static_cast<unsigned char>(c.bytes[0]));
    CHECK(o.seen[0].message.find(std::string("(byte 0x") + hex + ")") != std::string::npos);
  }
  // A sequence cut by the end of the file.
  Outcome cut = frontEnd("utf8_cut.dlz", "// euro: \xE2\x82");
  INFO(cut.summary());
  REQUIRE(cut.seen.size() == 1);
  CHECK(cut.seen[0].id == "InvalidUtf8");
  CHECK(cut.seen[0].offset == 9);
  CHECK(cut.seen[0].column == 10);
}

TEST_CASE("hostile input: well-formed UTF-8 at the edges is accepted", "[frontend][hostile]") {
  // U+0080, U+07FF, U+0800, U+FFFF, U+10000, U+10FFFF, and U+E000 just past the surrogates.
  std::string text =
      "// \xC2\x80 \xDF\xBF \xE0\xA0\x80 \xEF\xBF\xBF \xF0\x90\x80\x80 \xF4\x8F\xBF\xBF "
      "\xEE\x80\x80\n" +
      profileWhen("declaration.id == \"\xF0\x9F\x93\xA6 №1\"");
  Outcome o = frontEnd("utf8_ok.dlz", text);
  INFO(o.summary());
  CHECK(o.seen.empty());
}

// ---- megabyte lines ---------------------------------------------------------------------------

// A 1 MB expression (`1+1+…+1`) is a million tokens in one declaration: it is refused while
// it is lexed (DeclarationTokens), before any parse tree is built. It used to cost 9 s and
// 600 MB, the whole tree being built before the AST builder applied the depth limit (issue 10).
TEST_CASE("hostile input: a 1 MB sum on one line", "[frontend][hostile]") {
  std::string sum = "1";
  while (sum.size() < (1u << 20)) sum += "+1";
  Outcome o = frontEnd("sum.dlz", profileWhen(sum + " > 0"));
  INFO(o.summary());
  REQUIRE(o.seen.size() == 1);
  CHECK(o.seen[0].id == "DeclarationTooLong");
  CHECK(o.seen[0].line == 1);  // at the profile, which is what has to be split
  CHECK(o.seen[0].message.find("longer than 100000 tokens") != std::string::npos);
  // The long line is not echoed whole.
  CHECK(o.rendered.size() < 2000);
  checkFast(o);
}

// Under the token limit, a long sum still meets the depth limit of the AST builder.
TEST_CASE("hostile input: a sum of 40,000 terms", "[frontend][hostile]") {
  std::string sum = "1";
  for (int i = 1; i < 40000; ++i) sum += "+1";
  Outcome o = frontEnd("sum40k.dlz", profileWhen(sum + " > 0"));
  INFO(o.summary());
  REQUIRE(o.seen.size() == 1);
  CHECK(o.seen[0].id == "NestingTooDeep");
  CHECK(o.seen[0].line == 3);
  checkFast(o);
}

// The file is read one declaration at a time: a too-long declaration stops the file at that
// declaration, and the ones before it are not reported as errors.
TEST_CASE("hostile input: a too-long declaration after good ones", "[frontend][hostile]") {
  std::string set = "set HUGE: set<hs> = {";
  for (int i = 0; i < 60000; ++i) set += "\"" + std::to_string(100000 + i) + "\", ";
  set += "}\n";
  Outcome o = frontEnd("huge_set.dlz", profileWhen("declaration.container") + set +
                                           profileWhen("declaration.container"));
  INFO(o.summary());
  REQUIRE(o.seen.size() == 1);
  CHECK(o.seen[0].id == "DeclarationTooLong");
  CHECK(o.seen[0].line == 6);
  CHECK(o.seen[0].column == 1);
  checkFast(o);
}

TEST_CASE("hostile input: a 1 MB string literal", "[frontend][hostile]") {
  std::string title(1u << 20, 'x');
  for (size_t i = 0; i < title.size(); i += 1000) title[i] = ' ';
  Outcome o =
      frontEnd("string.dlz", "profile \"H\" {\n  title \"" + title +
                                 "\"\n  level high\n"
                                 "  when declaration.container\n  measures documentary_check\n}\n");
  INFO(o.summary());
  CHECK(o.seen.empty());
  checkFast(o);
  REQUIRE(o.compilation->profiles.size() == 1);
  CHECK(o.compilation->profiles[0]->title == title);

  // The same string, never closed: one error at its opening quote.
  Outcome open = frontEnd("string_open.dlz", "set S: set<country> = { \"" + title + "\n");
  INFO(open.summary());
  REQUIRE(open.seen.size() == 1);
  CHECK(open.seen[0].id == "UnterminatedString");
  CHECK(open.seen[0].line == 1);
  CHECK(open.seen[0].column == 25);
  checkFast(open);
}

TEST_CASE("hostile input: 1 MB of `a`", "[frontend][hostile]") {
  std::string text(1u << 20, 'a');
  Outcome o = frontEnd("aaaa.dlz", text);
  INFO(o.summary());
  REQUIRE(o.seen.size() == 1);
  CHECK(o.seen[0].id == "ExpectedDeclaration");
  CHECK(o.seen[0].line == 1);
  CHECK(o.seen[0].column == 1);
  // The identifier is cut in the message.
  CHECK(o.seen[0].message.size() < 200);
  CHECK(o.seen[0].message.find("found `aaaa") != std::string::npos);
  checkFast(o);

  CliResult cli = cliCheck(scratch() / "aaaa.dlz");
  CHECK(cli.exitCode == 1);
  CHECK(cli.stderrText.find("aaaa.dlz:1:1: error: expected a declaration") != std::string::npos);
  CHECK(cli.stderrText.size() < 2000);
}

// ---- deep nesting -------------------------------------------------------------------------------

TEST_CASE("hostile input: 10,000 nested parentheses", "[frontend][hostile]") {
  std::string cond = std::string(10000, '(') + "declaration.container" + std::string(10000, ')');
  Outcome o = frontEnd("parens.dlz", profileWhen(cond));
  INFO(o.summary());
  REQUIRE(o.seen.size() == 1);
  CHECK(o.seen[0].id == "NestingTooDeep");
  CHECK(o.seen[0].message == "nested too deeply: more than 256 levels of brackets or operators");
  // The profile's `{` is one level: the 256th parenthesis is the 257th level.
  CHECK(o.seen[0].line == 3);
  CHECK(o.seen[0].column == 7 + 256);
  checkFast(o);

  CliResult cli = cliCheck(scratch() / "parens.dlz");
  CHECK(cli.exitCode == 1);
  CHECK(cli.stderrText.find("parens.dlz:3:263: error: nested too deeply") != std::string::npos);
}

TEST_CASE("hostile input: nested brackets and braces of every kind", "[frontend][hostile]") {
  for (auto [open, close] : {std::pair{'{', '}'}, std::pair{'[', ']'}}) {
    std::string lit = std::string(10000, open) + std::string(10000, close);
    Outcome o = frontEnd("brackets.dlz", "set S: set<hs> = " + lit + "\n");
    INFO(open << ": " << o.summary());
    REQUIRE(o.seen.size() == 1);
    CHECK(o.seen[0].id == "NestingTooDeep");
    CHECK(o.seen[0].column == 18 + 256);
    checkFast(o);
  }
}

TEST_CASE("hostile input: 10,000 `not not …` and `- - …`", "[frontend][hostile]") {
  std::string nots;
  for (int i = 0; i < 10000; ++i) nots += "not ";
  Outcome o = frontEnd("nots.dlz", profileWhen(nots + "declaration.container"));
  INFO(o.summary());
  REQUIRE(o.seen.size() == 1);
  CHECK(o.seen[0].id == "NestingTooDeep");
  CHECK(o.seen[0].line == 3);
  CHECK(o.seen[0].column == 8 + 4 * 256);  // the 257th `not`
  checkFast(o);

  std::string minuses;
  for (int i = 0; i < 10000; ++i) minuses += "- ";
  Outcome m = frontEnd("minuses.dlz", profileWhen(minuses + "1 > 0"));
  INFO(m.summary());
  REQUIRE(m.seen.size() == 1);
  CHECK(m.seen[0].id == "NestingTooDeep");
  CHECK(m.seen[0].column == 8 + 2 * 256);
  checkFast(m);

  CliResult cli = cliCheck(scratch() / "nots.dlz");
  CHECK(cli.exitCode == 1);
  CHECK(cli.stderrText.find("nots.dlz:3:1032: error: nested too deeply") != std::string::npos);
}

TEST_CASE("hostile input: 10,000 postfix operators", "[frontend][hostile]") {
  std::string fields = "declaration";
  for (int i = 0; i < 10000; ++i) fields += ".x";
  Outcome o = frontEnd("fields.dlz", profileWhen(fields));
  INFO(o.summary());
  REQUIRE(o.seen.size() == 1);
  CHECK(o.seen[0].id == "NestingTooDeep");
  CHECK(o.seen[0].message == "nested too deeply: more than 1000 levels of brackets or operators");
  checkFast(o);
}

// BUG (crash): `not` between operands (`not 1 == not 1 == …`) escapes the token screen, which
// only counts runs of adjacent `not`/`-`; ANTLR then recurses once per `not` and overflows the
// stack (SIGSEGV from about 30,000 repetitions, 270 KB, in a RelWithDebInfo build). Run
// through the CLI so that a crash does not take the test binary down.
TEST_CASE("hostile input: 100,000 `not 1 == …` does not crash", "[frontend][hostile][!mayfail]") {
  for (const char* unit : {"not 1 == ", "not x in "}) {
    std::string cond;
    for (int i = 0; i < 100000; ++i) cond += unit;
    cond += std::string(unit).find("in") != std::string::npos ? "S" : "1";
    std::string path = writeScratch("interleaved.dlz", profileWhen(cond));
    auto start = std::chrono::steady_clock::now();
    CliResult cli = cliCheck(path);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO(unit << "…: exit " << cli.exitCode << ", stderr: " << cli.stderrText.substr(0, 300));
    CHECK(cli.exitCode == 1);
    CHECK(cli.stderrText.find("interleaved.dlz:3:") != std::string::npos);
    CHECK(cli.stderrText.find("Sanitizer") == std::string::npos);
    CHECK(seconds < kTimeLimitSeconds);
  }
}

// BUG (crash): the indicator recursion check (checker.cpp, checkIndicators) walks the call
// graph depth-first with real recursion; a chain of 40,000 indicators (1.5 MB) overflows the
// stack. Run through the CLI so that a crash does not take the test binary down.
TEST_CASE("hostile input: a chain of 50,000 indicators does not crash",
          "[frontend][hostile][!mayfail]") {
  std::string text;
  const int n = 50000;
  for (int k = 0; k < n; ++k)
    text += "indicator f" + std::to_string(k) + "(): int = f" + std::to_string(k + 1) + "() + 1\n";
  text += "indicator f" + std::to_string(n) + "(): int = 1\n";
  std::string path = writeScratch("chain.dlz", text);
  CliResult cli = cliCheck(path);
  INFO("exit " << cli.exitCode << ", stderr: " << cli.stderrText.substr(0, 300));
  CHECK(cli.exitCode == 0);  // the chain is valid
  CHECK(cli.stderrText.empty());
}

// ---- the shape of the text
// ------------------------------------------------------------------------

TEST_CASE("hostile input: a byte-order mark is ignored", "[frontend][hostile]") {
  Outcome o = frontEnd("bom.dlz", "\xEF\xBB\xBF" + profileWhen("declaration.container"));
  INFO(o.summary());
  CHECK(o.seen.empty());
  CHECK(o.compilation->profiles.size() == 1);
}

// BUG: ANTLRInputStream drops a leading UTF-8 BOM, but ParseUnit's code-point-to-byte map
// (ast_builder.cpp) still counts it, so every position in a file that starts with a BOM is one
// character early: an error at the start of line 2 is reported at the end of line 1.
TEST_CASE("hostile input: positions after a byte-order mark", "[frontend][hostile][!mayfail]") {
  Outcome o = frontEnd("bom_error.dlz", "\xEF\xBB\xBF// first line\nprofil \"X\" { }\n");
  INFO(o.summary());
  REQUIRE(o.seen.size() == 1);
  CHECK(o.seen[0].id == "ExpectedDeclaration");
  CHECK(o.seen[0].line == 2);
  CHECK(o.seen[0].column == 1);

  Outcome field = frontEnd("bom_field.dlz", "\xEF\xBB\xBF" + profileWhen("declaration.contianer"));
  INFO(field.summary());
  REQUIRE(field.seen.size() == 1);
  CHECK(field.seen[0].id == "UnknownField");
  CHECK(field.seen[0].line == 3);
  CHECK(field.seen[0].column == 20);
}

TEST_CASE("hostile input: CRLF line ends keep positions right", "[frontend][hostile]") {
  std::string text =
      "// Windows line ends\r\n"
      "profile \"H\" {\r\n"
      "  level high\r\n"
      "  scope item i\r\n"
      "  when i.orign == \"CN\"\r\n"
      "  measures documentary_check\r\n"
      "  reason \"item {i.no}\r\n"
      "}\r\n";
  Outcome o = frontEnd("crlf.dlz", text);
  INFO(o.summary());
  // The reason's string is unterminated: the `\r` ends the line as `\n` does.
  REQUIRE(o.seen.size() == 1);
  CHECK(o.seen[0].id == "UnterminatedString");
  CHECK(o.seen[0].line == 7);
  CHECK(o.seen[0].column == 10);
  CHECK(o.rendered.find("crlf.dlz:7:10: error: unterminated string") != std::string::npos);
  CHECK(o.rendered.find('\r') == std::string::npos);  // the echoed line has no stray CR

  // With the string closed, the checker's error is positioned on line 5.
  std::string fixed = text;
  fixed.replace(fixed.find("{i.no}\r\n"), 8, "{i.no}\"\r\n");
  Outcome f = frontEnd("crlf_fixed.dlz", fixed);
  INFO(f.summary());
  REQUIRE(f.seen.size() == 1);
  CHECK(f.seen[0].id == "UnknownField");
  CHECK(f.seen[0].line == 5);
  CHECK(f.seen[0].column == 10);
  CHECK(f.rendered.find("  when i.orign == \"CN\"\n         ^~~~~\n") != std::string::npos);
}

// ---- floods of errors ---------------------------------------------------------------------------

TEST_CASE("hostile input: 100,000 lexical errors are capped", "[frontend][hostile]") {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "$\n";
  Outcome o = frontEnd("dollars.dlz", text);
  INFO(o.summary());
  REQUIRE(o.seen.size() == kMaxErrorsPerFile);
  CHECK(o.count("BadCharacter") == kMaxErrorsPerFile - 1);
  CHECK(o.seen.back().id == "TooManyErrors");
  CHECK(o.seen.back().line == kMaxErrorsPerFile);
  checkFast(o);

  CliResult cli = cliCheck(scratch() / "dollars.dlz");
  CHECK(cli.exitCode == 1);
  CHECK(cli.stderrText.find("dollars.dlz:1:1: error: unexpected character `$`") !=
        std::string::npos);
  CHECK(cli.stderrText.find("dollars.dlz:" + std::to_string(kMaxErrorsPerFile) +
                            ":1: error: too many errors in this file; stopping here") !=
        std::string::npos);
  CHECK(cli.stderrText.find("dollars.dlz:" + std::to_string(kMaxErrorsPerFile + 1) + ":") ==
        std::string::npos);
}

TEST_CASE("hostile input: 100,000 syntax errors are capped", "[frontend][hostile]") {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "profile\n";
  Outcome o = frontEnd("profiles.dlz", text);
  INFO(o.summary());
  REQUIRE(o.seen.size() == kMaxErrorsPerFile);
  CHECK(o.seen.back().id == "TooManyErrors");
  checkFast(o);
}

// The checker's errors are capped too, by the same cap (kMaxErrorsPerFile: then one TooManyErrors).
// Written one per line: on a single line, computing each column from the line's start made
// `daliz check` quadratic (about 90 s for this set on one 600 KB line, before the cap).
TEST_CASE("hostile input: 100,000 semantic errors are capped", "[frontend][hostile]") {
  // Four sets of 25,000 bad codes: a declaration holds at most 100,000 tokens (limits.md).
  std::string text;
  for (int s = 0; s < 4; ++s) {
    text += "set S" + std::to_string(s) + ": set<country> = {\n";
    for (int i = 0; i < 25000; ++i) text += "  \"XX\",\n";
    text += "}\n";
  }
  Outcome o = frontEnd("countries.dlz", text);
  INFO(o.summary());
  CHECK(o.count("BadCountry") >= 1);
  CHECK(o.count("BadCountry") <= kMaxErrorsPerFile - 1);
  CHECK(o.count("TooManyErrors") == 1);
  CHECK(o.seen.size() <= kMaxErrorsPerFile);
  // Dropped errors still count: the compilation fails.
  CHECK(o.compilation->diagnostics.errorCount() == 100000);
  checkFast(o);

  // On one line, as generated input would have it.
  std::string line;
  for (int s = 0; s < 4; ++s) {
    line += "set T" + std::to_string(s) + ": set<country> = {";
    for (int i = 0; i < 25000; ++i) line += " \"XX\",";
    line += " } ";
  }
  line += "\n";
  Outcome one = frontEnd("countries_line.dlz", line);
  INFO(one.summary());
  CHECK(one.seen.size() <= kMaxErrorsPerFile);
  checkFast(one);
}

// One cap for the whole front end: the syntax errors and the checker's errors of a file count
// together, and past the cap one TooManyErrors stands for the rest.
TEST_CASE("hostile input: one error cap for every stage of the front end", "[frontend][hostile]") {
  const size_t lexical = kMaxErrorsPerFile / 2, semantic = kMaxErrorsPerFile;
  std::string text;
  for (size_t i = 0; i < lexical; ++i) text += "$\n";
  for (size_t i = 0; i < semantic; ++i)
    text += "set S" + std::to_string(i) + ": set<country> = { \"XX\" }\n";
  Outcome o = frontEnd("mixed.dlz", text);
  INFO(o.summary());
  CHECK(o.count("BadCharacter") == lexical);
  CHECK(o.count("BadCountry") == kMaxErrorsPerFile - 1 - lexical);
  CHECK(o.count("TooManyErrors") == 1);
  CHECK(o.seen.size() == kMaxErrorsPerFile);
  CHECK(o.seen.back().id == "TooManyErrors");
  CHECK(o.compilation->diagnostics.errorCount() == lexical + semantic);  // dropped ones count
}

// ---- the CLI on garbage
// ---------------------------------------------------------------------------

TEST_CASE("hostile input: `daliz check` on binary garbage", "[frontend][hostile]") {
  std::mt19937 random(99);
  std::string bytes(4096, '\0');
  for (char& b : bytes) b = static_cast<char>(random() & 0xFF);
  bytes.replace(0, 6, "set S:");
  size_t bad = firstBadByte(bytes);
  REQUIRE(bad != std::string::npos);
  std::string path = writeScratch("garbage.dlz", bytes);
  CliResult cli = cliCheck(path);
  INFO(cli.stderrText.substr(0, 400));
  CHECK(cli.exitCode == 1);
  CHECK(cli.stderrText.find(": error: invalid UTF-8 (byte 0x") != std::string::npos);
  CHECK(cli.stderrText.find("1 error\n") != std::string::npos);
}

}  // namespace
}  // namespace daliz

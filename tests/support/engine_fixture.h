#pragma once
// Test support for runtime (VM) tests: compile profile source text in memory with the stdlib,
// decide declarations through the same BatchRunner path as `daliz run`, and build valid
// declarations in JSON with only the fields a test cares about.
//
//   daliz::testing::Engine e(R"(profile "P" { level high  when true  measures documentary_check
//   })"); Json d = baseDeclaration().set("items[0].origin", "AF"); CHECK(e.corridor(d) ==
//   "yellow");
//
// A compile error fails the running test with the rendered diagnostics (file:line:col, the
// line, a caret). Compiled programs are cached by (sources, options): they are immutable, so
// tests that compile the same text share one.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vm/bytecode/program.h"
#include "vm/exec/batch.h"
#include "vm/exec/decision.h"
#include "vm/exec/loaded_program.h"

namespace daliz::testing {

// ---------------------------------------------------------------------------------------
// A small JSON value with ordered object keys, for building declarations.
class Json {
 public:
  enum class Kind { Null, Bool, Number, String, Array, Object };

  Json() = default;
  Json(std::nullptr_t) {}
  Json(bool b) : kind_(Kind::Bool), text_(b ? "true" : "false") {}
  Json(int v) : kind_(Kind::Number), text_(std::to_string(v)) {}
  Json(long v) : kind_(Kind::Number), text_(std::to_string(v)) {}
  Json(long long v) : kind_(Kind::Number), text_(std::to_string(v)) {}
  Json(const char* s) : kind_(Kind::String), text_(s) {}
  Json(std::string s) : kind_(Kind::String), text_(std::move(s)) {}
  Json(std::string_view s) : kind_(Kind::String), text_(s) {}

  // A JSON number written exactly as given ("12.50", "1e3"), for money and decimals.
  static Json number(std::string text);
  static Json object(std::initializer_list<std::pair<std::string, Json>> fields = {});
  static Json array(std::initializer_list<Json> elements = {});
  static Json array(std::vector<Json> elements);
  // Raw JSON text inserted as is (for malformed values in error tests).
  static Json raw(std::string text);

  Kind kind() const { return kind_; }
  size_t size() const { return values_.size(); }

  // Sets the value at a path such as "declarant.category" or "items[1].documents[0].kind".
  // Missing intermediate objects are created; an array index may be the array's size (append).
  Json& set(std::string_view path, Json value);
  // Removes the field at the path (no-op when absent).
  Json& erase(std::string_view path);
  // The value at the path; fails the test when it does not exist.
  Json& at(std::string_view path);
  const Json* find(std::string_view path) const;
  // Appends to an array.
  Json& push(Json value);

  std::string dump() const;

 private:
  void dumpTo(std::string& out) const;
  Json* child(std::string_view key, bool create);
  Json* element(size_t index, bool create);

  Kind kind_ = Kind::Null;
  std::string text_;               // bool/number literal text, or a string's value
  std::vector<std::string> keys_;  // object keys, in insertion order
  std::vector<Json> values_;       // object values (parallel to keys_) or array elements
};

// A valid goods item of the stdlib schema: every required field, documents with one invoice.
Json baseItem(int64_t no = 1);
// A valid declaration of the stdlib schema (spec section 11) with every required field and one
// item (baseItem(1)). Optional fields are present where a test usually wants them
// (declarant.category "medium", declarant.id, consignee.id) and absent otherwise.
Json baseDeclaration(std::string id = "D-1");

// ---------------------------------------------------------------------------------------
// A temporary directory removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to path()/name (creating folders) and returns the full path.
  std::string write(const std::string& name, std::string_view content) const;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

std::string readFile(const std::string& path);

// ---------------------------------------------------------------------------------------
struct CompileOptions {
  uint64_t seed = 0;
  bool includeDrafts = false;
  // Extra files written beside the source (e.g. CSV data of `table … from "x.csv"`).
  std::vector<std::pair<std::string, std::string>> files;
  // Extra sources compiled together with the main one (name, text).
  std::vector<std::pair<std::string, std::string>> moreSources;
  // Run the sources' `test` blocks and fail the running test when one fails.
  bool runTests = true;
};

// The outcome of compiling sources that may have errors (for tests that expect them).
struct CompileResult {
  std::shared_ptr<const LoadedProgram> program;  // null on error
  std::string diagnostics;                       // rendered, errors and warnings
};
CompileResult tryCompile(const std::string& source, const CompileOptions& options = {});

// Compiles and loads in memory; fails the running test with the diagnostics on error.
std::shared_ptr<const LoadedProgram> compileProgram(const std::string& source,
                                                    const CompileOptions& options = {});

// The opcode names present in a program's disassembly.
std::set<std::string> opcodeNames(const LoadedProgram& program);

// A compiled program and a BatchRunner (one thread) to decide declarations with it. Where the
// build has the JIT, the program carries native code too (compileProgram attaches it) and every
// decision is made twice, by the interpreter and by the JIT: the test fails unless the two
// decision lines are byte-identical. So each test of decisions covers both back ends.
class Engine {
 public:
  explicit Engine(const std::string& source, CompileOptions options = {});
  explicit Engine(std::shared_ptr<const LoadedProgram> program);
  ~Engine();

  const LoadedProgram& program() const { return *program_; }
  std::shared_ptr<const LoadedProgram> shared() const { return program_; }

  // The decision line, as `daliz run` writes it (bundle hash "" for an in-memory program).
  std::string decide(const Json& declaration);
  std::string decideLine(std::string_view jsonLine);
  Decision decideDecision(const Json& declaration);
  Decision decideDecisionLine(std::string_view jsonLine);

  // Convenience views of a decision.
  std::string corridor(const Json& declaration);           // "error" for an error decision
  std::vector<std::string> hits(const Json& declaration);  // "ID" or "ID#item", in order
  std::vector<std::string> measures(const Json& declaration);
  bool fires(const Json& declaration, const std::string& profile);
  // The reason of the only hit of `profile`; fails the test unless exactly one hit.
  std::string reason(const Json& declaration, const std::string& profile);
  // The error message of an error decision; fails the test on an ok decision.
  std::string error(const Json& declaration);

  std::vector<std::string> hitKeys(const Decision& d) const;
  std::vector<std::string> measureNames(const Decision& d) const;
  std::string disassembly() const;

 private:
  std::shared_ptr<const LoadedProgram> program_;
  std::unique_ptr<BatchRunner> runner_;     // the interpreter
  std::unique_ptr<BatchRunner> jitRunner_;  // the compiled code, when the program has some
};

// The opcode corpus: sources registered (at static initialisation, from any test file) whose
// compiled bytecode must together contain every opcode of opcodes.def; opcodes_test.cpp checks
// it. Returns `source`, so a test can keep using it.
struct CorpusEntry {
  std::string name, source;
  CompileOptions options;
};
std::string registerCorpus(std::string name, std::string source, CompileOptions options = {});
std::vector<CorpusEntry> corpus();

// A profile with the given `when` and `reason` (declaration scope unless `scope` is given),
// level high, measure documentary_check: the building block of most VM tests.
std::string profile(const std::string& id, const std::string& when, const std::string& reason = "",
                    const std::string& extra = "");

}  // namespace daliz::testing

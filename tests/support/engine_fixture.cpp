// Implementation of tests/support/engine_fixture.h.
#include "tests/support/engine_fixture.h"

#include <unistd.h>
#include <algorithm>
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "compiler/diag/text_renderer.h"
#include "compiler/driver/frontend.h"
#include "compiler/driver/pipeline.h"
#include "vm/bytecode/disassembler.h"
#include "vm/jit/jit.h"

namespace daliz::testing {

// ---------------------------------------------------------------------------------------
// Json

Json Json::number(std::string text) {
  Json j;
  j.kind_ = Kind::Number;
  j.text_ = std::move(text);
  return j;
}

Json Json::raw(std::string text) {
  Json j = number(std::move(text));
  return j;
}

Json Json::object(std::initializer_list<std::pair<std::string, Json>> fields) {
  Json j;
  j.kind_ = Kind::Object;
  for (const auto& [k, v] : fields) j.set(k, v);
  return j;
}

Json Json::array(std::initializer_list<Json> elements) {
  return array(std::vector<Json>(elements));
}

Json Json::array(std::vector<Json> elements) {
  Json j;
  j.kind_ = Kind::Array;
  j.values_ = std::move(elements);
  return j;
}

Json* Json::child(std::string_view key, bool create) {
  if (kind_ != Kind::Object) {
    if (!create) return nullptr;
    *this = Json();
    kind_ = Kind::Object;
  }
  for (size_t i = 0; i < keys_.size(); ++i)
    if (keys_[i] == key) return &values_[i];
  if (!create) return nullptr;
  keys_.emplace_back(key);
  values_.emplace_back();
  return &values_.back();
}

Json* Json::element(size_t index, bool create) {
  if (kind_ != Kind::Array) {
    if (!create) return nullptr;
    *this = Json();
    kind_ = Kind::Array;
  }
  if (index < values_.size()) return &values_[index];
  if (!create || index != values_.size()) return nullptr;
  values_.emplace_back();
  return &values_.back();
}

namespace {

// Splits "a.b[2].c" into steps: a key, or an index.
struct Step {
  std::string key;
  std::optional<size_t> index;
};

std::vector<Step> parsePath(std::string_view path) {
  std::vector<Step> steps;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      size_t close = path.find(']', i);
      REQUIRE(close != std::string_view::npos);
      steps.push_back(
          {"", static_cast<size_t>(std::stoul(std::string(path.substr(i + 1, close - i - 1))))});
      i = close + 1;
      continue;
    }
    size_t end = path.find_first_of(".[", i);
    if (end == std::string_view::npos) end = path.size();
    steps.push_back({std::string(path.substr(i, end - i)), std::nullopt});
    i = end;
  }
  return steps;
}

}  // namespace

Json& Json::set(std::string_view path, Json value) {
  Json* cur = this;
  for (const Step& s : parsePath(path)) {
    cur = s.index ? cur->element(*s.index, true) : cur->child(s.key, true);
    if (cur == nullptr) FAIL("Json::set: cannot reach `" << path << "` (array index past the end)");
  }
  *cur = std::move(value);
  return *this;
}

Json& Json::erase(std::string_view path) {
  auto steps = parsePath(path);
  REQUIRE(!steps.empty());
  Json* cur = this;
  for (size_t i = 0; i + 1 < steps.size() && cur; ++i)
    cur = steps[i].index ? cur->element(*steps[i].index, false) : cur->child(steps[i].key, false);
  if (cur == nullptr) return *this;
  const Step& last = steps.back();
  if (last.index) {
    if (cur->kind_ == Kind::Array && *last.index < cur->values_.size())
      cur->values_.erase(cur->values_.begin() + static_cast<ptrdiff_t>(*last.index));
  } else if (cur->kind_ == Kind::Object) {
    for (size_t i = 0; i < cur->keys_.size(); ++i)
      if (cur->keys_[i] == last.key) {
        cur->keys_.erase(cur->keys_.begin() + static_cast<ptrdiff_t>(i));
        cur->values_.erase(cur->values_.begin() + static_cast<ptrdiff_t>(i));
        break;
      }
  }
  return *this;
}

const Json* Json::find(std::string_view path) const {
  const Json* cur = this;
  for (const Step& s : parsePath(path)) {
    cur = s.index ? const_cast<Json*>(cur)->element(*s.index, false)
                  : const_cast<Json*>(cur)->child(s.key, false);
    if (cur == nullptr) return nullptr;
  }
  return cur;
}

Json& Json::at(std::string_view path) {
  const Json* j = find(path);
  if (j == nullptr) FAIL("Json::at: no value at `" << path << "`");
  return *const_cast<Json*>(j);
}

Json& Json::push(Json value) {
  if (kind_ != Kind::Array) {
    *this = Json();
    kind_ = Kind::Array;
  }
  values_.push_back(std::move(value));
  return *this;
}

void Json::dumpTo(std::string& out) const {
  switch (kind_) {
    case Kind::Null:
      out += "null";
      break;
    case Kind::Bool:
    case Kind::Number:
      out += text_;
      break;
    case Kind::String:
      appendJsonString(out, text_);
      break;
    case Kind::Array:
      out += '[';
      for (size_t i = 0; i < values_.size(); ++i) {
        if (i) out += ',';
        values_[i].dumpTo(out);
      }
      out += ']';
      break;
    case Kind::Object:
      out += '{';
      for (size_t i = 0; i < keys_.size(); ++i) {
        if (i) out += ',';
        appendJsonString(out, keys_[i]);
        out += ':';
        values_[i].dumpTo(out);
      }
      out += '}';
      break;
  }
}

std::string Json::dump() const {
  std::string out;
  dumpTo(out);
  return out;
}

Json baseItem(int64_t no) {
  return Json::object({
      {"no", static_cast<long long>(no)},
      {"hs_code", "6109100000"},
      {"description", "T-shirts, cotton, knitted"},
      {"origin", "CN"},
      {"gross_weight", "110"},
      {"net_weight", "100"},
      {"procedure", "4000000"},
      {"valuation_method", 1},
      {"customs_value", "4500"},
      {"documents", Json::array({Json::object({{"kind", "04021"}})})},
  });
}

Json baseDeclaration(std::string id) {
  return Json::object({
      {"id", std::move(id)},
      {"registered", "2025-03-01"},
      {"direction", "IM"},
      {"procedure", "40"},
      {"customs_office", "55301"},
      {"exporter", Json::object({{"name", "Exporter Ltd"}, {"country", "CN"}})},
      {"consignee",
       Json::object({{"id", "123456789012"}, {"name", "Importer LLP"}, {"country", "KZ"}})},
      {"declarant", Json::object({{"id", "123456789012"},
                                  {"name", "Importer LLP"},
                                  {"country", "KZ"},
                                  {"category", "medium"}})},
      {"trading_country", "CN"},
      {"dispatch_country", "CN"},
      {"destination_country", "KZ"},
      {"container", false},
      {"contract_currency", "USD"},
      {"border_transport_mode", "30"},
      {"total_customs_value", "4500"},
      {"items", Json::array({baseItem(1)})},
  });
}

// ---------------------------------------------------------------------------------------
// Files

TempDir::TempDir() {
  static std::atomic<unsigned> counter{0};
  std::filesystem::path base = std::filesystem::temp_directory_path();
  std::string pattern = (base / ("daliz-vm-" + std::to_string(::getpid()) + "-" +
                                 std::to_string(counter++) + "-XXXXXX"))
                            .string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr)
    FAIL("cannot create a temporary directory from " << pattern);
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, std::string_view content) const {
  std::filesystem::path p = path_ / name;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) FAIL("cannot write " << p.string());
  return p.string();
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// ---------------------------------------------------------------------------------------
// Compiling

namespace {

std::string cacheKey(const std::string& source, const CompileOptions& o) {
  std::string key = source;
  key += '\0' + std::to_string(o.seed) + (o.includeDrafts ? "D" : "-") + (o.runTests ? "T" : "-");
  for (const auto& [n, t] : o.files) key += '\0' + n + '\0' + t;
  key += '\1';
  for (const auto& [n, t] : o.moreSources) key += '\0' + n + '\0' + t;
  return key;
}

std::mutex cacheMutex;
std::map<std::string, CompileResult>& cache() {
  static std::map<std::string, CompileResult> c;
  return c;
}

CompileResult compileUncached(const std::string& source, const CompileOptions& options,
                              bool failOnTests) {
  TempDir dir;
  FrontendOptions f;
  f.files.push_back(dir.write("profiles.dlz", source));
  for (const auto& [name, text] : options.moreSources) f.files.push_back(dir.write(name, text));
  for (const auto& [name, text] : options.files) dir.write(name, text);
  auto c = runFrontend(f);
  std::ostringstream rendered;
  renderText(rendered, c->sources, c->diagnostics);
  CompileResult r;
  r.diagnostics = rendered.str();
  if (c->diagnostics.hasErrors()) return r;
  CodegenOptions g;
  g.seed = options.seed;
  g.includeDrafts = options.includeDrafts;
  std::string error;
  auto program = buildProgram(*c, g, error);
  if (!program) {
    r.diagnostics += "codegen: " + error + "\n";
    return r;
  }
  auto loaded = loadInMemory(std::move(*program), error);
  if (!loaded) {
    r.diagnostics += error + "\n";
    return r;
  }
  // Both back ends: where the build has the JIT, every program of the fixture is compiled to
  // native code too, and Engine decides each declaration with both (docs/jit.md, "Tests").
  if (jitAvailable()) {
    JitReport report;
    if (!attachJit(*loaded, report) || report.interpreted != 0) {
      std::string why;
      for (const std::string& m : report.messages) why += "  " + m + "\n";
      FAIL("the JIT did not compile every function:\n" << why << "source:\n" << source);
    }
  }
  if (options.runTests) {
    std::string failures;
    for (const TestOutcome& t : runTests(*c, *loaded)) {
      if (t.passed) continue;
      failures += "FAIL  " + t.name + "\n";
      for (const std::string& why : t.failures) failures += "      " + why + "\n";
    }
    if (!failures.empty()) {
      if (failOnTests) FAIL("test blocks failed:\n" << failures << "in:\n" << source);
      r.diagnostics += failures;
      return r;
    }
  }
  r.program = std::move(loaded);
  return r;
}

}  // namespace

CompileResult tryCompile(const std::string& source, const CompileOptions& options) {
  std::string key = cacheKey(source, options);
  {
    std::lock_guard<std::mutex> lock(cacheMutex);
    auto it = cache().find(key);
    if (it != cache().end()) return it->second;
  }
  CompileResult r = compileUncached(source, options, false);
  std::lock_guard<std::mutex> lock(cacheMutex);
  cache().emplace(key, r);
  return r;
}

std::shared_ptr<const LoadedProgram> compileProgram(const std::string& source,
                                                    const CompileOptions& options) {
  CompileResult r = tryCompile(source, options);
  if (!r.program) FAIL("the profiles do not compile:\n" << r.diagnostics << "source:\n" << source);
  return r.program;
}

std::set<std::string> opcodeNames(const LoadedProgram& program) {
  std::set<std::string> names;
  std::istringstream in(disassemble(program.program, program.contentHash));
  std::string line;
  // Instruction lines: "  <pc>  <NAME> <operands> ; <synopsis>".
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string pc, name;
    if (!(words >> pc >> name)) continue;
    if (line.rfind("  ", 0) != 0 || pc.find_first_not_of("0123456789") != std::string::npos)
      continue;
    if (name.empty() ||
        name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != std::string::npos)
      continue;
    names.insert(name);
  }
  return names;
}

// ---------------------------------------------------------------------------------------
// Engine

Engine::Engine(const std::string& source, CompileOptions options)
    : Engine(compileProgram(source, options)) {}

Engine::Engine(std::shared_ptr<const LoadedProgram> program)
    : program_(std::move(program)),
      runner_(std::make_unique<BatchRunner>(*program_, 1, Evaluator::Backend::Interpreter)) {
  if (program_->compiled)
    jitRunner_ = std::make_unique<BatchRunner>(*program_, 1, Evaluator::Backend::Default);
}

Engine::~Engine() = default;

std::string Engine::decide(const Json& declaration) { return decideLine(declaration.dump()); }

std::string Engine::decideLine(std::string_view line) {
  bool ok = false;
  std::string interpreted = runner_->decideOne(line, ok);
  if (jitRunner_) {
    std::string compiled = jitRunner_->decideOne(line, ok);
    if (compiled != interpreted)
      FAIL("the back ends disagree on\n  " << line << "\ninterpreter: " << interpreted
                                           << "\nJIT:         " << compiled);
  }
  return interpreted;
}

Decision Engine::decideDecision(const Json& declaration) {
  return decideDecisionLine(declaration.dump());
}

Decision Engine::decideDecisionLine(std::string_view line) {
  decideLine(line);
  return runner_->lastDecision();
}

std::vector<std::string> Engine::hitKeys(const Decision& d) const {
  std::vector<std::string> keys;
  for (const Hit& h : d.hits) {
    std::string k = program_->program.profiles[h.profile].id;
    if (h.item) k += "#" + std::to_string(*h.item);
    keys.push_back(k);
  }
  // The engine's own hits (vm/exec/amendment.h), in profile-id order as the decision JSON has them.
  for (const EngineHit& h : d.engineHits) keys.push_back(h.profile);
  if (!d.engineHits.empty()) std::stable_sort(keys.begin(), keys.end());
  return keys;
}

std::vector<std::string> Engine::measureNames(const Decision& d) const {
  std::vector<std::string> names;
  for (uint32_t m : d.measures) names.push_back(program_->program.measures[m].name);
  return names;
}

std::string Engine::corridor(const Json& declaration) {
  Decision d = decideDecision(declaration);
  return d.ok ? corridorText(d.corridor) : "error";
}

std::vector<std::string> Engine::hits(const Json& declaration) {
  Decision d = decideDecision(declaration);
  if (!d.ok)
    FAIL("expected an ok decision, got error: " << d.error << "\nfor " << declaration.dump());
  return hitKeys(d);
}

std::vector<std::string> Engine::measures(const Json& declaration) {
  Decision d = decideDecision(declaration);
  if (!d.ok)
    FAIL("expected an ok decision, got error: " << d.error << "\nfor " << declaration.dump());
  return measureNames(d);
}

bool Engine::fires(const Json& declaration, const std::string& profile) {
  for (const std::string& k : hits(declaration))
    if (k == profile || k.rfind(profile + "#", 0) == 0) return true;
  return false;
}

std::string Engine::reason(const Json& declaration, const std::string& profile) {
  Decision d = decideDecision(declaration);
  if (!d.ok)
    FAIL("expected an ok decision, got error: " << d.error << "\nfor " << declaration.dump());
  const Hit* found = nullptr;
  int n = 0;
  for (const Hit& h : d.hits)
    if (program_->program.profiles[h.profile].id == profile) {
      found = &h;
      ++n;
    }
  if (n != 1)
    FAIL("expected exactly one hit of \"" << profile << "\", got " << n << ": "
                                          << decide(declaration));
  return found->reason;
}

std::string Engine::error(const Json& declaration) {
  Decision d = decideDecision(declaration);
  if (d.ok) FAIL("expected an error decision, got " << decide(declaration));
  return d.error;
}

std::string Engine::disassembly() const {
  return disassemble(program_->program, program_->contentHash);
}

namespace {
std::mutex& corpusMutex() {
  static std::mutex m;
  return m;
}
std::vector<CorpusEntry>& corpusEntries() {
  static std::vector<CorpusEntry> entries;
  return entries;
}
}  // namespace

std::string registerCorpus(std::string name, std::string source, CompileOptions options) {
  std::lock_guard<std::mutex> lock(corpusMutex());
  corpusEntries().push_back({std::move(name), source, std::move(options)});
  return source;
}

std::vector<CorpusEntry> corpus() {
  std::lock_guard<std::mutex> lock(corpusMutex());
  return corpusEntries();
}

std::string profile(const std::string& id, const std::string& when, const std::string& reason,
                    const std::string& extra) {
  std::string s = "profile \"" + id + "\" {\n  level high\n";
  if (!extra.empty()) s += "  " + extra + "\n";
  s += "  when " + when + "\n  measures documentary_check\n";
  if (!reason.empty()) s += "  reason \"" + reason + "\"\n";
  return s + "}\n";
}

}  // namespace daliz::testing

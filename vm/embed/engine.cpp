// The embedding API (include/daliz/daliz.h) over the loader and the batch runners.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "daliz/daliz.h"
#include "daliz/version.h"
#include "vm/bundle/approval.h"
#include "vm/bundle/bundle_format.h"
#include "vm/exec/batch.h"
#include "vm/exec/categorize_batch.h"
#include "vm/exec/decision.h"
#include "vm/jit/jit.h"
#include "vm/limits.h"
#include "vm/value/timestamp.h"

namespace daliz::api {

const char* version() { return DALIZ_VERSION; }
uint32_t bundleFormatVersion() { return bundle::kFormatVersion; }
const char* stdlibVersion() { return kStdlibVersion; }

TrustPolicy TrustPolicy::development() {
  TrustPolicy p;
  p.required = 0;
  p.allowUnsigned = true;
  return p;
}

bool TrustPolicy::addKeyHex(std::string_view hex) {
  daliz::PublicKey key;
  if (!fromHex(hex, key)) return false;
  trusted.push_back(key);
  return true;
}

bool TrustPolicy::addKeyFile(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in || !addKeyHex(text.str())) {
    error = "`" + path + "` is not a public key file (one line of 64 hex digits)";
    return false;
  }
  return true;
}

bool TrustPolicy::setHostKeyFile(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  std::array<unsigned char, 32> key;
  if (!in || !fromHex(text.str(), key)) {
    error = "`" + path + "` is not a host secret key file (one line of 64 hex digits)";
    return false;
  }
  hostKey = key;
  return true;
}

std::shared_ptr<const Engine> Engine::loadBytes(std::string_view bytes, const TrustPolicy& policy,
                                                std::string& error, LoadFailure* failure) {
  return loadBytes(bytes, policy, EngineOptions{}, error, failure);
}

std::shared_ptr<const Engine> Engine::loadBytes(std::string_view bytes, const TrustPolicy& policy,
                                                const EngineOptions& options, std::string& error,
                                                LoadFailure* failure) {
  daliz::TrustPolicy internal{policy.trusted, policy.required, policy.allowUnsigned,
                              policy.hostKey};
  bool refused = false;
  auto loaded = loadProgram(bytes, internal, error, &refused);
  if (!loaded) {
    if (failure) *failure = refused ? LoadFailure::Refused : LoadFailure::Invalid;
    return nullptr;
  }
  std::shared_ptr<Engine> engine(new Engine());
  if (const auto& a = loaded->approval)
    engine->approval_ = Approval{a->sequence, a->act, toString(a->actDate), a->effectiveFrom,
                                 formatTimestamp(a->effectiveFrom)};
  for (const daliz::PublicKey& k : loaded->signers)
    engine->signers_.push_back(toHex(k.data(), k.size()));
  if (options.jit) {
    JitReport report;
    JitOptions jit;
    jit.background = options.jitInBackground;
    if (!attachJit(*loaded, report, jit)) engine->jitStartMessages_ = std::move(report.messages);
  }
  engine->program_ = std::move(loaded);
  return engine;
}

std::shared_ptr<const Engine> Engine::loadFile(const std::string& path, const TrustPolicy& policy,
                                               std::string& error, LoadFailure* failure) {
  return loadFile(path, policy, EngineOptions{}, error, failure);
}

std::shared_ptr<const Engine> Engine::loadFile(const std::string& path, const TrustPolicy& policy,
                                               const EngineOptions& options, std::string& error,
                                               LoadFailure* failure) {
  std::error_code ec;
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  if (in) buffer << in.rdbuf();
  if (!in || in.bad() || std::filesystem::is_directory(path, ec)) {
    error = "cannot read `" + path + "`";
    if (failure) *failure = LoadFailure::Unreadable;
    return nullptr;
  }
  return loadBytes(buffer.str(), policy, options, error, failure);
}

Engine::~Engine() = default;

size_t Engine::compiledFunctions() const { return jitProgress(*program_).compiled; }

std::vector<std::string> Engine::jitMessages() const {
  return program_->compiled ? jitProgress(*program_).messages : jitStartMessages_;
}
const std::string& Engine::contentHash() const { return program_->contentHash; }
size_t Engine::profileCount() const { return program_->program.profiles.size(); }
std::vector<std::string> Engine::profileIds() const {
  std::vector<std::string> ids;
  for (const ProfileSpec& p : program_->program.profiles) ids.push_back(p.id);
  return ids;
}
const LoadedProgram& Engine::program() const { return *program_; }

bool Engine::canCategorize() const { return program_->program.categorization.has_value(); }
const std::optional<Approval>& Engine::approval() const { return approval_; }
const std::vector<std::string>& Engine::signers() const { return signers_; }

Session::Session(std::shared_ptr<const Engine> engine) : engine_(std::move(engine)) {
  if (!engine_) return;
  runner_ = std::make_unique<BatchRunner>(*engine_->program_, 1);
  if (engine_->canCategorize())
    categorizer_ = std::make_unique<CategorizeBatch>(*engine_->program_, 1);
}
Session::~Session() = default;

uint64_t Session::defaultBudget() { return limits::kWorkPerDeclaration; }

void Session::setBudget(uint64_t units) {
  if (runner_) runner_->setBudget(units);
  if (categorizer_) categorizer_->setBudget(units);
}

namespace {
constexpr const char* kNoEngine = "the session has no engine: load a bundle first";
constexpr const char* kNoCategorize =
    "the bundle has no categorize block: compile sources that declare `categorize \"ID\" { … }`";
}  // namespace

// Reads the structured result back from the runner's last decision, so the JSON line and the
// structure can never disagree.
Decision Session::collect(std::string json) {
  const LoadedProgram& lp = *engine_->program_;
  const Program& p = lp.program;
  const daliz::Decision& raw = runner_->lastDecision();
  Decision d;
  d.json = std::move(json);
  d.id = raw.id;
  d.ok = raw.ok;
  d.error = raw.error;
  d.overBudget = raw.overBudget;
  d.bundle = lp.contentHash;
  if (lp.approval) d.sequence = lp.approval->sequence;
  if (view_ == View::Declarant && raw.overBudget)
    d.error = kOverBudgetForDeclarant;
  if (!raw.ok) return d;
  d.corridor = corridorText(raw.corridor);
  for (uint32_t m : raw.measures) {
    d.measures.push_back(p.measures[m].name);
    d.measureCodes.push_back(p.measures[m].code);
  }
  d.office = raw.declaration.office;
  d.declarant = raw.declaration.declarant;
  d.items = raw.declaration.items;
  if (view_ == View::Declarant) return d;
  for (const daliz::Hit& h : raw.hits) {
    const ProfileSpec& prof = p.profiles[h.profile];
    Hit hit{prof.id, h.item, levelText(prof.level), corridorText(prof.corridor), {}, h.reason};
    for (uint32_t m : prof.measures) hit.measures.push_back(p.measures[m].name);
    d.hits.push_back(std::move(hit));
  }
  return d;
}

// The public View mirrors DecisionView value for value.
static_assert(static_cast<int>(View::Declarant) == static_cast<int>(DecisionView::Declarant) &&
              static_cast<int>(View::Audit) == static_cast<int>(DecisionView::Audit));

void Session::setView(View view) {
  view_ = view;
  if (runner_) runner_->setView(static_cast<DecisionView>(view));
}

std::string Session::lastJson(View view) const {
  if (!runner_ || !decided_) return "";
  return renderDecisionJson(*engine_->program_, runner_->lastDecision(), static_cast<DecisionView>(view));
}

Decision Session::decide(std::string_view json) {
  if (!engine_)
    return Decision{std::nullopt, false, kNoEngine, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}};
  bool ok = false;
  std::string line = runner_->decideOne(json, ok);
  decided_ = true;
  return collect(std::move(line));
}

Decision Session::decide(const Record& declaration) {
  if (!engine_)
    return Decision{std::nullopt, false, kNoEngine, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}};
  bool ok = false;
  std::string line = runner_->decideOne(*declaration.data_, ok);
  decided_ = true;
  return collect(std::move(line));
}

Category Session::collectCategory(std::string json, bool ok) {
  const Categorization& raw = categorizer_->lastResult();
  Category c;
  c.json = std::move(json);
  c.id = raw.id;
  c.ok = ok && raw.ok;
  c.error = raw.error;
  if (!c.ok) return c;
  c.category = levelText(raw.category);
  c.rule = raw.rule;
  c.reason = raw.reason;
  return c;
}

Category Session::categorize(std::string_view json) {
  if (!engine_ || !categorizer_)
    return Category{std::nullopt, false, engine_ ? kNoCategorize : kNoEngine, {}, {}, {}, {}};
  bool ok = false;
  std::string line = categorizer_->categorizeOne(json, ok);
  return collectCategory(std::move(line), ok);
}

Category Session::categorize(const Record& participant) {
  if (!engine_ || !categorizer_)
    return Category{std::nullopt, false, engine_ ? kNoCategorize : kNoEngine, {}, {}, {}, {}};
  bool ok = false;
  std::string line = categorizer_->categorizeOne(*participant.data_, ok);
  return collectCategory(std::move(line), ok);
}

}  // namespace daliz::api

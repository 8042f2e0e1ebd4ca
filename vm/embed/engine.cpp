// The embedding API (include/daliz/daliz.h) over the loader and the batch runner.
#include <fstream>
#include <sstream>

#include "daliz/daliz.h"
#include "vm/bundle/bundle_reader.h"
#include "vm/bundle/signature.h"
#include "vm/exec/batch.h"
#include "vm/exec/decision.h"
#include "vm/exec/evaluator.h"

namespace daliz::api {

Record& Record::set(const std::string& field, std::string value) {
  fields_[field] = std::move(value);
  return *this;
}
Record& Record::set(const std::string& field, int64_t value) {
  fields_[field] = value;
  return *this;
}
Record& Record::set(const std::string& field, bool value) {
  fields_[field] = value;
  return *this;
}
Record& Record::set(const std::string& field, Record value) {
  fields_[field] = std::make_shared<Record>(std::move(value));
  return *this;
}
Record& Record::set(const std::string& field, List value) {
  fields_[field] = std::make_shared<List>(std::move(value));
  return *this;
}

std::string Record::toJson() const {
  std::string out = "{";
  bool first = true;
  for (const auto& [name, value] : fields_) {
    if (!first) out += ',';
    first = false;
    appendJsonString(out, name);
    out += ':';
    if (auto* s = std::get_if<std::string>(&value)) appendJsonString(out, *s);
    else if (auto* i = std::get_if<int64_t>(&value)) out += std::to_string(*i);
    else if (auto* b = std::get_if<bool>(&value)) out += *b ? "true" : "false";
    else if (auto* r = std::get_if<std::shared_ptr<Record>>(&value)) out += (*r)->toJson();
    else if (auto* l = std::get_if<std::shared_ptr<List>>(&value)) {
      out += '[';
      for (size_t k = 0; k < (*l)->size(); ++k) out += (k ? "," : "") + (**l)[k].toJson();
      out += ']';
    }
  }
  return out + "}";
}

std::shared_ptr<const Engine> Engine::loadBytes(std::string_view bytes, std::string& error) {
  auto file = splitSignatures(bytes, error);
  if (!file) return nullptr;
  LoadResult r = readBundle(file->bundle);
  if (!r.program) {
    error = r.error;
    return nullptr;
  }
  auto loaded = prepareProgram(std::move(*r.program), r.contentHash, error);
  if (!loaded) return nullptr;
  std::shared_ptr<Engine> engine(new Engine());
  engine->program_ = std::move(loaded);
  return engine;
}

std::shared_ptr<const Engine> Engine::loadFile(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read `" + path + "`";
    return nullptr;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return loadBytes(buffer.str(), error);
}

Engine::~Engine() = default;
const std::string& Engine::contentHash() const { return program_->contentHash; }
size_t Engine::profileCount() const { return program_->program.profiles.size(); }

Session::Session(std::shared_ptr<const Engine> engine)
    : engine_(std::move(engine)), runner_(std::make_unique<BatchRunner>(*engine_->program_, 1)) {}
Session::~Session() = default;

Decision Session::decide(std::string_view json) {
  // Decide through the same path as `daliz run`, then read the structured result back from
  // the runner's last decision, so the two views cannot disagree.
  bool ok = false;
  Decision d;
  d.json = runner_->decideOne(json, ok);
  const Program& p = engine_->program_->program;
  const daliz::Decision& raw = runner_->lastDecision();
  d.id = raw.id;
  d.ok = raw.ok;
  d.error = raw.error;
  d.bundle = engine_->program_->contentHash;
  if (!raw.ok) return d;
  d.corridor = corridorText(raw.corridor);
  for (uint32_t m : raw.measures) d.measures.push_back(p.measures[m].name);
  static const char* const kLevels[] = {"low", "medium", "high"};
  for (const daliz::Hit& h : raw.hits) {
    const ProfileSpec& prof = p.profiles[h.profile];
    Hit hit{prof.id, h.item, kLevels[prof.level % 3], corridorText(prof.corridor), {}, h.reason};
    for (uint32_t m : prof.measures) hit.measures.push_back(p.measures[m].name);
    d.hits.push_back(std::move(hit));
  }
  return d;
}

Decision Session::decide(const Record& declaration) { return decide(declaration.toJson()); }

}  // namespace daliz::api

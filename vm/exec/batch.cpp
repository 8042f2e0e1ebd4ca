#include "vm/exec/batch.h"

#include "vm/decode/arena.h"
#include "vm/decode/declaration_decoder.h"
#include "vm/exec/evaluator.h"
#include "vm/exec/shards.h"

namespace daliz {

struct BatchRunner::Worker {
  explicit Worker(const LoadedProgram& p) : decoder(p.program.schema), evaluator(p) {}
  DeclarationDecoder decoder;
  Arena arena;
  Evaluator evaluator;
  Decision decision;
  size_t ok = 0, errors = 0;

  std::string decide(const LoadedProgram& p, std::string_view line) {
    arena.reset();
    auto decoded = decoder.decode(line, arena);
    decision.id = decoded.id;
    if (decoded.root == nullptr) {
      decision.ok = false;
      decision.error = decoded.error;
      ++errors;
    } else {
      decision.error.clear();
      evaluator.evaluate(decoded.root, decision);
      ++ok;
    }
    return renderDecisionJson(p, decision);
  }
};

BatchRunner::BatchRunner(const LoadedProgram& program, unsigned threads) : program_(program) {
  if (threads == 0) threads = 1;
  for (unsigned t = 0; t < threads; ++t) workers_.push_back(std::make_unique<Worker>(program));
}

BatchRunner::~BatchRunner() = default;

void BatchRunner::run(const std::vector<std::string_view>& lines, std::vector<std::string>& outputs,
                      BatchCounts& counts) {
  outputs.resize(lines.size());
  runShards(workers_.size(), lines.size(), [&](size_t t, size_t begin, size_t end) {
    Worker& w = *workers_[t];
    w.ok = w.errors = 0;
    for (size_t i = begin; i < end; ++i) outputs[i] = w.decide(program_, lines[i]);
  });
  for (auto& w : workers_) {
    counts.ok += w->ok;
    counts.errors += w->errors;
  }
}

std::string BatchRunner::decideOne(std::string_view line, bool& ok) {
  Worker& w = *workers_[0];
  w.ok = w.errors = 0;
  std::string out = w.decide(program_, line);
  ok = w.errors == 0;
  return out;
}

}  // namespace daliz

namespace daliz {
const Decision& BatchRunner::lastDecision() const { return workers_[0]->decision; }
}  // namespace daliz

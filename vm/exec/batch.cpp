#include "vm/exec/batch.h"

#include "vm/decode/arena.h"
#include "vm/decode/declaration_decoder.h"
#include "vm/exec/evaluator.h"
#include "vm/exec/shards.h"

namespace daliz {

struct BatchRunner::Worker {
  Worker(const LoadedProgram& p, Evaluator::Backend backend)
      : decoder(p.program.schema), evaluator(p, backend) {}
  DeclarationDecoder decoder;
  Arena arena;
  Evaluator evaluator;
  Decision decision;

  // The decision line for `input` (a JSON line or an InputRecord) into `out`; false when it
  // is an error decision (it could not be decoded, or it passed the execution budget).
  template <typename Input>
  bool decide(const LoadedProgram& p, const Input& input, std::string& out, DecisionView view,
              std::string* officer = nullptr) {
    arena.reset();
    auto decoded = decoder.decode(input, arena);
    decision.id = decoded.id;
    if (decoded.root == nullptr) {
      decision.ok = false;
      decision.overBudget = false;
      decision.error = decoded.error;
    } else {
      decision.error.clear();
      evaluator.evaluate(decoded.root, decision);
    }
    out = renderDecisionJson(p, decision, view);
    if (officer) *officer = view == DecisionView::Officer ? out : renderDecisionJson(p, decision);
    return decision.ok;  // false also for a declaration that passed the execution budget
  }
};

BatchRunner::BatchRunner(const LoadedProgram& program, unsigned threads, Evaluator::Backend backend)
    : program_(program) {
  if (threads == 0) threads = 1;
  for (unsigned t = 0; t < threads; ++t)
    workers_.push_back(std::make_unique<Worker>(program, backend));
}

BatchRunner::~BatchRunner() = default;

void BatchRunner::run(const std::vector<std::string_view>& lines, std::vector<std::string>& outputs,
                      BatchCounts& counts, std::vector<std::string>* officer) {
  if (officer) officer->assign(lines.size(), std::string());
  decideLines(workers_.size(), lines, outputs, counts,
              [&](size_t t, std::string_view line, std::string& out) {
                // outputs[i] is `out`: its position is the line's.
                std::string* record =
                    officer ? &(*officer)[static_cast<size_t>(&out - outputs.data())] : nullptr;
                return workers_[t]->decide(program_, line, out, view_, record);
              });
}

std::string BatchRunner::decideOne(std::string_view line, bool& ok, std::string* officer) {
  std::string out;
  ok = workers_[0]->decide(program_, line, out, view_, officer);
  return out;
}

std::string BatchRunner::decideOne(const InputRecord& declaration, bool& ok) {
  std::string out;
  ok = workers_[0]->decide(program_, declaration, out, view_);
  return out;
}

const Decision& BatchRunner::lastDecision() const { return workers_[0]->decision; }

void BatchRunner::setBudget(uint64_t units) {
  for (auto& w : workers_) w->evaluator.setBudget(units);
}

}  // namespace daliz

#include "vm/exec/categorize_batch.h"

#include "vm/decode/arena.h"
#include "vm/decode/declaration_decoder.h"
#include "vm/exec/categorizer.h"
#include "vm/exec/shards.h"

namespace daliz {

struct CategorizeBatch::Worker {
  Worker(const LoadedProgram& p, const Schema& participantSchema, Evaluator::Backend backend)
      : decoder(participantSchema), categorizer(p, backend) {}
  DeclarationDecoder decoder;
  Arena arena;
  Categorizer categorizer;
  Categorization result;

  // The result line for `input` (a JSON line or an InputRecord) into `out`; false when it
  // could not be decoded.
  template <typename Input>
  bool categorize(const LoadedProgram& p, const Input& input, std::string& out) {
    arena.reset();
    auto decoded = decoder.decode(input, arena);
    result.id = decoded.id;
    if (decoded.root == nullptr) {
      result.ok = false;
      result.error = decoded.error;
    } else {
      categorizer.categorize(decoded.root, result);
    }
    out = renderCategorizationJson(p, result);
    return result.ok;  // false also for a rule that passed the execution budget
  }
};

CategorizeBatch::CategorizeBatch(const LoadedProgram& program, unsigned threads,
                                 Evaluator::Backend backend)
    : program_(program), schema_(program.program.schema) {
  // The decoder reads a participant as it reads a declaration: the root is the record it
  // decodes, and the id field is the one it reports even when another field is wrong.
  schema_.root = program.program.categorization->record;
  schema_.idField = program.program.categorization->idField;
  if (threads == 0) threads = 1;
  for (unsigned t = 0; t < threads; ++t)
    workers_.push_back(std::make_unique<Worker>(program, schema_, backend));
}

CategorizeBatch::~CategorizeBatch() = default;

void CategorizeBatch::run(const std::vector<std::string_view>& lines,
                          std::vector<std::string>& outputs, BatchCounts& counts) {
  decideLines(workers_.size(), lines, outputs, counts,
              [&](size_t t, std::string_view line, std::string& out) {
                return workers_[t]->categorize(program_, line, out);
              });
}

std::string CategorizeBatch::categorizeOne(std::string_view line, bool& ok) {
  std::string out;
  ok = workers_[0]->categorize(program_, line, out);
  return out;
}

std::string CategorizeBatch::categorizeOne(const InputRecord& participant, bool& ok) {
  std::string out;
  ok = workers_[0]->categorize(program_, participant, out);
  return out;
}

const Categorization& CategorizeBatch::lastResult() const { return workers_[0]->result; }

void CategorizeBatch::setBudget(uint64_t units) {
  for (auto& w : workers_) w->categorizer.setBudget(units);
}

}  // namespace daliz

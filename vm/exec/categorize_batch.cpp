#include "vm/exec/categorize_batch.h"

#include "vm/decode/arena.h"
#include "vm/decode/declaration_decoder.h"
#include "vm/exec/categorizer.h"
#include "vm/exec/shards.h"

namespace daliz {

struct CategorizeBatch::Worker {
  Worker(const LoadedProgram& p, const Schema& participantSchema)
      : decoder(participantSchema), categorizer(p) {}
  DeclarationDecoder decoder;
  Arena arena;
  Categorizer categorizer;
  Categorization result;
  size_t ok = 0, errors = 0;

  std::string categorize(const LoadedProgram& p, std::string_view line) {
    arena.reset();
    auto decoded = decoder.decode(line, arena);
    result.id = decoded.id;
    if (decoded.root == nullptr) {
      result.ok = false;
      result.error = decoded.error;
      ++errors;
    } else {
      categorizer.categorize(decoded.root, result);
      ++ok;
    }
    return renderCategorizationJson(p, result);
  }
};

CategorizeBatch::CategorizeBatch(const LoadedProgram& program, unsigned threads)
    : program_(program), schema_(program.program.schema) {
  // The decoder reads a participant as it reads a declaration: the root is the record it
  // decodes, and the id field is the one it reports even when another field is wrong.
  schema_.root = program.program.categorization->record;
  schema_.idField = program.program.categorization->idField;
  if (threads == 0) threads = 1;
  for (unsigned t = 0; t < threads; ++t)
    workers_.push_back(std::make_unique<Worker>(program, schema_));
}

CategorizeBatch::~CategorizeBatch() = default;

void CategorizeBatch::run(const std::vector<std::string_view>& lines,
                          std::vector<std::string>& outputs, BatchCounts& counts) {
  outputs.resize(lines.size());
  runShards(workers_.size(), lines.size(), [&](size_t t, size_t begin, size_t end) {
    Worker& w = *workers_[t];
    w.ok = w.errors = 0;
    for (size_t i = begin; i < end; ++i) outputs[i] = w.categorize(program_, lines[i]);
  });
  for (auto& w : workers_) {
    counts.ok += w->ok;
    counts.errors += w->errors;
  }
}

}  // namespace daliz

#pragma once
// Categorises participants (JSON Lines) on a fixed number of threads, as BatchRunner decides
// declarations: output i is the line for input i whatever the thread count.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vm/decode/input_record.h"
#include "vm/exec/batch.h"
#include "vm/exec/categorizer.h"
#include "vm/exec/loaded_program.h"

namespace daliz {

class CategorizeBatch {
 public:
  // `program.program.categorization` must be set.
  // `backend`: as BatchRunner's.
  CategorizeBatch(const LoadedProgram& program, unsigned threads,
                  Evaluator::Backend backend = Evaluator::Backend::Default);
  ~CategorizeBatch();

  // Fills outputs (resized to lines.size()) with one JSON line each (no newline); a line that
  // cannot be read gets an error line and counts in counts.errors.
  void run(const std::vector<std::string_view>& lines, std::vector<std::string>& outputs,
           BatchCounts& counts);

  // The result line for one participant, on the calling thread's worker 0; `ok` is false when
  // it could not be decoded (the line is then an error line).
  std::string categorizeOne(std::string_view line, bool& ok);
  std::string categorizeOne(const InputRecord& participant, bool& ok);
  // The structured result behind the last categorizeOne.
  const Categorization& lastResult() const;

  // The execution budget per rule of every worker (Evaluator::setBudget).
  void setBudget(uint64_t units);

 private:
  struct Worker;
  const LoadedProgram& program_;
  Schema schema_;  // the program's schema with the participant record as its root
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace daliz

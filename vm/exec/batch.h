#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vm/decode/input_record.h"
#include "vm/exec/decision.h"
#include "vm/exec/evaluator.h"
#include "vm/exec/loaded_program.h"
#include "vm/exec/shards.h"

namespace daliz {

// Decides declarations on a fixed number of threads. Output i is the decision for input i
// whatever the thread count: the split is by position and each output is written into its
// own slot, so results are byte-identical for 1 and N threads.
class BatchRunner {
 public:
  // `backend`: Evaluator::Backend::Interpreter ignores the program's compiled code (tests
  // compare the two back ends with it).
  BatchRunner(const LoadedProgram& program, unsigned threads,
              Evaluator::Backend backend = Evaluator::Backend::Default);
  ~BatchRunner();

  // Fills outputs (resized to lines.size()) with one JSON decision line each (no newline), in
  // the view of setView. `officer`, when given, gets the officer view of each as well (the
  // decision of record, for a decision log).
  void run(const std::vector<std::string_view>& lines, std::vector<std::string>& outputs,
           BatchCounts& counts, std::vector<std::string>* officer = nullptr);

  // The decision line for one declaration, on the calling thread's worker 0; `ok` is false for
  // an error decision (not decodable, or over the execution budget).
  std::string decideOne(std::string_view line, bool& ok, std::string* officer = nullptr);
  std::string decideOne(const InputRecord& declaration, bool& ok);
  // The structured decision behind the last decideOne.
  const Decision& lastDecision() const;

  // The execution budget per declaration of every worker (Evaluator::setBudget).
  void setBudget(uint64_t units);
  // Whom the decision lines are for (DecisionView; default the officer).
  void setView(DecisionView view) { view_ = view; }

 private:
  struct Worker;
  const LoadedProgram& program_;
  std::vector<std::unique_ptr<Worker>> workers_;
  DecisionView view_ = DecisionView::Officer;
};

}  // namespace daliz

// daliz categorize: the category of each participant (JSON Lines) by the bundle's categorize
// block. Input, output, threads and per-line errors work as in `daliz run` (run.cpp).
#include <iostream>

#include "cli/bundle_file.h"
#include "cli/commands.h"
#include "cli/diagnostics_output.h"
#include "cli/json_lines.h"
#include "vm/exec/categorize_batch.h"

namespace daliz::cli {

int runCategorize(const Options& o) {
  auto program = loadBundleFile(o);
  if (!program) return 1;
  if (!program->program.categorization) {
    printError(Diag::NoCategorizeBlock, {o.bundle});
    return 1;
  }
  CategorizeBatch batch(*program, workerThreads(o.threads));
  batch.setBudget(o.budget);
  BatchCounts counts;
  auto decide = [&](const std::vector<std::string_view>& lines, std::vector<std::string>& out, BatchCounts& c) {
    batch.run(lines, out, c);
    return true;
  };
  if (int status = processJsonLines(o.in, o.out, "participants", decide, counts); status != 0) return status;
  if (counts.errors > 0) {
    std::cerr << "daliz: " << counts.errors << " of " << counts.ok + counts.errors
              << " participants could not be categorised (status \"error\")\n";
    return 2;
  }
  return 0;
}

}  // namespace daliz::cli

// daliz run and daliz disasm: load a bundle (untrusted: verified first), then decide.
#include <iostream>

#include "cli/bundle_file.h"
#include "cli/commands.h"
#include "cli/json_lines.h"
#include "vm/bytecode/disassembler.h"
#include "vm/exec/batch.h"

namespace daliz::cli {

int runRun(const Options& o) {
  auto program = loadBundleFile(o);
  if (!program) return 1;
  BatchRunner runner(*program, workerThreads(o.threads));
  BatchCounts counts;
  auto decide = [&](const std::vector<std::string_view>& lines, std::vector<std::string>& out, BatchCounts& c) {
    runner.run(lines, out, c);
  };
  if (int status = processJsonLines(o.in, o.out, "declarations", decide, counts); status != 0) return status;
  if (counts.errors > 0) {
    std::cerr << "daliz: " << counts.errors << " of " << counts.ok + counts.errors
              << " declarations could not be evaluated (status \"error\")\n";
    return 2;
  }
  return 0;
}

int runDisasm(const Options& o) {
  auto program = loadBundleFile(o);
  if (!program) return 1;
  std::cout << disassemble(program->program, program->contentHash);
  return 0;
}

}  // namespace daliz::cli

// daliz categorize: the category of each participant (JSON Lines) by the bundle's categorize
// block. Input, output, threads and per-line errors work as in `daliz run` (run.cpp).
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <thread>

#include "cli/bundle_file.h"
#include "cli/commands.h"
#include "cli/files.h"
#include "vm/exec/categorize_batch.h"

namespace daliz::cli {
namespace {

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

int runCategorize(const Options& o) {
  auto program = loadBundleFile(o);
  if (!program) return 1;
  if (!program->program.categorization) {
    std::cerr
        << "daliz: error: `" << o.bundle
        << "` has no categorize block: compile sources that declare `categorize \"ID\" { … }`\n";
    return 1;
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (!o.in.empty() && o.in != "-") {
    file.open(o.in, std::ios::binary);
    if (!file) {
      std::cerr << "daliz: error: cannot read `" << o.in << "`\n";
      return 1;
    }
    in = &file;
  }
  const unsigned threads =
      o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  CategorizeBatch batch(*program, threads);
  const bool toFile = !o.out.empty() && o.out != "-";
  const bool progress = ::isatty(2) != 0;
  std::string output;  // the whole output when writing a file (written atomically at the end)
  constexpr size_t kChunk = 16384;
  std::vector<std::string> lines;
  std::vector<std::string_view> views;
  std::vector<std::string> results;
  BatchCounts counts;
  std::string line;
  bool more = true;
  while (more) {
    lines.clear();
    while (lines.size() < kChunk && (more = static_cast<bool>(std::getline(*in, line))))
      if (!blank(line)) lines.push_back(std::move(line));
    if (in->bad()) {
      std::cerr << "daliz: error: read error on the input\n";
      return 1;
    }
    views.assign(lines.begin(), lines.end());
    batch.run(views, results, counts);
    std::string chunk;
    for (const std::string& r : results) chunk += r + "\n";
    if (toFile) {
      output += chunk;
    } else {
      std::cout << chunk;
      if (!std::cout) {
        std::cerr << "daliz: error: cannot write the output\n";
        return 1;
      }
    }
    if (progress) std::cerr << "\r" << counts.ok + counts.errors << " participants" << std::flush;
  }
  if (progress) std::cerr << "\n";
  if (toFile) {
    std::string why;
    if (!writeFileAtomically(o.out, output, why)) {
      std::cerr << "daliz: error: cannot write `" << o.out << "`: " << why << "\n";
      return 1;
    }
  } else {
    std::cout.flush();
  }
  if (counts.errors > 0) {
    std::cerr << "daliz: " << counts.errors << " of " << counts.ok + counts.errors
              << " participants could not be categorised (status \"error\")\n";
    return 2;
  }
  return 0;
}

}  // namespace daliz::cli

#include "cli/json_lines.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <iostream>
#include <thread>

#include "cli/diagnostics_output.h"
#include "cli/files.h"
#include "vm/limits.h"

namespace daliz::cli {
namespace {

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

constexpr size_t kChunk = 16384;

// Reads up to kChunk non-blank lines into `lines`. Returns false on a read error.
bool readChunk(std::istream& in, std::vector<std::string>& lines, bool& more) {
  lines.clear();
  std::string line;
  while (lines.size() < kChunk && (more = static_cast<bool>(std::getline(in, line))))
    if (!blank(line)) lines.push_back(std::move(line));
  return !in.bad();
}

}  // namespace

unsigned workerThreads(unsigned requested) {
  unsigned n = requested ? requested : std::thread::hardware_concurrency();
  return std::clamp(n, 1u, static_cast<unsigned>(limits::kThreads));
}

int processJsonLines(const std::string& inPath, const std::string& outPath, const char* noun,
                     const DecideChunk& decide, BatchCounts& counts) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (!inPath.empty() && inPath != "-") {
    file.open(inPath, std::ios::binary);
    if (!file) {
      printError(Diag::CannotOpenInput, {inPath});
      return 1;
    }
    in = &file;
  }
  const bool toFile = !outPath.empty() && outPath != "-";
  AtomicFile out;
  std::string why;
  if (toFile && !out.open(outPath, why)) {
    printError(Diag::CannotWriteFile, {outPath, why});
    return 1;
  }
  const bool progress = ::isatty(2) != 0;
  std::vector<std::string> current, next;
  std::vector<std::string_view> views;
  std::vector<std::string> results;
  std::string text;
  bool more = true;
  if (!readChunk(*in, current, more)) {
    printError(Diag::InputReadError);
    return 1;
  }
  for (;;) {
    // The next chunk is read on another thread while this one is decided.
    std::future<bool> reading;
    bool nextMore = false;
    if (more) reading = std::async(std::launch::async, [&] { return readChunk(*in, next, nextMore); });
    views.assign(current.begin(), current.end());
    if (!decide(views, results, counts)) {
      if (reading.valid()) reading.wait();
      return 1;
    }
    text.clear();
    for (const std::string& r : results) {
      text += r;
      text += '\n';
    }
    bool written = toFile ? out.append(text, why) : static_cast<bool>(std::cout.write(text.data(), static_cast<std::streamsize>(text.size())));
    bool readOk = !reading.valid() || reading.get();
    if (!written) {
      if (toFile) printError(Diag::CannotWriteFile, {outPath, why});
      else printError(Diag::CannotWriteOutput);
      return 1;
    }
    if (!readOk) {
      printError(Diag::InputReadError);
      return 1;
    }
    if (progress) std::cerr << "\r" << counts.ok + counts.errors << " " << noun << std::flush;
    if (!more) break;
    more = nextMore;
    std::swap(current, next);
  }
  if (progress) std::cerr << "\n";
  if (toFile) {
    if (!out.commit(why)) {
      printError(Diag::CannotWriteFile, {outPath, why});
      return 1;
    }
  } else {
    std::cout.flush();
    if (!std::cout) {
      printError(Diag::CannotWriteOutput);
      return 1;
    }
  }
  return 0;
}

}  // namespace daliz::cli

#pragma once
// The JSON Lines loop shared by `daliz run` and `daliz categorize` (docs/cli.md).
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vm/exec/batch.h"

namespace daliz::cli {

// Decides one chunk of input lines: fills outputs[i] (resized to lines.size()) for lines[i]
// and adds to counts. Returns false to stop the run (after printing why): that chunk's outputs
// are not written, and an output file is not published.
using DecideChunk =
    std::function<bool(const std::vector<std::string_view>& lines, std::vector<std::string>& outputs, BatchCounts& counts)>;

// Reads `inPath` (stdin when empty or "-") in chunks, skipping blank lines, and hands each chunk
// to `decide` while the next chunk is read, so reading overlaps deciding. Results are written in
// input order, one per line, to stdout or to `outPath`, a file then published atomically (a
// temporary file beside it, renamed at the end: never a partial output). Returns 0, or 1 after
// printing a message when the input cannot be read or the output cannot be written. `noun`
// names the records in the progress line ("declarations").
int processJsonLines(const std::string& inPath, const std::string& outPath, const char* noun,
                     const DecideChunk& decide, BatchCounts& counts);

// The worker thread count for `--threads N`: N, or the number of cores when 0, at most 256
// (more workers than that only cost memory: each holds its own decoder and evaluator).
unsigned workerThreads(unsigned requested);

}  // namespace daliz::cli

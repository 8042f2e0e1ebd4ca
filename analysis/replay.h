#pragma once
// Replaying recorded declarations through a bundle, for the analysis reports (docs/backtest.md).
// The declarations are decided exactly as `daliz run` decides them (same decoder, same VM, as of
// their `registered` date); what the reports need of each decision is kept in a compact form.
#include <array>
#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vm/exec/loaded_program.h"
#include "vm/value/date.h"

namespace daliz::analysis {

// One (profile, item) that fired; item is -1 for a declaration-scope profile.
struct ReplayHit {
  uint32_t profile = 0;  // index into Program::profiles
  int64_t item = -1;
  bool operator==(const ReplayHit&) const = default;
};

// What the reports use of one decision.
struct Replayed {
  bool ok = false;
  std::string id;      // the declaration's id, "" when it has none
  std::string error;   // when !ok
  uint8_t corridor = 0;
  std::vector<ReplayHit> hits;  // by profile (id order), then item
  std::optional<std::string> office;  // the customs office of registration: which plan governs
};

// Decides lines on a fixed number of threads; result i belongs to line i whatever the count.
class Replayer {
 public:
  Replayer(const LoadedProgram& program, unsigned threads);
  ~Replayer();
  void decide(const std::vector<std::string_view>& lines, std::vector<Replayed>& out);

 private:
  struct Worker;
  std::vector<std::unique_ptr<Worker>> workers_;
};

// Reads a history (JSON Lines) in chunks: blank lines are skipped, line numbers are 1-based
// positions in the file (blank lines counted).
class LineReader {
 public:
  explicit LineReader(std::istream& in) : in_(in) {}
  // Fills `lines`/`numbers` with up to `max` non-blank lines; false at the end (nothing read).
  // Sets `failed` on a read error.
  bool next(size_t max, std::vector<std::string>& lines, std::vector<size_t>& numbers);
  bool failed() const { return failed_; }

 private:
  std::istream& in_;
  size_t number_ = 0;
  bool failed_ = false;
};

// The threads to use by default: the number of cores (at least 1).
unsigned defaultThreads();

// Counts of the four corridors, indexed 0 green, 1 blue, 2 yellow, 3 red.
using CorridorCounts = std::array<size_t, 4>;

// A line that could not be used, with the reason.
struct LineError {
  size_t line = 0;
  std::string id;       // "" when unknown
  std::string message;
};

// At most this many line errors are kept in a report (all are counted).
inline constexpr size_t kMaxListedErrors = 20;

// "draft", "active", "suspended".
const char* statusName(uint8_t status);

}  // namespace daliz::analysis

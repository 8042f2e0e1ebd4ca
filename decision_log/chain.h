#pragma once
// Checking a decision log's hash chain (record.h), record after record, as `daliz replay` does.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "decision_log/record.h"

namespace daliz::decision_log {

class ChainCheck {
 public:
  // The problems of `r`, read from `line`, as the record after those checked so far: a record
  // number out of sequence, a prev hash that is not the previous line's, an input that does not
  // match its hash. Empty when it follows the chain.
  std::vector<std::string> next(std::string_view line, const Record& r);
  // Records checked, and the hash of the last one's line (the log's head: compare it with a
  // copy kept elsewhere to detect records cut from the end).
  uint64_t count() const { return count_; }
  const std::string& head() const { return prev_; }

 private:
  std::string prev_{kGenesis};
  uint64_t lastN_ = 0;
  uint64_t count_ = 0;
};

}  // namespace daliz::decision_log

#include "decision_log/chain.h"

namespace daliz::decision_log {

std::vector<std::string> ChainCheck::next(std::string_view line, const Record& r) {
  std::vector<std::string> problems;
  if (r.n != lastN_ + 1) {
    if (r.n > lastN_ + 1)
      problems.push_back("record " + std::to_string(r.n) + " follows record " +
                         std::to_string(lastN_) + ": " + std::to_string(r.n - lastN_ - 1) +
                         " record(s) missing before it");
    else
      problems.push_back("record " + std::to_string(r.n) + " follows record " +
                         std::to_string(lastN_) + ": records out of order or repeated");
  }
  if (r.prev != prev_)
    problems.push_back(
        "record " + std::to_string(r.n) +
        ": its prev hash is not that of the line before it: that line was changed, or "
        "lines were removed or inserted before it");
  if (r.input && sha256Hex(*r.input) != r.inputSha256)
    problems.push_back("record " + std::to_string(r.n) +
                       ": its input does not match its input_sha256: the input was changed");
  prev_ = sha256Hex(line);
  lastN_ = r.n;
  ++count_;
  return problems;
}

}  // namespace daliz::decision_log

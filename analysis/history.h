#pragma once
// The history format of `daliz backtest` and `daliz diff` (docs/backtest.md): JSON Lines, each
// line a past declaration (decoded exactly like `daliz run` input) plus an "outcome" object
// with the result of its control.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vm/value/date.h"
#include "vm/value/decimal.h"

namespace daliz::analysis {

struct Outcome {
  bool controlled = false;          // any control was carried out (before or after release)
  bool violation = false;           // the control found a violation
  std::string measure;              // the measure that found it; "" when not given
  std::optional<Decimal> duties;    // additional duties assessed, in the national currency
};

// What the analysis reads of a history line besides the declaration itself.
struct HistoryFields {
  bool json = false;                // the line is a JSON object
  std::optional<Date> registered;   // the declaration's `registered`, when it is a valid date
  bool hasOutcome = false;          // an "outcome" member is present (not null)
  Outcome outcome;
  std::string outcomeError;         // "" when the outcome is valid (or absent)
};

// Reads the history fields of lines. Keeps its parser between calls; one per thread.
class HistoryFieldReader {
 public:
  HistoryFieldReader();
  ~HistoryFieldReader();
  HistoryFieldReader(const HistoryFieldReader&) = delete;
  HistoryFieldReader& operator=(const HistoryFieldReader&) = delete;

  // Never throws. Amounts are read from the JSON token's text, never through a double.
  HistoryFields read(std::string_view line);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace daliz::analysis

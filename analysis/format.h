#pragma once
// Formatting shared by the report renderers (internal to analysis/).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/backtest.h"
#include "analysis/diff.h"
#include "vm/value/decimal.h"

namespace daliz::analysis::fmt {

// "71.9%" (one decimal by default); "n/a" for none.
std::string percent(double share, int decimals = 1);
std::string percent(const std::optional<double>& share, int decimals = 1);
// A share's interval: "1.1–28.3%"; "n/a" for none.
std::string percentRange(const std::optional<Interval>& range);
// "2.35"; "n/a" for none.
std::string ratio(const std::optional<double>& value);
// A share or ratio as a JSON number with 6 fractional digits; "null" for none.
std::string jsonNumber(const std::optional<double>& value);
// Money with exactly 2 fractional digits.
std::string money(Decimal d);
// The same; "n/a" for none.
std::string money(const std::optional<Decimal>& d);
// The measured risk level ("high"), or "n/a" without controlled hits.
std::string measuredLevel(const ProfileFigures& p);
// The figures behind a measured risk level, for a reader: "1 of 16 controlled hits, hit rate
// 6.2%, 95% interval 1.1–28.3%: 934000.00 .. 23800000.00, medium .. high". p.risk must be set.
std::string riskEvidence(const ProfileFigures& p);
// "green", "blue", "yellow", "red".
const char* corridor(uint8_t c);
// The first 16 hex digits of a content hash ("" → "(in memory)").
std::string shortHash(const std::string& hash);
// A JSON string literal.
std::string jsonString(std::string_view s);
// Text escaped for HTML content and attribute values.
std::string html(std::string_view s);
// The number of characters (UTF-8 code points) of s.
size_t width(std::string_view s);
// "green→yellow 10, yellow→yellow 2": the non-zero cells, most first.
std::string moves(const Matrix& m, std::string_view arrow = "→");
// sample p%: "3%", "0.5%".
std::string samplePercent(uint32_t basisPoints);

// A corridor's planned range as the language writes it ("1%..3%"); "-" when not planned.
std::string planRange(const CorridorCheck& c);
// The observed share and count: "3.0% (30)"; "-" for a plan without declarations.
std::string planObserved(const CorridorCheck& c, size_t declarations);
// "below", "above" for a share outside its range; "" otherwise.
std::string planFlag(const CorridorCheck& c);
// The office a plan is for: its code, or "general" for the general plan.
std::string planOffice(const PlanCheck& p);

// The plans of a diff's two bundles side by side, matched by office: the new bundle's plans in
// its order (each with the old bundle's plan for the same office, or null), then the old
// bundle's plans for offices the new one has no plan for (with null).
std::vector<std::pair<const PlanCheck*, const PlanCheck*>> planPairs(const PlanComparison& old,
                                                                     const PlanComparison& neu);

// A text table with fixed-width columns.
class Table {
 public:
  // align: one char per column, 'l' or 'r'.
  explicit Table(std::string align) : align_(std::move(align)) {}
  void row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  std::string render(std::string_view indent = "") const;

 private:
  std::string align_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace daliz::analysis::fmt

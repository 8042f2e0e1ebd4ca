#pragma once
// The three renderings of the analysis reports (docs/backtest.md): a terminal table, JSON for
// machines (keys in a fixed order) and one self-contained HTML file with inline SVG charts.
#include <string>

#include "analysis/backtest.h"
#include "analysis/diff.h"

namespace daliz::analysis {

std::string backtestText(const BacktestReport& r);
std::string backtestJson(const BacktestReport& r);
std::string backtestHtml(const BacktestReport& r);

std::string diffText(const DiffReport& r);
std::string diffJson(const DiffReport& r);
std::string diffHtml(const DiffReport& r);

}  // namespace daliz::analysis

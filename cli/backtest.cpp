// daliz backtest and daliz diff: replay a history of declarations (docs/backtest.md).
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "analysis/backtest.h"
#include "analysis/diff.h"
#include "analysis/report.h"
#include "cli/bundle_file.h"
#include "cli/commands.h"
#include "cli/diagnostics_output.h"
#include "cli/files.h"
#include "cli/json_lines.h"

namespace daliz::cli {
namespace {

// "0.05" or "5%": a share between 0 and 1.
bool parseShare(const std::string& text, double& out) {
  if (text.empty()) return false;
  std::string t = text;
  double scale = 1.0;
  if (t.back() == '%') {
    t.pop_back();
    scale = 100.0;
  }
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size() || !(v >= 0)) return false;
  out = v / scale;
  return out <= 1.0;
}

// "LOW_MAX,MEDIUM_MAX": two amounts, 0 <= LOW_MAX < MEDIUM_MAX.
bool parseLevelThresholds(const std::string& text, Decimal& lowMax, Decimal& mediumMax) {
  const size_t comma = text.find(',');
  if (comma == std::string::npos) return false;
  auto low = parseDecimal(std::string_view(text).substr(0, comma));
  auto medium = parseDecimal(std::string_view(text).substr(comma + 1));
  if (!low || !medium || *low < Decimal{0} || !(*low < *medium)) return false;
  lowMax = *low;
  mediumMax = *medium;
  return true;
}

// Writes the report to --out (atomically) or stdout; returns false with a message on failure.
bool emit(const Options& o, const std::string& report) {
  if (!o.out.empty() && o.out != "-") {
    std::string why;
    if (!writeFileAtomically(o.out, report, why)) {
      printError(Diag::CannotWriteFile, {o.out, why});
      return false;
    }
    return true;
  }
  std::cout << report;
  std::cout.flush();
  if (!std::cout) {
    printError(Diag::CannotWriteOutput);
    return false;
  }
  return true;
}

// The history file, or stdin for "-"; null (with a message) when it cannot be opened.
std::istream* openHistory(const std::string& path, std::ifstream& file) {
  if (path == "-") return &std::cin;
  file.open(path, std::ios::binary);
  if (!file) {
    printError(Diag::CannotReadHistory, {path});
    return nullptr;
  }
  return &file;
}

int finish(size_t errors, size_t lines, bool readFailed) {
  if (readFailed) {
    printError(Diag::HistoryReadError);
    return 1;
  }
  if (errors > 0) {
    std::cerr << "daliz: " << errors << " of " << lines << " history lines could not be used (listed in the report)\n";
    return 2;
  }
  return 0;
}

}  // namespace

int runBacktest(const Options& o, const ReportOptions& r) {
  analysis::BacktestOptions opt;
  opt.minControls = r.minControls;
  if (!parseShare(r.minHitRate, opt.minHitRate)) {
    printError(
        Diag::BadOptionValue,
        {"--min-hit-rate", "a share between 0 and 1 (0.05) or a percentage (5%)", r.minHitRate});
    return 1;
  }
  if (!r.levelThresholds.empty() &&
      !parseLevelThresholds(r.levelThresholds, opt.lowLevelMax, opt.mediumLevelMax)) {
    printError(Diag::BadOptionValue,
               {"--level-thresholds",
                "two amounts LOW_MAX,MEDIUM_MAX with 0 <= LOW_MAX < MEDIUM_MAX (500000,2500000)",
                r.levelThresholds});
    return 1;
  }
  opt.threads = workerThreads(o.threads);
  auto program = loadBundleFile(o);
  if (!program) return 1;
  std::ifstream file;
  std::istream* in = openHistory(o.in, file);
  if (!in) return 1;
  analysis::BacktestReport report = analysis::runBacktestReport(*program, *in, opt);
  report.bundleName = o.bundle;
  report.historyName = o.in;
  if (report.readFailed) return finish(0, 0, true);
  const std::string text = r.format == "json"   ? analysis::backtestJson(report)
                           : r.format == "html" ? analysis::backtestHtml(report)
                                                : analysis::backtestText(report);
  if (!emit(o, text)) return 1;
  return finish(report.errors, report.lines, false);
}

int runDiff(const Options& o, const ReportOptions& r) {
  Options oldOptions = o, newOptions = o;
  oldOptions.bundle = r.oldBundle;
  newOptions.bundle = r.newBundle;
  auto oldProgram = loadBundleFile(oldOptions);
  if (!oldProgram) return 1;
  auto newProgram = loadBundleFile(newOptions);
  if (!newProgram) return 1;
  std::ifstream file;
  std::istream* in = openHistory(o.in, file);
  if (!in) return 1;
  analysis::DiffOptions opt;
  opt.samples = r.samples;
  opt.threads = workerThreads(o.threads);
  analysis::DiffReport report = analysis::runDiffReport(*oldProgram, *newProgram, *in, opt);
  report.oldName = r.oldBundle;
  report.newName = r.newBundle;
  report.historyName = o.in;
  if (report.readFailed) return finish(0, 0, true);
  const std::string text = r.format == "json"   ? analysis::diffJson(report)
                           : r.format == "html" ? analysis::diffHtml(report)
                                                : analysis::diffText(report);
  if (!emit(o, text)) return 1;
  return finish(report.errors, report.lines, false);
}

}  // namespace daliz::cli

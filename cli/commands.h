#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace daliz::cli {

struct Options {
  std::vector<std::string> files;
  std::string schema, ref, out, in, bundle;
  bool includeDrafts = false;
  uint64_t seed = 0;
  unsigned threads = 0;
  std::vector<std::string> trust;  // public key files whose signatures approve a bundle
  size_t require = 1;              // how many trusted signatures approve it
  std::string key;                 // a secret key file (sign) or a key pair name (keygen)
};

// Each returns the process exit code (docs/cli.md).
int runCheck(const Options& o);
int runTest(const Options& o);
int runCompile(const Options& o);
int runRun(const Options& o);
int runDisasm(const Options& o);
int runCategorize(const Options& o);
int runKeygen(const Options& o);
int runSign(const Options& o);
int runVerify(const Options& o);

// backtest and diff (docs/backtest.md): the history is Options::in, the report goes to Options::out.
struct ReportOptions {
  std::string format = "text";       // text | json | html
  size_t minControls = 20;           // backtest --min-controls
  std::string minHitRate = "0.05";   // backtest --min-hit-rate: "0.05" or "5%"
  size_t samples = 10;               // diff --samples
  std::string oldBundle, newBundle;  // diff OLD NEW
};
int runBacktest(const Options& o, const ReportOptions& r);
int runDiff(const Options& o, const ReportOptions& r);

// lint (docs/lint.md): the sources are Options::files, with --schema and --ref as for check.
struct LintOptions {
  std::string today;    // --today YYYY-MM-DD; default: the system clock's date
  bool strict = false;  // --strict: exit 1 when there are warnings
};
int runLint(const Options& o, const LintOptions& l);


}  // namespace daliz::cli

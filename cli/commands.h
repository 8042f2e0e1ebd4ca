#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vm/limits.h"

namespace daliz::assign {
class Assigner;
}

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
  uint64_t budget = limits::kWorkPerDeclaration;  // --budget: work per declaration (docs/limits.md)
  bool jit = false;  // --jit: compile the bundle's profiles with the LLVM JIT (docs/jit.md)
  bool ir = false, assembly = false;  // disasm --ir / --asm: a profile's LLVM IR / machine code
  std::string profile;                // disasm --profile: only this profile
  std::string hostKey;                // --host-key: this host's secret key, opens sealed bundles
  std::string kind = "approver";      // keygen --kind: approver (Ed25519) or host (X25519)
  std::vector<std::string> to;        // seal --to: the hosts' public key files
};

// sign: the approval metadata it sets (vm/bundle/approval.h); all unset keeps the file's own.
struct ApprovalOptions {
  std::optional<uint64_t> sequence;
  std::string act, actDate, effectiveFrom;  // effectiveFrom: "YYYY-MM-DD[THH:MM:SSZ]"
  bool given() const {
    return sequence || !act.empty() || !actDate.empty() || !effectiveFrom.empty();
  }
};

// check: how diagnostics are printed, and whether fix-its are applied first.
struct CheckOptions {
  std::string format = "text";  // --format text | json | sarif
  bool fix = false;             // --fix: apply the unambiguous fix-its, then check again
};

// Each returns the process exit code (docs/cli.md).
int runCheck(const Options& o, const CheckOptions& k);
int runTest(const Options& o);
int runCompile(const Options& o);
int runDisasm(const Options& o);
int runCategorize(const Options& o);
int runKeygen(const Options& o);
int runSign(const Options& o, const ApprovalOptions& a);
int runVerify(const Options& o);
int runSeal(const Options& o);  // docs/bundle.md, "Sealed bundles"

// The decision log options of run and serve (docs/decision_log.md).
struct LogOptions {
  std::string path;                  // --log FILE ("" : no log)
  bool noInput = false;              // --log-no-input: log each input's hash only
  uint64_t maxBytes = 256ull << 20;  // --log-max-bytes: rotate at this size
  unsigned syncMs = 100;             // --log-fsync-ms: 0 syncs after every record
};

// run: streaming and logging.
struct RunOptions {
  bool stream = false;  // --stream: answer each line as soon as it is read
  std::string view = "officer";  // --view: officer, declarant or audit (DecisionView)
  LogOptions log;
};
int runRun(const Options& o, const RunOptions& r);

// serve (docs/serve.md): the bundle (file or folder) is Options::bundle; the policy --trust.
// assign (docs/assign.md): officers to selected declarations. The decisions are Options::in, the
// assignments go to Options::out.
struct AssignOptions {
  std::string officers;      // --officers: the roster (JSON Lines)
  std::string state;         // --state: the state file, read if present, written after
  std::string weights;       // --weights: the settings file (weights, rotation)
  bool postRelease = false;  // --post-release: blue decisions get an officer too
  bool loads = false;        // --loads: print the load per officer to stderr at the end
  uint64_t seed = 0;         // --seed (serve: --assign-seed): the tie-break's seed
};

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  bool insecureDev = false;
  unsigned workers = 0, queue = 64, connections = 64;
  size_t maxBody = 64u << 20;
  unsigned deadlineMs = 2000, pollMs = 1000;
  size_t planWindow = 10000;  // --plan-window: decisions the plan gauges cover
  std::string adminTokenFile;
  LogOptions log;
  AssignOptions assign;  // POST /v1/assign with --officers (--assign-state, --assign-weights, …)
};
int runServe(const Options& o, const ServeOptions& s);

// replay (docs/decision_log.md): re-decides a decision log with the bundles of an archive.
struct ReplayOptions {
  std::string log;      // the log file; its rotated files log.000001… are read first
  std::string bundles;  // folder of the bundles the log names, found by content hash
  size_t show = 20;     // differences and breaks printed in full
};
int runReplay(const Options& o, const ReplayOptions& r);

// backtest and diff (docs/backtest.md): the history is Options::in, the report goes to
// Options::out.
struct ReportOptions {
  std::string format = "text";       // text | json | html
  size_t minControls = 20;           // backtest --min-controls
  std::string minHitRate = "0.05";   // backtest --min-hit-rate: "0.05" or "5%"
  std::string levelThresholds;       // backtest --level-thresholds LOW_MAX,MEDIUM_MAX; "": defaults
  size_t samples = 10;               // diff --samples
  std::string oldBundle, newBundle;  // diff OLD NEW
};
int runBacktest(const Options& o, const ReportOptions& r);
int runDiff(const Options& o, const ReportOptions& r);

// lint (docs/lint.md): the sources are Options::files, with --schema and --ref as for check.
struct LintOptions {
  std::string today;    // --today YYYY-MM-DD; default: the system clock's date
  bool strict = false;  // --strict: exit 1 when there are warnings
  std::string format = "text";  // --format text | json | sarif
};
int runLint(const Options& o, const LintOptions& l);

// The assigner of `a`'s roster, settings and state (a missing state file: a new shift); null
// after printing why not. `daliz serve --officers` uses it too.
std::unique_ptr<assign::Assigner> loadAssigner(const AssignOptions& a);
int runAssign(const Options& o, const AssignOptions& a);

}  // namespace daliz::cli

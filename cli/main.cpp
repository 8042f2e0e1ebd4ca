// The `daliz` command line (docs/cli.md).
#include <pthread.h>

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/commands.h"
#include "cli/diagnostics_output.h"
#include "daliz/daliz.h"
#include "daliz/daliz_c.h"

namespace {

// Runs `body` on a thread with a 1 GiB stack (reserved, committed only as used): parsing and
// checking recurse over the source's nesting, and hostile but legal input (tens of thousands
// of nested `not`s, long indicator chains) must get a diagnostic, never a stack overflow.
int onLargeStack(const std::function<int()>& body) {
  struct Call {
    const std::function<int()>* body;
    int result = 1;
  } call{&body};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, size_t{1} << 30);
  pthread_t thread;
  auto run = [](void* p) -> void* {
    auto* c = static_cast<Call*>(p);
    c->result = (*c->body)();
    return nullptr;
  };
  if (pthread_create(&thread, &attr, run, &call) != 0) {
    pthread_attr_destroy(&attr);
    return body();  // no big stack to be had: run on this one
  }
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  return call.result;
}

int dispatch(int argc, char** argv);

}  // namespace

int main(int argc, char** argv) {
  return onLargeStack([&] { return dispatch(argc, argv); });
}

namespace {

int dispatch(int argc, char** argv) {
  CLI::App app{"daliz: compiler and VM for customs risk profiles"};
  app.set_version_flag("--version", std::string("daliz ") + daliz::api::version() +
                                        "\nbundle format " +
                                        std::to_string(daliz::api::bundleFormatVersion()) +
                                        "\nstdlib " + daliz::api::stdlibVersion() + "\nC ABI " +
                                        std::to_string(DALIZ_ABI_VERSION));
  app.require_subcommand(1);
  daliz::cli::Options o;

  auto sources = [&](CLI::App* cmd) {
    cmd->add_option("files", o.files, "profile sources (.dlz)")->required();
    cmd->add_option("--schema", o.schema, "replace the stdlib's declaration schema with this file");
    cmd->add_option("--ref", o.ref,
                    "folder of the tables' CSV files (default: beside each source)");
  };
  auto* check = app.add_subcommand("check", "parse and type-check profile sources");
  sources(check);
  daliz::cli::CheckOptions co;
  check
      ->add_option("--format", co.format,
                   "how diagnostics are printed: text (default), json or sarif")
      ->check(CLI::IsMember(daliz::cli::kDiagnosticFormats));
  check->add_flag("--fix", co.fix,
                  "apply the unambiguous fix-its to the files, then check them again");
  auto* test = app.add_subcommand("test", "check, then run every test block");
  sources(test);
  test->add_flag("--include-drafts", o.includeDrafts, "let draft profiles take part");
  auto* compile = app.add_subcommand("compile", "check, test and write a reproducible bundle");
  sources(compile);
  compile->add_option("-o,--out", o.out, "the bundle to write")->required();
  compile->add_flag("--include-drafts", o.includeDrafts, "let draft profiles take part");
  compile->add_option("--seed", o.seed, "seed of `sample` selection (default 0)");
  auto hostKey = [&](CLI::App* cmd) {
    cmd->add_option("--host-key", o.hostKey,
                    "this host's secret key file: opens bundles sealed for it (daliz seal)");
  };
  auto jit = [&](CLI::App* cmd) {
    cmd->add_flag("--jit", o.jit,
                  "compile the profiles to native code with the LLVM JIT (docs/jit.md)");
  };
  // run and categorize: a bundle applied to JSON Lines (cli/json_lines.h).
  auto jsonLines = [&](CLI::App* cmd, const char* bundle, const char* in, const char* out) {
    cmd->add_option("bundle", o.bundle, bundle)->required();
    cmd->add_option("--in", o.in, in);
    cmd->add_option("--out", o.out, out);
    cmd->add_option("--threads", o.threads, "worker threads (default: the number of cores)");
    cmd->add_option("--trust", o.trust,
                    "public key files: refuse the bundle unless signed by them");
    cmd->add_option("--require", o.require, "how many trusted signatures are needed (default 1)");
    hostKey(cmd);
    cmd->add_option("--budget", o.budget,
                    "units of work one declaration may take before it gets an error decision "
                    "(default 50000000)")
        ->check(CLI::PositiveNumber);
    jit(cmd);
  };
  auto* run = app.add_subcommand("run", "decide declarations (JSON Lines) with a bundle");
  jsonLines(run, "the compiled bundle", "declarations, one JSON object per line (default: stdin)",
            "decisions, one JSON object per line (default: stdout)");
  daliz::cli::RunOptions runOptions;
  run->add_flag("--stream", runOptions.stream,
                "answer each line as soon as it is read (stdin to stdout, flushed)");
  run->add_option("--view", runOptions.view,
                  "whom the decisions are for: officer (default), declarant or audit "
                  "(docs/language.md, \"Views of a decision\"); a --log keeps the officer's")
      ->check(CLI::IsMember({"officer", "declarant", "audit"}));
  auto logOptions = [&](CLI::App* cmd, daliz::cli::LogOptions& l) {
    cmd->add_option("--log", l.path,
                    "append every decision to this decision log (docs/decision_log.md)");
    cmd->add_flag("--log-no-input", l.noInput,
                  "log each input's SHA-256 only, not the input itself");
    cmd->add_option("--log-max-bytes", l.maxBytes,
                    "rotate the log at this size (default 268435456)");
    cmd->add_option("--log-fsync-ms", l.syncMs,
                    "fsync the log this often; 0 after every record (default 100)");
  };
  logOptions(run, runOptions.log);
  daliz::cli::ServeOptions so;  // docs/serve.md
  auto* serve = app.add_subcommand(
      "serve", "serve decisions over HTTP, reloading approved bundles without downtime");
  serve->add_option("bundles", o.bundle, "a bundle file, or a folder of *.bundle files")
      ->required();
  serve->add_option("--listen", so.listen,
                    "HOST:PORT to listen on (default 127.0.0.1:8080; port 0: any free one)");
  serve->add_option("--trust", o.trust,
                    "public key files of the approvers: only bundles they signed run");
  serve->add_option("--require", o.require, "how many trusted signatures are needed (default 1)");
  hostKey(serve);
  serve->add_flag("--insecure-dev", so.insecureDev, "accept unsigned bundles (development only)");
  serve->add_option("--workers", so.workers, "decisions at once (default: the number of cores)");
  serve->add_option("--queue", so.queue,
                    "requests that may wait for a worker; more get 503 (default 64)");
  serve->add_option("--connections", so.connections, "connections served at once (default 64)");
  serve->add_option("--max-body", so.maxBody,
                    "largest request body in bytes; larger get 413 (default 67108864)");
  serve->add_option("--deadline-ms", so.deadlineMs,
                    "longest wait for a worker before 503 (default 2000)");
  serve->add_option("--plan-window", so.planWindow,
                    "the last N decisions whose corridor shares the plan gauges show (default 10000)")
      ->check(CLI::Range(size_t{1}, size_t{10000000}));
  serve->add_option("--poll-ms", so.pollMs,
                    "how often bundles are rescanned besides change events (default 1000)");
  serve->add_option("--admin-token-file", so.adminTokenFile,
                    "file holding the token of POST /v1/admin/reload");
  serve
      ->add_option("--budget", o.budget,
                   "units of work one declaration may take before it gets an error decision "
                   "(default 50000000)")
      ->check(CLI::PositiveNumber);
  jit(serve);
  logOptions(serve, so.log);
  serve->add_option("--officers", so.assign.officers,
                    "the roster of officers: turns on POST /v1/assign (docs/assign.md)");
  serve->add_option("--assign-state", so.assign.state,
                    "the assignment state file: read at start, written after each /v1/assign");
  serve->add_option("--assign-weights", so.assign.weights,
                    "assignment settings file (docs/assign.md)");
  serve->add_option("--assign-seed", so.assign.seed,
                    "seed of the assignment tie-break (default 0)");
  serve->add_flag("--post-release", so.assign.postRelease,
                  "/v1/assign gives blue decisions an officer too");
  daliz::cli::AssignOptions as;  // docs/assign.md
  auto* assign = app.add_subcommand(
      "assign",
      "give each yellow and red decision an officer, balanced by workload, with rotation");
  assign->add_option("--officers", as.officers, "the roster of officers, one JSON object per line")
      ->required();
  assign->add_option("--in", o.in,
                     "decisions of daliz run, one JSON object per line (default: stdin)");
  assign->add_option("--out", o.out, "assignments, one JSON object per line (default: stdout)");
  assign->add_option("--state", as.state,
                     "the assignment state file: read if it exists, written atomically after");
  assign->add_option("--seed", as.seed,
                     "seed of the tie-break between equally loaded officers (default 0)");
  assign->add_option("--weights", as.weights,
                     "settings file: workload weights and rotation (default 10 per declaration, 5 "
                     "per goods item; at most 2 of a declarant's last 6)");
  assign->add_flag("--post-release", as.postRelease,
                   "assign blue decisions (post-release checks) too");
  assign->add_flag("--loads", as.loads, "print the load per officer to stderr at the end");
  daliz::cli::ReplayOptions rp;  // docs/decision_log.md
  auto* replay = app.add_subcommand(
      "replay", "re-decide a decision log with its bundles; check its hash chain");
  replay
      ->add_option("--log", rp.log,
                   "the decision log (its rotated files FILE.000001… are read first)")
      ->required();
  replay
      ->add_option("--bundles", rp.bundles,
                   "folder of the bundles the log names, found by content hash")
      ->required();
  replay->add_option("--threads", o.threads, "worker threads (default: the number of cores)");
  replay->add_option("--trust", o.trust,
                     "public key files: use only archived bundles signed by them");
  replay->add_option("--require", o.require, "how many trusted signatures are needed (default 1)");
  hostKey(replay);
  replay->add_option("--show", rp.show, "problems printed in full (default 20)");
  jit(replay);
  auto* categorize = app.add_subcommand(
      "categorize", "categorise participants (JSON Lines) as low, medium or high risk");
  jsonLines(categorize, "a compiled bundle with a categorize block",
            "participants, one JSON object per line (default: stdin)",
            "categories, one JSON object per line (default: stdout)");
  auto* disasm = app.add_subcommand("disasm", "print a bundle's profiles and bytecode");
  disasm->add_option("bundle", o.bundle, "the compiled bundle")->required();
  hostKey(disasm);
  auto* ir = disasm->add_flag(
      "--ir", o.ir, "print each profile's optimised LLVM IR (the JIT's translation) instead");
  disasm->add_flag("--asm", o.assembly, "print each profile's machine code (the JIT's) instead")
      ->excludes(ir);
  disasm->add_option("--profile", o.profile, "with --ir or --asm: only this profile");
  auto* keygen = app.add_subcommand(
      "keygen", "make an approver's Ed25519 key pair, or an engine host's X25519 key pair");
  keygen->add_option("--out", o.key, "writes NAME.key (secret) and NAME.pub")->required();
  keygen
      ->add_option("--kind", o.kind,
                   "approver (default: signs bundles) or host (opens sealed bundles)")
      ->check(CLI::IsMember({"approver", "host"}));
  auto* sign = app.add_subcommand("sign", "approve a bundle: add a signature to it");
  sign->add_option("bundle", o.bundle, "the bundle")->required();
  sign->add_option("--key", o.key, "the approver's secret key file")->required();
  daliz::cli::ApprovalOptions ao;  // docs/approval.md, "Approval metadata"
  sign->add_option("--sequence", ao.sequence,
                   "approval metadata: the set's sequence number (newer sets have greater ones)");
  sign->add_option("--act", ao.act, "approval metadata: the approval act's number");
  sign->add_option("--act-date", ao.actDate, "approval metadata: the act's date, YYYY-MM-DD");
  sign->add_option("--effective-from", ao.effectiveFrom,
                   "approval metadata: when the set may start deciding, YYYY-MM-DD or "
                   "YYYY-MM-DDTHH:MM:SSZ (default: the act date)");
  auto* verify = app.add_subcommand("verify", "check that a bundle is approved");
  verify->add_option("bundle", o.bundle, "the bundle")->required();
  verify->add_option("--trust", o.trust, "public key files of the approvers")->required();
  verify->add_option("--require", o.require, "how many trusted signatures are needed (default 1)");
  hostKey(verify);
  auto* seal = app.add_subcommand(
      "seal", "encrypt an approved bundle for engine hosts (docs/bundle.md, \"Sealed bundles\")");
  seal->add_option("bundle", o.bundle, "the approved (signed) bundle")->required();
  seal->add_option("--to", o.to, "the hosts' public key files (daliz keygen --kind host)")
      ->required();
  seal->add_option("-o,--out", o.out, "the sealed bundle to write")->required();
  daliz::cli::ReportOptions ro;  // backtest and diff (docs/backtest.md)
  auto report = [&](CLI::App* cmd) {
    cmd->add_option("--history", o.in, "past declarations with outcomes, one JSON object per line")
        ->required();
    cmd->add_option("--format", ro.format, "text (default), json or html")
        ->check(CLI::IsMember({"text", "json", "html"}));
    cmd->add_option("--out", o.out, "the report file (default: stdout)");
    cmd->add_option("--threads", o.threads, "worker threads (default: the number of cores)");
    cmd->add_option("--trust", o.trust, "public key files: refuse a bundle unless signed by them");
    cmd->add_option("--require", o.require, "how many trusted signatures are needed (default 1)");
    hostKey(cmd);
    jit(cmd);
  };
  auto* backtest = app.add_subcommand(
      "backtest", "replay a history with control outcomes: profile effectiveness");
  backtest->add_option("bundle", o.bundle, "the compiled bundle")->required();
  report(backtest);
  backtest->add_option("--min-controls", ro.minControls,
                       "controlled hits needed to judge a hit rate (default 20)");
  backtest->add_option("--min-hit-rate", ro.minHitRate,
                       "flag hit rates under this share (default 0.05, or 5%)");
  backtest->add_option(
      "--level-thresholds", ro.levelThresholds,
      "LOW_MAX,MEDIUM_MAX: expected duties per controlled hit of the measured risk "
      "levels, in tenge (default 500000,2500000)");
  auto* diff = app.add_subcommand(
      "diff", "impact of a new bundle on a history: corridor moves and their profiles");
  diff->add_option("old", ro.oldBundle, "the bundle in force")->required();
  diff->add_option("new", ro.newBundle, "the proposed bundle")->required();
  report(diff);
  diff->add_option("--samples", ro.samples,
                   "sample declarations that change corridor (default 10)");
  daliz::cli::LintOptions lo;  // docs/lint.md
  auto* lint = app.add_subcommand("lint",
                                  "warn about profiles that never fire, duplicates and profiles "
                                  "that never change the corridor");
  sources(lint);
  lint->add_option("--today", lo.today,
                   "the date validity ranges are judged against, YYYY-MM-DD (default: today)");
  lint->add_flag("--strict", lo.strict, "exit 1 when there are warnings");
  lint->add_option("--format", lo.format,
                   "how diagnostics are printed: text (default), json or sarif")
      ->check(CLI::IsMember(daliz::cli::kDiagnosticFormats));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; any usage error is a failed run (1), never 2.
    return app.exit(e) == 0 ? 0 : 1;
  }
  if (check->parsed()) return daliz::cli::runCheck(o, co);
  if (test->parsed()) return daliz::cli::runTest(o);
  if (compile->parsed()) return daliz::cli::runCompile(o);
  if (run->parsed()) return daliz::cli::runRun(o, runOptions);
  if (serve->parsed()) return daliz::cli::runServe(o, so);
  if (replay->parsed()) return daliz::cli::runReplay(o, rp);
  if (assign->parsed()) return daliz::cli::runAssign(o, as);
  if (categorize->parsed()) return daliz::cli::runCategorize(o);
  if (disasm->parsed()) return daliz::cli::runDisasm(o);
  if (keygen->parsed()) return daliz::cli::runKeygen(o);
  if (sign->parsed()) return daliz::cli::runSign(o, ao);
  if (verify->parsed()) return daliz::cli::runVerify(o);
  if (seal->parsed()) return daliz::cli::runSeal(o);
  if (backtest->parsed()) return daliz::cli::runBacktest(o, ro);
  if (diff->parsed()) return daliz::cli::runDiff(o, ro);
  if (lint->parsed()) return daliz::cli::runLint(o, lo);
  return 1;
}

}  // namespace

// The `daliz` command line (docs/cli.md).
#include <pthread.h>

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/commands.h"

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
  app.require_subcommand(1);
  daliz::cli::Options o;

  auto sources = [&](CLI::App* cmd) {
    cmd->add_option("files", o.files, "profile sources (.dlz)")->required();
    cmd->add_option("--schema", o.schema, "replace the stdlib's declaration schema with this file");
    cmd->add_option("--ref", o.ref, "folder of the tables' CSV files (default: beside each source)");
  };
  auto* check = app.add_subcommand("check", "parse and type-check profile sources");
  sources(check);
  auto* test = app.add_subcommand("test", "check, then run every test block");
  sources(test);
  test->add_flag("--include-drafts", o.includeDrafts, "let draft profiles take part");
  auto* compile = app.add_subcommand("compile", "check, test and write a reproducible bundle");
  sources(compile);
  compile->add_option("-o,--out", o.out, "the bundle to write")->required();
  compile->add_flag("--include-drafts", o.includeDrafts, "let draft profiles take part");
  compile->add_option("--seed", o.seed, "seed of `sample` selection (default 0)");
  // run and categorize: a bundle applied to JSON Lines (cli/json_lines.h).
  auto jsonLines = [&](CLI::App* cmd, const char* bundle, const char* in, const char* out) {
    cmd->add_option("bundle", o.bundle, bundle)->required();
    cmd->add_option("--in", o.in, in);
    cmd->add_option("--out", o.out, out);
    cmd->add_option("--threads", o.threads, "worker threads (default: the number of cores)");
    cmd->add_option("--trust", o.trust, "public key files: refuse the bundle unless signed by them");
    cmd->add_option("--require", o.require, "how many trusted signatures are needed (default 1)");
  };
  auto* run = app.add_subcommand("run", "decide declarations (JSON Lines) with a bundle");
  jsonLines(run, "the compiled bundle", "declarations, one JSON object per line (default: stdin)",
            "decisions, one JSON object per line (default: stdout)");
  auto* categorize = app.add_subcommand("categorize", "categorise participants (JSON Lines) as low, medium or high risk");
  jsonLines(categorize, "a compiled bundle with a categorize block",
            "participants, one JSON object per line (default: stdin)",
            "categories, one JSON object per line (default: stdout)");
  auto* disasm = app.add_subcommand("disasm", "print a bundle's profiles and bytecode");
  disasm->add_option("bundle", o.bundle, "the compiled bundle")->required();
  auto* keygen = app.add_subcommand("keygen", "make an approver's Ed25519 key pair");
  keygen->add_option("--out", o.key, "writes NAME.key (secret) and NAME.pub")->required();
  auto* sign = app.add_subcommand("sign", "approve a bundle: add a signature to it");
  sign->add_option("bundle", o.bundle, "the bundle")->required();
  sign->add_option("--key", o.key, "the approver's secret key file")->required();
  auto* verify = app.add_subcommand("verify", "check that a bundle is approved");
  verify->add_option("bundle", o.bundle, "the bundle")->required();
  verify->add_option("--trust", o.trust, "public key files of the approvers")->required();
  verify->add_option("--require", o.require, "how many trusted signatures are needed (default 1)");
  daliz::cli::ReportOptions ro;  // backtest and diff (docs/backtest.md)
  auto report = [&](CLI::App* cmd) {
    cmd->add_option("--history", o.in, "past declarations with outcomes, one JSON object per line")->required();
    cmd->add_option("--format", ro.format, "text (default), json or html")->check(CLI::IsMember({"text", "json", "html"}));
    cmd->add_option("--out", o.out, "the report file (default: stdout)");
    cmd->add_option("--threads", o.threads, "worker threads (default: the number of cores)");
    cmd->add_option("--trust", o.trust, "public key files: refuse a bundle unless signed by them");
    cmd->add_option("--require", o.require, "how many trusted signatures are needed (default 1)");
  };
  auto* backtest = app.add_subcommand("backtest", "replay a history with control outcomes: profile effectiveness");
  backtest->add_option("bundle", o.bundle, "the compiled bundle")->required();
  report(backtest);
  backtest->add_option("--min-controls", ro.minControls, "controlled hits needed to judge a hit rate (default 20)");
  backtest->add_option("--min-hit-rate", ro.minHitRate, "flag hit rates under this share (default 0.05, or 5%)");
  auto* diff = app.add_subcommand("diff", "impact of a new bundle on a history: corridor moves and their profiles");
  diff->add_option("old", ro.oldBundle, "the bundle in force")->required();
  diff->add_option("new", ro.newBundle, "the proposed bundle")->required();
  report(diff);
  diff->add_option("--samples", ro.samples, "sample declarations that change corridor (default 10)");
  daliz::cli::LintOptions lo;  // docs/lint.md
  auto* lint = app.add_subcommand("lint", "warn about profiles that never fire, duplicates and profiles that never change the corridor");
  sources(lint);
  lint->add_option("--today", lo.today, "the date validity ranges are judged against, YYYY-MM-DD (default: today)");
  lint->add_flag("--strict", lo.strict, "exit 1 when there are warnings");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; any usage error is a failed run (1), never 2.
    return app.exit(e) == 0 ? 0 : 1;
  }
  if (check->parsed()) return daliz::cli::runCheck(o);
  if (test->parsed()) return daliz::cli::runTest(o);
  if (compile->parsed()) return daliz::cli::runCompile(o);
  if (run->parsed()) return daliz::cli::runRun(o);
  if (categorize->parsed()) return daliz::cli::runCategorize(o);
  if (disasm->parsed()) return daliz::cli::runDisasm(o);
  if (keygen->parsed()) return daliz::cli::runKeygen(o);
  if (sign->parsed()) return daliz::cli::runSign(o);
  if (verify->parsed()) return daliz::cli::runVerify(o);
  if (backtest->parsed()) return daliz::cli::runBacktest(o, ro);
  if (diff->parsed()) return daliz::cli::runDiff(o, ro);
  if (lint->parsed()) return daliz::cli::runLint(o, lo);
  return 1;
}

}  // namespace

// daliz_perf_bench: the performance benchmark of issue 4 (docs/performance.md).
//
// For each profile-set size it builds the same profiles three ways (daliz bundle compiled in
// process, native C++ generated at build time, Lua run by embedded LuaJIT), checks that the
// three agree on every decision, and only then times them on the same pre-decoded
// declarations. It also times `daliz run` end to end on a large JSON Lines file.
//
//   daliz_perf_bench [--quick] [--sizes 100,1000,10000] [--decls N] [--e2e N] [--seed N]
//                    [--daliz PATH] [--work DIR] [--min-time S] [--no-e2e] [--json FILE]
//                    [--only-daliz]
// --only-daliz times the daliz VM alone, without the agreement check (for profiling it).
// The last line of the output is one line of JSON with the headline figures.
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bench/lua_engine.h"
#include "bench/native_support.h"
#include "bench/profile_generator.h"
#include "bench/workload.h"
#include "compiler/diag/text_renderer.h"
#include "compiler/driver/frontend.h"
#include "compiler/driver/pipeline.h"
#include "vm/bundle/bundle_reader.h"
#include "vm/bundle/bundle_writer.h"
#include "vm/decode/arena.h"
#include "vm/decode/declaration_decoder.h"
#include "vm/exec/batch.h"
#include "vm/exec/evaluator.h"
#include "vm/jit/jit.h"

extern char** environ;

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace daliz;
using namespace daliz::bench;

namespace {

double seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

std::string grouped(double v, int decimals = 0) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf, frac;
  size_t dot = s.find('.');
  if (dot != std::string::npos) frac = s.substr(dot), s.resize(dot);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0 && s[i - 1] != '-') out += ',';
    out += s[i];
  }
  return out + frac;
}

// Peak resident set of this process image: VmHWM. (getrusage's ru_maxrss is kept across
// exec, so a process spawned by this large one would report this one's peak.)
size_t peakRssKb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoul(line.substr(6));
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<size_t>(u.ru_maxrss);
}

// `--measure OUT CMD ARG…`: runs CMD as a child of this small process image and writes its
// peak RSS (kB), user and system CPU seconds to OUT; exits with CMD's exit status.
int measureChild(const std::string& out, char** argv) {
  pid_t pid = fork();
  if (pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
  int status = 0;
  rusage u{};
  wait4(pid, &status, 0, &u);
  std::ofstream(out) << u.ru_maxrss << " "
                     << static_cast<double>(u.ru_utime.tv_sec) +
                            static_cast<double>(u.ru_utime.tv_usec) * 1e-6
                     << " "
                     << static_cast<double>(u.ru_stime.tv_sec) +
                            static_cast<double>(u.ru_stime.tv_usec) * 1e-6
                     << "\n";
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

size_t currentRssKb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6));
  return 0;
}

struct Options {
  bool quick = false;
  std::vector<size_t> sizes = {100, 1000, 10000};
  size_t decls = 20000;
  size_t e2e = 1000000;
  uint64_t seed = 1;
  std::string daliz;
  std::string work = "/tmp/daliz-bench";
  double minTime = 1.0;
  bool noE2e = false;
  bool onlyDaliz = false;  // diagnostics: time daliz alone (no agreement check), e.g. under perf
  std::string jsonFile;
};

// ---- timing -----------------------------------------------------------------------------
struct Timing {
  double cpuS = 0, wallS = 0;  // of the best whole pass over all declarations
  double nsPerItem = 0, itemsPerS = 0, wallNsPerItem = 0;  // by this thread's CPU time
  double p50 = 0, p99 = 0;                                 // CPU ns per declaration
  int passes = 0;
};

double threadCpu() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The cost of reading the thread CPU clock (a system call here), subtracted from each
// per-declaration time.
double clockOverheadNs() {
  static const double overhead = [] {
    std::vector<double> d;
    for (int i = 0; i < 2001; ++i) {
      double a = threadCpu(), b = threadCpu();
      d.push_back((b - a) * 1e9);
    }
    std::sort(d.begin(), d.end());
    return d[d.size() / 2];
  }();
  return overhead;
}

// Passes over all declarations, each declaration timed on its own (latency) and the whole
// pass too (throughput), both by this thread's CPU time, so that other processes on a shared
// machine do not count; the wall time of the pass is kept as well. Passes repeat until
// minTime has gone by (at most 20); the fastest pass counts, with its latencies. When `whole`
// is given (LuaJIT: the loop runs inside Lua, without a call from C++ per declaration),
// throughput comes from extra passes of it instead.
Timing timePasses(size_t count, size_t items, double minTime,
                  const std::function<void(size_t)>& one,
                  const std::function<void()>& whole = nullptr) {
  Timing t;
  t.cpuS = t.wallS = 1e300;
  std::vector<double> lat(count), best;
  double spent = 0, overhead = clockOverheadNs();
  for (int pass = 0; pass < 20 && (pass == 0 || spent < minTime); ++pass) {
    auto start = Clock::now();
    double c0 = threadCpu(), prev = c0;
    for (size_t i = 0; i < count; ++i) {
      one(i);
      double now = threadCpu();
      lat[i] = std::max(0.0, (now - prev) * 1e9 - overhead);
      prev = now;
    }
    double cpu = prev - c0 - overhead * 1e-9 * static_cast<double>(count),
           wall = seconds(start, Clock::now());
    spent += wall;
    if (cpu < t.cpuS) t.cpuS = cpu, best = lat;
    t.wallS = std::min(t.wallS, wall);
    ++t.passes;
  }
  if (whole) {
    t.cpuS = t.wallS = 1e300;
    spent = 0;
    for (int pass = 0; pass < 20 && (pass == 0 || spent < minTime); ++pass) {
      auto w0 = Clock::now();
      double c0 = threadCpu();
      whole();
      double cpu = threadCpu() - c0, wall = seconds(w0, Clock::now());
      spent += wall;
      t.cpuS = std::min(t.cpuS, cpu);
      t.wallS = std::min(t.wallS, wall);
    }
  }
  t.nsPerItem = t.cpuS * 1e9 / static_cast<double>(items);
  t.itemsPerS = static_cast<double>(items) / t.cpuS;
  t.wallNsPerItem = t.wallS * 1e9 / static_cast<double>(items);
  std::sort(best.begin(), best.end());
  t.p50 = best[best.size() / 2];
  t.p99 = best[std::min(best.size() - 1, best.size() * 99 / 100)];
  return t;
}

// ---- per size ---------------------------------------------------------------------------
struct SizeResult {
  size_t size = 0;
  bool agreed = false;
  size_t mismatches = 0, hits = 0, green = 0, itemScope = 0, declScope = 0, suspended = 0;
  double predictedGreen = 0;
  double compileS = 0, frontendS = 0, codegenS = 0, writeS = 0, loadS = 0, luaLoadS = 0;
  double compileCpuS = 0, loadCpuS = 0;  // the same by this thread's CPU time
  double jitS = 0;                       // attachJit: translate and compile every profile (wall)
  double jitReadyS = 0;  // read, verify, prepare and start a background compilation (wall)
  size_t jitCompiled = 0, jitInterpreted = 0;
  size_t sourceBytes = 0, bundleBytes = 0, rssKb = 0, rssLoadKb = 0;
  Timing native, lua, vm, vmDecode, jit;
};

using NativeFn = void (*)(const Declaration&, NativeHits&);
struct NativeSet {
  NativeFn evaluate;
  uint64_t fingerprint;
};
std::optional<NativeSet> nativeSet(size_t n) {
  switch (n) {
    case 100:
      return NativeSet{native_100::evaluate, native_100::kFingerprint};
    case 1000:
      return NativeSet{native_1000::evaluate, native_1000::kFingerprint};
    case 10000:
      return NativeSet{native_10000::evaluate, native_10000::kFingerprint};
    default:
      return std::nullopt;
  }
}

std::string hitsText(const std::vector<uint32_t>& h) {
  std::string s;
  for (uint32_t x : h)
    s += " BENCH-" + std::to_string(x >> 10) + (x & 1023 ? "#" + std::to_string(x & 1023) : "");
  return s.empty() ? " (none)" : s;
}

// Compiles set's source with the library, as `daliz compile` does (no test blocks).
std::unique_ptr<LoadedProgram> compileSet(const ProfileSet& set, const Options& o, SizeResult& r,
                                          std::string& bundlePath) {
  std::string source = toDaliz(set, "reference_prices.csv");
  r.sourceBytes = source.size();
  std::string path = o.work + "/profiles_" + std::to_string(set.size) + ".dlz";
  std::ofstream(path, std::ios::binary) << source;
  auto t0 = Clock::now();
  double c0 = threadCpu();
  FrontendOptions fo;
  fo.files = {path};
  fo.refDir = o.work;
  auto c = runFrontend(fo);
  auto t1 = Clock::now();
  if (c->diagnostics.hasErrors()) {
    size_t shown = 0;
    for (const Diagnostic& d : c->diagnostics.all())
      if (shown++ < 10) renderText(std::cerr, c->sources, d);
    std::cerr << "perf_bench: the generated " << set.size << "-profile source has "
              << c->diagnostics.errorCount() << " errors\n";
    return nullptr;
  }
  std::string error;
  auto program = buildProgram(*c, CodegenOptions{}, error);
  auto t2 = Clock::now();
  if (!program) {
    std::cerr << "perf_bench: codegen failed: " << error << "\n";
    return nullptr;
  }
  std::string bytes = writeBundle(*program);
  auto t3 = Clock::now();
  r.compileCpuS = threadCpu() - c0;
  r.frontendS = seconds(t0, t1);
  r.codegenS = seconds(t1, t2);
  r.writeS = seconds(t2, t3);
  r.compileS = seconds(t0, t3);
  r.bundleBytes = bytes.size();
  bundlePath = o.work + "/profiles_" + std::to_string(set.size) + ".bundle";
  std::ofstream(bundlePath, std::ios::binary) << bytes;
  // Load as `daliz run` does: read (verify) and prepare; best of 3.
  std::unique_ptr<LoadedProgram> loaded;
  r.loadS = r.loadCpuS = 1e300;
  for (int k = 0; k < 3; ++k) {
    auto l0 = Clock::now();
    double lc0 = threadCpu();
    LoadResult lr = readBundle(bytes);
    if (!lr.program) {
      std::cerr << "perf_bench: bundle does not load: " << lr.error << "\n";
      return nullptr;
    }
    loaded = prepareProgram(std::move(*lr.program), lr.contentHash, error);
    r.loadS = std::min(r.loadS, seconds(l0, Clock::now()));
    r.loadCpuS = std::min(r.loadCpuS, threadCpu() - lc0);
    if (!loaded) {
      std::cerr << "perf_bench: " << error << "\n";
      return nullptr;
    }
  }
  return loaded;
}

// Peak RSS of a fresh process that loads the bundle and decides the declarations file.
std::pair<size_t, size_t> probeRss(const std::string& self, const std::string& bundle,
                                   const std::string& jsonl) {
  std::string out = bundle + ".rss";
  std::vector<std::string> args = {self, "--rss-probe", bundle, jsonl, out};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  if (posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv.data(), environ) != 0) return {0, 0};
  int status = 0;
  waitpid(pid, &status, 0);
  std::ifstream in(out);
  size_t peak = 0, load = 0;
  in >> peak >> load;
  return {peak, load};
}

int rssProbe(const std::string& bundle, const std::string& jsonl, const std::string& out) {
  std::string data;
  {
    std::ifstream b(bundle, std::ios::binary);
    std::stringstream bytes;
    bytes << b.rdbuf();
    data = bytes.str();
  }
  LoadResult lr = readBundle(data);
  if (!lr.program) return 1;
  std::string error;
  auto program = prepareProgram(std::move(*lr.program), lr.contentHash, error);
  if (!program) return 1;
  std::string().swap(data);  // as `daliz run`, which drops the file bytes once loaded
  size_t afterLoad = currentRssKb();
  BatchRunner runner(*program, 1);
  std::ifstream in(jsonl);
  std::string line;
  bool ok;
  while (std::getline(in, line)) runner.decideOne(line, ok);
  std::ofstream(out) << peakRssKb() << " " << afterLoad << "\n";
  return 0;
}

SizeResult runSize(size_t n, const Options& o, const std::vector<Declaration>& decls,
                   const std::vector<std::string>& lines, size_t items, const std::string& self,
                   const std::string& timingFile, std::string& bundlePath) {
  SizeResult r;
  r.size = n;
  ProfileSet set = makeProfileSet(n);
  r.predictedGreen = set.predictedGreen;
  if (const char* kinds = std::getenv("DALIZ_BENCH_ONLY_KINDS"); kinds && o.onlyDaliz) {
    // Diagnostics (with --only-daliz): keep only these kinds of profile, e.g. "count,value".
    std::string keep = std::string(",") + kinds + ",";
    for (auto& p : set.profiles)
      if (keep.find("," + std::string(kindName(p.kind)) + ",") == std::string::npos)
        p.suspended = true;
  }
  for (const auto& p : set.profiles) {
    if (p.suspended)
      ++r.suspended;
    else if (p.itemScope)
      ++r.itemScope;
    else
      ++r.declScope;
  }
  std::printf("\n== %s profiles: %zu item scope, %zu declaration scope, %zu suspended ==\n",
              grouped(n).c_str(), r.itemScope, r.declScope, r.suspended);
  auto native = nativeSet(n);
  if (!native) {
    std::printf("no native set of this size was generated at build time (100, 1000, 10000 are)\n");
    return r;
  }
  if (native->fingerprint != set.fingerprint) {
    std::printf("the native code was generated from another profile set (rebuild the benchmark)\n");
    return r;
  }
  // daliz: compile, bundle, load.
  auto lp = compileSet(set, o, r, bundlePath);
  if (!lp) return r;
  std::vector<uint32_t> toIndex(lp->program.profiles.size());
  for (size_t k = 0; k < toIndex.size(); ++k)
    toIndex[k] = static_cast<uint32_t>(std::stoul(lp->program.profiles[k].id.substr(6)));
  // Pre-decoded input.
  Arena arena;
  DeclarationDecoder decoder(lp->program.schema);
  std::vector<const Value*> roots;
  roots.reserve(lines.size());
  for (const std::string& line : lines) {
    auto res = decoder.decode(line, arena);
    if (!res.root) {
      std::printf("declaration does not decode: %s\n", res.error.c_str());
      return r;
    }
    roots.push_back(res.root);
  }
  Evaluator evaluator(*lp, Evaluator::Backend::Interpreter);
  Decision decision;
  if (o.onlyDaliz) {
    Timing t = timePasses(decls.size(), items, o.minTime,
                          [&](size_t i) { evaluator.evaluate(roots[i], decision); });
    std::printf(
        "  daliz VM alone (not checked against the baselines): %.1f ns/item CPU, %s items/s, p50 "
        "%.2f µs, p99 %.2f µs, %d passes\n",
        t.nsPerItem, grouped(t.itemsPerS).c_str(), t.p50 / 1000, t.p99 / 1000, t.passes);
    return r;
  }
  NativeHits nh;
  LuaEngine lua;
  std::string error;
  auto l0 = Clock::now();
  if (!lua.load(set, error)) {
    std::printf("the Lua chunk does not load: %s\n", error.c_str());
    return r;
  }
  r.luaLoadS = seconds(l0, Clock::now());
  lua.convert(decls);
  // The JIT in the background, as `serve --jit` loads: how soon the engine can decide (the
  // interpreter serves until each profile is native). The copy is dropped at once.
  if (jitAvailable()) {
    std::ifstream in(bundlePath, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto b0 = Clock::now();
    LoadResult lr = readBundle(bytes);
    std::string error;
    auto copy =
        lr.program ? prepareProgram(std::move(*lr.program), lr.contentHash, error) : nullptr;
    JitReport started;
    JitOptions background;
    background.background = true;
    if (copy && attachJit(*copy, started, background)) r.jitReadyS = seconds(b0, Clock::now());
  }
  // The JIT: compiled into the same loaded program (the interpreter's evaluator ignores it).
  JitReport jitReport;
  const bool withJit = attachJit(*lp, jitReport);
  r.jitS = jitReport.seconds;
  r.jitCompiled = jitReport.compiled;
  r.jitInterpreted = jitReport.interpreted;
  for (size_t k = 0; k < jitReport.messages.size() && k < 5; ++k)
    std::printf("JIT: %s\n", jitReport.messages[k].c_str());
  Evaluator jitEvaluator(*lp);
  Decision jitDecision;
  // Agreement: the same (profile, item) hits per declaration, from all three.
  std::vector<uint32_t> vh, lh;
  std::vector<uint32_t> kindHit(decls.size());
  for (size_t i = 0; i < decls.size(); ++i) {
    evaluator.evaluate(roots[i], decision);
    vh.clear();
    for (const daliz::Hit& h : decision.hits)
      vh.push_back(toIndex[h.profile] << 10 | static_cast<uint32_t>(h.item.value_or(0)));
    if (decision.corridor == 0) ++r.green;
    nh.clear();
    native->evaluate(decls[i], nh);
    lua.evaluate(i, &lh);
    for (uint32_t h : vh) kindHit[i] |= 1u << static_cast<unsigned>(set.profiles[h >> 10].kind);
    std::sort(vh.begin(), vh.end());
    std::sort(nh.v.begin(), nh.v.end());
    std::sort(lh.begin(), lh.end());
    r.hits += vh.size();
    bool jitAgrees = true;
    if (withJit) {  // the same decision, to the reason's last byte
      jitEvaluator.evaluate(roots[i], jitDecision);
      jitAgrees = jitDecision.corridor == decision.corridor &&
                  jitDecision.hits.size() == decision.hits.size();
      for (size_t k = 0; jitAgrees && k < decision.hits.size(); ++k)
        jitAgrees = jitDecision.hits[k].profile == decision.hits[k].profile &&
                    jitDecision.hits[k].item == decision.hits[k].item &&
                    jitDecision.hits[k].reason == decision.hits[k].reason;
    }
    if (vh != nh.v || vh != lh || !jitAgrees) {
      if (r.mismatches++ < 5)
        std::printf("DISAGREE on %s:\n  daliz :%s\n  native:%s\n  LuaJIT:%s%s\n",
                    decls[i].id.c_str(), hitsText(vh).c_str(), hitsText(nh.v).c_str(),
                    hitsText(lh).c_str(),
                    jitAgrees ? "" : "\n  the JIT's decision differs from the VM's");
    }
  }
  r.agreed = r.mismatches == 0;
  {
    // Declarations hit per kind of profile, against the calibration's prediction.
    std::map<ProfileKind, std::pair<double, size_t>> kinds;  // predicted rate sum, declarations hit
    for (const auto& p : set.profiles)
      if (!p.suspended) kinds[p.kind].first += p.rate;
    std::printf("declarations hit, by kind of profile (observed / calibrated):");
    for (auto& [kind, v] : kinds) {
      size_t hitDecls = 0;
      for (size_t i = 0; i < decls.size(); ++i)
        if (kindHit[i] & (1u << static_cast<unsigned>(kind))) ++hitDecls;
      std::printf(" %s %.1f%%/%.1f%%", kindName(kind),
                  100.0 * static_cast<double>(hitDecls) / static_cast<double>(decls.size()),
                  100 * v.first);
    }
    std::printf("\n");
  }
  std::printf(
      "agreement: %s declarations, %s hits: %s\n",
      grouped(static_cast<double>(decls.size())).c_str(),
      grouped(static_cast<double>(r.hits)).c_str(),
      r.agreed
          ? (withJit ? "native, LuaJIT, the daliz VM and the daliz JIT agree on every declaration"
                     : "native, LuaJIT and daliz agree on every declaration (no JIT in this build)")
          : ("DISAGREE on " + std::to_string(r.mismatches) + " declarations: no times reported")
                .c_str());
  std::printf("green: %.1f%% of declarations (calibrated for %.1f%%)\n",
              100.0 * static_cast<double>(r.green) / static_cast<double>(decls.size()),
              100 * r.predictedGreen);
  if (!r.agreed) return r;

  r.native = timePasses(decls.size(), items, o.minTime, [&](size_t i) {
    nh.clear();
    native->evaluate(decls[i], nh);
  });
  r.lua = timePasses(
      decls.size(), items, o.minTime, [&](size_t i) { lua.evaluate(i, nullptr); },
      [&] { lua.runAll(); });
  r.vm = timePasses(decls.size(), items, o.minTime,
                    [&](size_t i) { evaluator.evaluate(roots[i], decision); });
  if (withJit)
    r.jit = timePasses(decls.size(), items, o.minTime,
                       [&](size_t i) { jitEvaluator.evaluate(roots[i], jitDecision); });
  Arena scratch;
  r.vmDecode = timePasses(decls.size(), items, o.minTime, [&](size_t i) {
    scratch.reset();
    auto res = decoder.decode(lines[i], scratch);
    evaluator.evaluate(res.root, decision);
  });
  auto [peak, load] = probeRss(self, bundlePath, timingFile);
  r.rssKb = peak;
  r.rssLoadKb = load;

  auto row = [&](const char* name, const Timing& t) {
    std::printf("  %-22s %10.1f %14s %12.2f %12.2f %10.1f %7d\n", name, t.nsPerItem,
                grouped(t.itemsPerS).c_str(), t.p50 / 1000, t.p99 / 1000, t.wallNsPerItem,
                t.passes);
  };
  std::printf("  %-22s %10s %14s %12s %12s %10s %7s\n", "engine (one core)", "ns/item", "items/s",
              "p50 µs/decl", "p99 µs/decl", "wall ns", "passes");
  std::printf("  %-22s %10s %14s %12s %12s %10s\n", "", "(CPU)", "(CPU)", "(CPU)", "(CPU)",
              "/item");
  row("native C++ (-O2)", r.native);
  row("LuaJIT", r.lua);
  row("daliz VM", r.vm);
  row("daliz VM + JSON decode", r.vmDecode);
  if (withJit) row("daliz JIT", r.jit);
  std::printf("  throughput ratio daliz/native %.3f×, daliz/LuaJIT %.3f×\n",
              r.vm.itemsPerS / r.native.itemsPerS, r.vm.itemsPerS / r.lua.itemsPerS);
  if (withJit)
    std::printf(
        "  JIT: %.3f× the VM, %.3f× native; compiled %zu functions (%zu left interpreted) in %.2f "
        "s; all native %.2f s after the bundle is read; ready to decide (compiling in the "
        "background) after %.3f s\n",
        r.jit.itemsPerS / r.vm.itemsPerS, r.jit.itemsPerS / r.native.itemsPerS, r.jitCompiled,
        r.jitInterpreted, r.jitS, r.loadS + r.jitS, r.jitReadyS);
  std::printf(
      "  compile %.3f s CPU, %.3f s wall (front end %.3f, codegen %.3f, bundle %.3f); source %s "
      "bytes; bundle %s bytes; load %.1f ms CPU, %.1f ms wall\n",
      r.compileCpuS, r.compileS, r.frontendS, r.codegenS, r.writeS,
      grouped(static_cast<double>(r.sourceBytes)).c_str(),
      grouped(static_cast<double>(r.bundleBytes)).c_str(), r.loadCpuS * 1000, r.loadS * 1000);
  std::printf(
      "  peak RSS of a process holding the loaded bundle: %.1f MB after load, %.1f MB after "
      "deciding the %s declarations\n",
      static_cast<double>(r.rssLoadKb) / 1024, static_cast<double>(r.rssKb) / 1024,
      grouped(static_cast<double>(decls.size())).c_str());
  std::printf("  Lua chunk load %.3f s; Lua heap %.1f MB\n", r.luaLoadS,
              static_cast<double>(lua.memoryKb()) / 1024);
  return r;
}

// ---- end to end -------------------------------------------------------------------------
struct E2e {
  double seconds = 0, declsPerS = 0, cpuS = 0;
  size_t rssKb = 0;
  int exit = -1;
};

E2e runDaliz(const std::string& self, const std::string& daliz, const std::string& bundle,
             const std::string& in, const std::string& out, unsigned threads, size_t expected) {
  E2e e;
  std::string measured = out + ".rusage";
  std::vector<std::string> args = {self,    "--measure", measured,    daliz,
                                   "run",   bundle,      "--in",      in,
                                   "--out", out,         "--threads", std::to_string(threads)};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  fs::remove(out);
  auto start = Clock::now();
  pid_t pid;
  if (posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv.data(), environ) != 0) return e;
  int status = 0;
  waitpid(pid, &status, 0);
  e.seconds = seconds(start, Clock::now());
  e.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  double user = 0, sys = 0;
  std::ifstream(measured) >> e.rssKb >> user >> sys;
  e.cpuS = user + sys;
  e.declsPerS = static_cast<double>(expected) / e.seconds;
  std::ifstream o(out);
  size_t lines = 0;
  std::string line;
  while (std::getline(o, line)) ++lines;
  if (lines != expected) {
    std::printf("daliz run wrote %zu lines for %zu declarations\n", lines, expected);
    e.exit = -2;
  }
  return e;
}

std::string ensureE2eInput(const Options& o, size_t count) {
  std::string path =
      o.work + "/e2e_" + std::to_string(count) + "_seed" + std::to_string(o.seed) + ".jsonl";
  std::string done = path + ".done";
  if (fs::exists(done) && fs::exists(path)) return path;
  std::printf("generating %s declarations for the end-to-end run into %s …\n",
              grouped(static_cast<double>(count)).c_str(), path.c_str());
  std::fflush(stdout);
  auto start = Clock::now();
  WorkloadGenerator gen(o.seed + 1000);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::string buf;
  for (size_t i = 0; i < count; ++i) {
    appendJson(buf, gen.next());
    buf += '\n';
    if (buf.size() > (8u << 20)) out << buf, buf.clear();
  }
  out << buf;
  out.close();
  std::ofstream(done) << "ok\n";
  std::printf("  %.1f s, %s bytes\n", seconds(start, Clock::now()),
              grouped(static_cast<double>(fs::file_size(path))).c_str());
  return path;
}

std::string jsonNumber(double v, int decimals = 3) {
  if (!std::isfinite(v)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "--rss-probe")
    return rssProbe(argv[2], argv[3], argv[4]);
  if (argc >= 4 && std::string(argv[1]) == "--measure") return measureChild(argv[2], argv + 3);
  if (argc == 5 && std::string(argv[1]) == "--dump-lua") {
    // Diagnostics: the Lua chunk of a set and N declarations as a Lua file, for luajit -jv.
    size_t n = std::stoul(argv[2]), count = std::stoul(argv[3]);
    std::string dir = argv[4];
    std::ofstream(dir + "/profiles_" + std::to_string(n) + ".lua") << toLua(makeProfileSet(n));
    WorkloadGenerator gen(1);
    std::ofstream out(dir + "/decls.lua");
    out << "return {\n";
    for (size_t i = 0; i < count; ++i) {
      Declaration d = gen.next();
      out << "{id=\"" << d.id << "\",registered=" << d.registered
          << (d.declarant.category >= 0 ? ",category=" + std::to_string(d.declarant.category) : "")
          << ",procedure=\"" << d.procedure << "\",mode=\"" << d.borderMode << "\",dispatch=\""
          << countryText(d.dispatch) << "\",total_c=" << d.totalCents << ",items={";
      for (const Item& it : d.items) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "%.17g", it.customs);
        out << "{no=" << it.no << ",hs=" << it.hs << ",origin=\"" << countryText(it.origin)
            << "\",desc=[==[" << it.description << "]==],cv=" << buf;
        std::snprintf(buf, sizeof buf, "%.17g", it.net);
        out << ",nw=" << buf << ",ng=" << it.netG << ",gg=" << it.grossG << "},";
      }
      out << "}},\n";
    }
    out << "}\n";
    return 0;
  }
  Options o;
  std::string self = fs::canonical("/proc/self/exe").string();
  o.daliz = (fs::path(self).parent_path() / "daliz").string();
  bool decls = false, e2e = false, minTime = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "perf_bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--quick")
      o.quick = true;
    else if (a == "--sizes") {
      o.sizes.clear();
      std::stringstream ss(value());
      std::string part;
      while (std::getline(ss, part, ',')) o.sizes.push_back(std::stoul(part));
    } else if (a == "--decls")
      o.decls = std::stoul(value()), decls = true;
    else if (a == "--e2e")
      o.e2e = std::stoul(value()), e2e = true;
    else if (a == "--seed")
      o.seed = std::stoull(value());
    else if (a == "--daliz")
      o.daliz = value();
    else if (a == "--work")
      o.work = value();
    else if (a == "--min-time")
      o.minTime = std::stod(value()), minTime = true;
    else if (a == "--no-e2e")
      o.noE2e = true;
    else if (a == "--only-daliz")
      o.onlyDaliz = true, o.noE2e = true;
    else if (a == "--json")
      o.jsonFile = value();
    else {
      std::fprintf(stderr,
                   "usage: daliz_perf_bench [--quick] [--sizes 100,1000,10000] [--decls N] [--e2e "
                   "N] [--seed N]\n"
                   "                        [--daliz PATH] [--work DIR] [--min-time S] [--no-e2e] "
                   "[--json FILE] [--only-daliz]\n");
      return 2;
    }
  }
  if (o.quick) {
    if (!decls) o.decls = 2000;
    if (!e2e) o.e2e = 100000;
    if (!minTime) o.minTime = 0.3;
  }
  fs::create_directories(o.work);
  auto t0 = Clock::now();
  const World& w = world();
  std::ofstream(o.work + "/reference_prices.csv", std::ios::binary) << w.refCsv();
  std::printf("daliz performance benchmark (%s)\n", o.quick ? "quick" : "full");
  std::printf("world: %zu HS 2022 subheadings, %zu origins, reference table %s rows\n",
              w.subheadings.size(), w.origins.size(),
              grouped(static_cast<double>(w.refRows.size())).c_str());

  // The timing declarations, as structs (native), JSON lines (daliz) and, later, Lua tables.
  std::vector<Declaration> declarations;
  std::vector<std::string> lines;
  WorkloadGenerator gen(o.seed);
  size_t items = 0, maxItems = 0, bytes = 0;
  for (size_t i = 0; i < o.decls; ++i) {
    declarations.push_back(gen.next());
    std::string line;
    appendJson(line, declarations.back());
    bytes += line.size() + 1;
    lines.push_back(std::move(line));
    items += declarations.back().items.size();
    maxItems = std::max(maxItems, declarations.back().items.size());
  }
  std::string timingFile =
      o.work + "/timing_" + std::to_string(o.decls) + "_seed" + std::to_string(o.seed) + ".jsonl";
  {
    std::ofstream out(timingFile, std::ios::binary);
    for (const auto& l : lines) out << l << '\n';
  }
  size_t small = 0;
  for (const auto& d : declarations) small += d.items.size() <= 5;
  std::printf(
      "workload: %s declarations (seed %llu), %s goods items (%.2f per declaration, %.0f%% with "
      "1–5 items, largest %zu), %.0f bytes of JSON per declaration\n",
      grouped(static_cast<double>(o.decls)).c_str(), static_cast<unsigned long long>(o.seed),
      grouped(static_cast<double>(items)).c_str(),
      static_cast<double>(items) / static_cast<double>(o.decls),
      100.0 * static_cast<double>(small) / static_cast<double>(o.decls), maxItems,
      static_cast<double>(bytes) / static_cast<double>(o.decls));
  std::printf(
      "prepared in %.1f s; times are this thread's CPU time (clock read: %.0f ns, subtracted) "
      "unless marked wall\n",
      seconds(t0, Clock::now()), clockOverheadNs());

  std::map<size_t, SizeResult> results;
  std::map<size_t, std::string> bundles;
  bool allAgree = true;
  for (size_t n : o.sizes) {
    std::string bundle;
    results[n] = runSize(n, o, declarations, lines, items, self, timingFile, bundle);
    bundles[n] = bundle;
    allAgree &= results[n].agreed;
    std::fflush(stdout);
  }

  // End to end: the CLI on a large file, 1 and 2 threads, with the 1,000-profile bundle.
  E2e e1, e2;
  if (!o.noE2e && allAgree && !bundles[1000].empty()) {
    std::string in = ensureE2eInput(o, o.e2e);
    std::string out = o.work + "/e2e_decisions.jsonl";
    std::printf("\n== daliz run end to end: %s declarations, 1,000 profiles (%s) ==\n",
                grouped(static_cast<double>(o.e2e)).c_str(), o.daliz.c_str());
    for (unsigned t : {1u, 2u}) {
      E2e e = runDaliz(self, o.daliz, bundles[1000], in, out, t, o.e2e);
      std::printf(
          "  --threads %u: %.2f s wall, %s declarations/s; %.2f s CPU (%s declarations per CPU "
          "second); peak RSS %.0f MB; exit %d\n",
          t, e.seconds, grouped(e.declsPerS).c_str(), e.cpuS,
          grouped(static_cast<double>(o.e2e) / e.cpuS).c_str(), static_cast<double>(e.rssKb) / 1024,
          e.exit);
      (t == 1 ? e1 : e2) = e;
    }
    if (e1.exit != 0 || e2.exit != 0)
      std::printf("  daliz run did not succeed: end-to-end figures are not valid\n");
  }

  // Summary.
  auto get = [&](size_t n) -> const SizeResult* {
    auto it = results.find(n);
    return it != results.end() && it->second.agreed ? &it->second : nullptr;
  };
  const SizeResult* k1 = get(1000);
  const SizeResult* k10 = get(10000);
  std::printf("\n== targets (issue 4) ==\n");
  auto target = [](const char* what, bool have, bool met, const std::string& figure) {
    std::printf("  %-58s %-8s %s\n", what, !have ? "n/a" : met ? "met" : "NOT MET", figure.c_str());
  };
  if (k1) {
    double rn = k1->vm.itemsPerS / k1->native.itemsPerS, rl = k1->vm.itemsPerS / k1->lua.itemsPerS;
    target("1k profiles: daliz >= 1.0x native throughput", true, rn >= 1.0, jsonNumber(rn) + "x");
    target("1k profiles: daliz >= 5x LuaJIT throughput", true, rl >= 5.0, jsonNumber(rl) + "x");
    target("1k profiles: under 1 us per goods item", true, k1->vm.nsPerItem < 1000,
           jsonNumber(k1->vm.nsPerItem, 1) + " ns/item");
  }
  if (k1 && k10) {
    double g = k10->vm.nsPerItem / k1->vm.nsPerItem;
    target("10k profiles: ns/item <= 3x that at 1k", true, g <= 3.0, jsonNumber(g) + "x");
  }
  if (e2.exit == 0)
    target("daliz run end to end: >= 100,000 declarations/s, 2 threads", true,
           e2.declsPerS >= 100000, grouped(e2.declsPerS) + " decl/s");
  if (k10) {
    target("compiling 10k profiles: under 5 s", true, k10->compileS < 5,
           jsonNumber(k10->compileS) + " s");
    target("loaded 10k-profile bundle: under 200 MB resident", true, k10->rssKb < 200 * 1024,
           jsonNumber(static_cast<double>(k10->rssKb) / 1024, 1) + " MB");
  }
  std::printf("== targets (issue 11: the JIT) ==\n");
  if (k1 && k1->jit.passes) {
    double jv = k1->jit.itemsPerS / k1->vm.itemsPerS, jn = k1->jit.itemsPerS / k1->native.itemsPerS;
    double vn = k1->vm.itemsPerS / k1->native.itemsPerS;
    target("1k profiles: JIT >= 3x the interpreter", true, jv >= 3.0, jsonNumber(jv) + "x");
    target("1k profiles: JIT >= 2x native C++", true, jn >= 2.0, jsonNumber(jn) + "x");
    target("1k profiles: interpreter >= 1.0x native C++", true, vn >= 1.0, jsonNumber(vn) + "x");
    target("1k profiles: JIT under 1 us per goods item", true, k1->jit.nsPerItem < 1000,
           jsonNumber(k1->jit.nsPerItem, 1) + " ns/item");
  }
  if (k10 && k10->jitCompiled) {
    target("10k profiles: ready to decide within 10 s with the JIT (background)", true,
           k10->jitReadyS < 10, jsonNumber(k10->jitReadyS, 2) + " s");
    target("10k profiles: every profile native within 10 s", true, k10->loadS + k10->jitS < 10,
           jsonNumber(k10->loadS + k10->jitS, 2) + " s");
  }
  std::printf("benchmark process peak RSS %.0f MB; total %.1f s\n",
              static_cast<double>(peakRssKb()) / 1024, seconds(t0, Clock::now()));

  auto num = [&](const SizeResult* r, auto f, int d = 3) {
    return r ? jsonNumber(f(*r), d) : std::string("null");
  };
  std::string json =
      "{\"vm_vs_native_1k\": " +
      num(k1, [](const SizeResult& r) { return r.vm.itemsPerS / r.native.itemsPerS; }) +
      ", \"vm_vs_luajit_1k\": " +
      num(k1, [](const SizeResult& r) { return r.vm.itemsPerS / r.lua.itemsPerS; }) +
      ", \"growth_10k_over_1k\": " +
      (k1 && k10 ? jsonNumber(k10->vm.nsPerItem / k1->vm.nsPerItem) : std::string("null")) +
      ", \"e2e_decl_per_s_2t\": " +
      (e2.exit == 0 ? jsonNumber(e2.declsPerS, 0) : std::string("null")) +
      ", \"compile_10k_s\": " + num(k10, [](const SizeResult& r) { return r.compileS; }) +
      ", \"rss_10k_mb\": " +
      num(
          k10, [](const SizeResult& r) { return static_cast<double>(r.rssKb) / 1024; }, 1) +
      ", \"ns_per_item_1k\": " +
      num(
          k1, [](const SizeResult& r) { return r.vm.nsPerItem; }, 1) +
      ", \"interp_vs_native_1k\": " +
      num(k1, [](const SizeResult& r) { return r.vm.itemsPerS / r.native.itemsPerS; }) +
      ", \"jit_vs_vm_1k\": " +
      num(k1,
          [](const SizeResult& r) {
            return r.jit.passes ? r.jit.itemsPerS / r.vm.itemsPerS : NAN;
          }) +
      ", \"jit_vs_native_1k\": " +
      num(k1,
          [](const SizeResult& r) {
            return r.jit.passes ? r.jit.itemsPerS / r.native.itemsPerS : NAN;
          }) +
      ", \"jit_ns_per_item_1k\": " +
      num(
          k1, [](const SizeResult& r) { return r.jit.passes ? r.jit.nsPerItem : NAN; }, 1) +
      ", \"jit_load_1k_s\": " +
      num(k1, [](const SizeResult& r) { return r.jitCompiled ? r.loadS + r.jitS : NAN; }) +
      ", \"jit_load_10k_s\": " +
      num(k10, [](const SizeResult& r) { return r.jitCompiled ? r.loadS + r.jitS : NAN; }) +
      ", \"jit_ready_10k_s\": " +
      num(k10, [](const SizeResult& r) { return r.jitCompiled ? r.jitReadyS : NAN; }) +
      ", \"ns_per_item_10k\": " +
      num(
          k10, [](const SizeResult& r) { return r.vm.nsPerItem; }, 1) +
      ", \"e2e_decl_per_s_1t\": " +
      (e1.exit == 0 ? jsonNumber(e1.declsPerS, 0) : std::string("null")) +
      ", \"agree\": " + (allAgree ? "true" : "false") + ", \"mode\": \"" +
      (o.quick ? "quick" : "full") + "\"}";
  if (!o.jsonFile.empty()) std::ofstream(o.jsonFile) << json << "\n";
  std::printf("%s\n", json.c_str());
  return allAgree ? 0 : 1;
}

#include "vm/jit/jit.h"

#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "vm/jit/runtime_symbols.h"
#include "vm/jit/translate.h"

namespace daliz {
namespace {

namespace orc = llvm::orc;

// Functions per LLVM module: at least enough to spread LLVM's per-module cost, and for a large
// program about four modules per compile worker, at most 1,024 functions. Few, large modules put
// the code on fewer pages, which matters when a declaration calls hundreds of profiles: at
// 10,000 profiles, modules of 64 ran at 0.82x the interpreter's speed, of 1,024 at 0.91x
// (docs/performance.md).
constexpr size_t kMinFunctionsPerModule = 64, kMaxFunctionsPerModule = 1024;

bool initializeTarget(std::string& error) {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] {
    ok = !llvm::InitializeNativeTarget() && !llvm::InitializeNativeTargetAsmPrinter();
  });
  if (!ok) error = "LLVM has no code generator for this machine";
  return ok;
}

std::string describe(llvm::Error e) { return llvm::toString(std::move(e)); }

// LLVM's O2 pipeline over a module (the default per-module one: inlining has nothing to do —
// runtime functions are external — so it is SROA, instcombine, GVN, simplifycfg and friends).
void optimize(llvm::Module& m, llvm::TargetMachine* tm) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(m, mam);
}

// A function of the program: a profile, or a categorisation rule (index rules.size(): default).
struct Unit {
  bool rule;
  uint32_t index;
  std::string name;
  const Function* fn;
};

// The program's functions in the order they are compiled: the profiles that run on every goods
// item or declaration first (with background compilation they gain most from going native
// early), then the others, then the categorisation rules.
std::vector<Unit> unitsOf(const LoadedProgram& lp) {
  const Program& p = lp.program;
  std::vector<bool> first(p.profiles.size(), false);
  for (const auto* always : {&lp.index.itemAlways, &lp.index.declAlways})
    for (uint32_t i : *always) first[i] = true;
  std::vector<Unit> units;
  auto add = [&](uint32_t i) {
    units.push_back({false, i, "profile_" + std::to_string(i), &p.profiles[i]});
  };
  for (uint32_t i = 0; i < p.profiles.size(); ++i)
    if (first[i]) add(i);
  for (uint32_t i = 0; i < p.profiles.size(); ++i)
    if (!first[i]) add(i);
  if (const auto& k = p.categorization) {
    for (uint32_t i = 0; i <= k->rules.size(); ++i) {
      const CategoryRuleSpec& r = i < k->rules.size() ? k->rules[i] : k->fallback;
      units.push_back({true, i, "rule_" + std::to_string(i), &r});
    }
  }
  return units;
}

std::string unitLabel(const Program& p, const Unit& u) {
  if (!u.rule) return "profile " + p.profiles[u.index].id;
  const auto& k = *p.categorization;
  return u.index < k.rules.size() ? "rule " + k.rules[u.index].id : std::string("the default rule");
}

// The compiled code of one program, and the threads that compile it. Function pointers are
// published one by one (release), and evaluators read them (acquire) while compilation goes on:
// a function without one is interpreted, which decides the same.
class JitCode final : public CompiledCode {
 public:
  JitCode(const LoadedProgram& program, const JitOptions& options)
      : program_(program),
        options_(options),
        units_(unitsOf(program)),
        profiles_(program.program.profiles.size()),
        rules_(program.program.categorization ? program.program.categorization->rules.size() + 1
                                              : 0) {
    report_.total = units_.size();
  }
  // Stops the compile threads (they finish the module at hand) and joins them before the code
  // and the program they read go away.
  ~JitCode() override {
    stop_ = true;
    for (std::thread& t : workers_) t.join();
  }

  CompiledFunction profile(uint32_t index) const override {
    return index < profiles_.size() ? profiles_[index].load(std::memory_order_acquire) : nullptr;
  }
  CompiledFunction rule(uint32_t index) const override {
    return index < rules_.size() ? rules_[index].load(std::memory_order_acquire) : nullptr;
  }

  // Creates one LLJIT per compile worker (at most `threads`), with the runtime functions bound;
  // false with `why` when LLVM cannot.
  bool start(unsigned threads, std::string& why);
  // Runs the compile workers over the modules; waits for them unless in background.
  void compile(bool wait);
  JitReport progress() const {
    std::lock_guard lock(mutex_);
    return report_;
  }

 private:
  void work(orc::LLJIT& jit);
  // Translates units [first, end) into one module and compiles it with `jit`; publishes what
  // compiled.
  void compileModule(orc::LLJIT& jit, size_t first, size_t end);
  void note(size_t interpreted, size_t compiled, std::vector<std::string> messages);

  const LoadedProgram& program_;
  const JitOptions options_;
  const std::vector<Unit> units_;
  // One per compile worker: separate JITs share nothing, so the workers compile in parallel.
  // They own the code the function pointers point into.
  std::vector<std::unique_ptr<orc::LLJIT>> jits_;
  std::vector<std::atomic<CompiledFunction>> profiles_, rules_;
  size_t perModule_ = kMinFunctionsPerModule;  // functions per module (start)
  std::atomic<size_t> nextModule_{0};
  std::atomic<bool> stop_{false};
  std::atomic<unsigned> running_{0};
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  mutable std::mutex mutex_;  // guards report_
  JitReport report_;
  std::vector<std::thread> workers_;
};

llvm::Expected<std::unique_ptr<orc::LLJIT>> makeJit(bool optimizeModules) {
  auto jit = orc::LLJITBuilder().create();
  if (!jit) return jit.takeError();
  auto& session = (*jit)->getExecutionSession();
  orc::MangleAndInterner mangle(session, (*jit)->getDataLayout());
  orc::SymbolMap symbols;
  for (int i = 0; i < jit::kRuntimeSymbolCount; ++i)
    symbols[mangle(jit::kRuntimeSymbols[i].name)] = {
        orc::ExecutorAddr::fromPtr(jit::kRuntimeSymbols[i].address),
        llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable};
  if (auto e = (*jit)->getMainJITDylib().define(orc::absoluteSymbols(std::move(symbols)))) return e;
  if (optimizeModules) {
    (*jit)->getIRTransformLayer().setTransform(
        [](orc::ThreadSafeModule tsm,
           const orc::MaterializationResponsibility&) -> llvm::Expected<orc::ThreadSafeModule> {
          tsm.withModuleDo([](llvm::Module& m) { optimize(m, nullptr); });
          return tsm;
        });
  }
  return jit;
}

bool JitCode::start(unsigned threads, std::string& why) {
  if (!initializeTarget(why)) return false;
  perModule_ = std::clamp<size_t>(units_.size() / (size_t{threads} * 4), kMinFunctionsPerModule,
                                  kMaxFunctionsPerModule);
  const size_t modules = (units_.size() + perModule_ - 1) / perModule_;
  threads = static_cast<unsigned>(std::clamp<size_t>(modules, 1, threads));
  for (unsigned t = 0; t < threads; ++t) {
    auto jit = makeJit(options_.optimize);
    if (!jit) {
      why = describe(jit.takeError());
      return false;
    }
    jits_.push_back(std::move(*jit));
  }
  return true;
}

void JitCode::compile(bool wait) {
  running_ = static_cast<unsigned>(jits_.size());
  for (auto& jit : jits_) workers_.emplace_back([this, &jit = *jit] { work(jit); });
  if (!wait) return;
  for (std::thread& t : workers_) t.join();
  workers_.clear();
}

void JitCode::work(orc::LLJIT& jit) {
  for (size_t m; !stop_ && (m = nextModule_++) * perModule_ < units_.size();)
    compileModule(jit, m * perModule_, std::min(units_.size(), (m + 1) * perModule_));
  if (--running_ == 0) {
    std::lock_guard lock(mutex_);
    report_.finished = !stop_;
  }
}

void JitCode::compileModule(orc::LLJIT& jit, size_t first, size_t end) {
  const Program& p = program_.program;
  std::vector<std::string> messages;
  auto context = std::make_unique<llvm::LLVMContext>();
  auto module =
      std::make_unique<llvm::Module>("daliz_" + std::to_string(first / perModule_), *context);
  module->setDataLayout(jit.getDataLayout());
  module->setTargetTriple(jit.getTargetTriple().str());
  std::vector<size_t> translated;
  for (size_t u = first; u < end; ++u) {
    std::string why;
    if (units_[u].fn->code.size() > options_.maxInstructions) {
      messages.push_back(unitLabel(p, units_[u]) + " stays interpreted: its " +
                         std::to_string(units_[u].fn->code.size()) +
                         " instructions are more than the JIT compiles (" +
                         std::to_string(options_.maxInstructions) + ", docs/limits.md)");
    } else if (jit::translateFunction(*module, program_, units_[u].name, *units_[u].fn, why)) {
      translated.push_back(u);
    } else {
      messages.push_back(unitLabel(p, units_[u]) + " stays interpreted: " + why);
    }
  }
  size_t compiled = 0;
  if (!translated.empty()) {
    if (auto e = jit.addIRModule(orc::ThreadSafeModule(std::move(module), std::move(context)))) {
      messages.push_back("the JIT cannot add a module: " + describe(std::move(e)));
      translated.clear();
    }
  }
  // The first lookup compiles the whole module, on this thread; the others find it done.
  for (size_t u : translated) {
    auto address = jit.lookup(units_[u].name);
    if (!address) {
      messages.push_back(unitLabel(p, units_[u]) +
                         " stays interpreted: " + describe(address.takeError()));
      continue;
    }
    const Unit& unit = units_[u];
    (unit.rule ? rules_ : profiles_)[unit.index].store(address->toPtr<CompiledFunction>(),
                                                       std::memory_order_release);
    ++compiled;
  }
  note(end - first - compiled, compiled, std::move(messages));
}

void JitCode::note(size_t interpreted, size_t compiled, std::vector<std::string> messages) {
  std::lock_guard lock(mutex_);
  report_.compiled += compiled;
  report_.interpreted += interpreted;
  for (std::string& m : messages) report_.messages.push_back(std::move(m));
  report_.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

}  // namespace

bool jitAvailable() { return true; }

bool attachJit(LoadedProgram& program, JitReport& report, const JitOptions& options) {
  auto code = std::make_shared<JitCode>(program, options);
  const unsigned threads =
      options.threads ? options.threads : std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  std::string why;
  if (!code->start(threads, why)) {
    report.messages.push_back("the JIT cannot start: " + why);
    return false;
  }
  code->compile(!options.background);
  report = code->progress();
  program.compiled = std::move(code);
  return true;
}

JitReport jitProgress(const LoadedProgram& program) {
  const auto* code = dynamic_cast<const JitCode*>(program.compiled.get());
  return code ? code->progress() : JitReport{};
}

std::string jitListing(const LoadedProgram& program, uint32_t index, bool assembly,
                       std::string& error) {
  if (!initializeTarget(error)) return {};
  if (index >= program.program.profiles.size()) {
    error = "no profile " + std::to_string(index);
    return {};
  }
  auto builder = orc::JITTargetMachineBuilder::detectHost();
  if (!builder) {
    error = describe(builder.takeError());
    return {};
  }
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Default);
  auto tm = builder->createTargetMachine();
  if (!tm) {
    error = describe(tm.takeError());
    return {};
  }
  llvm::LLVMContext context;
  llvm::Module module("daliz_listing", context);
  module.setDataLayout((*tm)->createDataLayout());
  module.setTargetTriple((*tm)->getTargetTriple().str());
  const ProfileSpec& prof = program.program.profiles[index];
  if (!jit::translateFunction(module, program, "profile_" + std::to_string(index), prof, error))
    return {};
  optimize(module, tm->get());
  std::string text;
  llvm::raw_string_ostream os(text);
  if (!assembly) {
    module.print(os, nullptr);
    return os.str();
  }
  llvm::SmallString<4096> buffer;
  llvm::raw_svector_ostream out(buffer);
  llvm::legacy::PassManager pm;
  if ((*tm)->addPassesToEmitFile(pm, out, nullptr, llvm::CodeGenFileType::AssemblyFile)) {
    error = "LLVM cannot write assembly for this machine";
    return {};
  }
  pm.run(module);
  return std::string(buffer.str());
}

}  // namespace daliz

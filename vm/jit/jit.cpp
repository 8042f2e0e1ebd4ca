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
#include <chrono>
#include <mutex>
#include <thread>

#include "vm/jit/runtime_symbols.h"
#include "vm/jit/translate.h"

namespace daliz {
namespace {

namespace orc = llvm::orc;

// Functions per LLVM module: enough to spread the per-module cost of the pipeline and of
// linking, few enough that the compile threads share the work evenly.
constexpr size_t kFunctionsPerModule = 64;

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
  const std::vector<Insn>* code;
  uint16_t registers;
};

std::vector<Unit> unitsOf(const Program& p) {
  std::vector<Unit> units;
  for (uint32_t i = 0; i < p.profiles.size(); ++i)
    units.push_back(
        {false, i, "profile_" + std::to_string(i), &p.profiles[i].code, p.profiles[i].registers});
  if (const auto& k = p.categorization) {
    for (uint32_t i = 0; i <= k->rules.size(); ++i) {
      const CategoryRuleSpec& r = i < k->rules.size() ? k->rules[i] : k->fallback;
      units.push_back({true, i, "rule_" + std::to_string(i), &r.code, r.registers});
    }
  }
  return units;
}

std::string unitLabel(const Program& p, const Unit& u) {
  if (!u.rule) return "profile " + p.profiles[u.index].id;
  const auto& k = *p.categorization;
  return u.index < k.rules.size() ? "rule " + k.rules[u.index].id : std::string("the default rule");
}

class JitCode final : public CompiledCode {
 public:
  CompiledFunction profile(uint32_t index) const override {
    return index < profiles_.size() ? profiles_[index] : nullptr;
  }
  CompiledFunction rule(uint32_t index) const override {
    return index < rules_.size() ? rules_[index] : nullptr;
  }

  std::unique_ptr<orc::LLJIT> jit;  // owns the code the function pointers point into
  std::vector<CompiledFunction> profiles_, rules_;
};

llvm::Expected<std::unique_ptr<orc::LLJIT>> makeJit(unsigned threads) {
  auto jit = orc::LLJITBuilder().setNumCompileThreads(threads).create();
  if (!jit) return jit.takeError();
  auto& session = (*jit)->getExecutionSession();
  orc::MangleAndInterner mangle(session, (*jit)->getDataLayout());
  orc::SymbolMap symbols;
  for (int i = 0; i < jit::kRuntimeSymbolCount; ++i)
    symbols[mangle(jit::kRuntimeSymbols[i].name)] = {
        orc::ExecutorAddr::fromPtr(jit::kRuntimeSymbols[i].address),
        llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable};
  if (auto e = (*jit)->getMainJITDylib().define(orc::absoluteSymbols(std::move(symbols)))) return e;
  return jit;
}

}  // namespace

bool jitAvailable() { return true; }

bool attachJit(LoadedProgram& program, JitReport& report, const JitOptions& options) {
  auto started = std::chrono::steady_clock::now();
  std::string error;
  if (!initializeTarget(error)) {
    report.messages.push_back("the JIT cannot start: " + error);
    return false;
  }
  unsigned threads =
      options.threads ? options.threads : std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  auto jit = makeJit(threads);
  if (!jit) {
    report.messages.push_back("the JIT cannot start: " + describe(jit.takeError()));
    return false;
  }
  auto code = std::make_shared<JitCode>();
  code->jit = std::move(*jit);
  orc::LLJIT& lljit = *code->jit;
  if (options.optimize) {
    lljit.getIRTransformLayer().setTransform(
        [](orc::ThreadSafeModule tsm,
           const orc::MaterializationResponsibility&) -> llvm::Expected<orc::ThreadSafeModule> {
          tsm.withModuleDo([](llvm::Module& m) { optimize(m, nullptr); });
          return tsm;
        });
  }

  // Translate on this thread, module by module; the compile threads optimise and compile.
  const Program& p = program.program;
  std::vector<Unit> units = unitsOf(p);
  std::vector<bool> translated(units.size(), false);
  for (size_t first = 0; first < units.size(); first += kFunctionsPerModule) {
    auto context = std::make_unique<llvm::LLVMContext>();
    auto module = std::make_unique<llvm::Module>(
        "daliz_" + std::to_string(first / kFunctionsPerModule), *context);
    module->setDataLayout(lljit.getDataLayout());
    module->setTargetTriple(lljit.getTargetTriple().str());
    size_t count = 0;
    for (size_t u = first; u < std::min(units.size(), first + kFunctionsPerModule); ++u) {
      std::string why;
      if (units[u].code->size() > options.maxInstructions) {
        report.messages.push_back(unitLabel(p, units[u]) + " stays interpreted: its " +
                                  std::to_string(units[u].code->size()) +
                                  " instructions are more than the JIT compiles (" +
                                  std::to_string(options.maxInstructions) + ", docs/limits.md)");
      } else if (jit::translateFunction(*module, program, units[u].name, *units[u].code,
                                        units[u].registers, why)) {
        translated[u] = true;
        ++count;
      } else {
        report.messages.push_back(unitLabel(p, units[u]) + " stays interpreted: " + why);
      }
    }
    if (count == 0) continue;
    if (auto e = lljit.addIRModule(orc::ThreadSafeModule(std::move(module), std::move(context)))) {
      report.messages.push_back("the JIT cannot add a module: " + describe(std::move(e)));
      for (size_t u = first; u < std::min(units.size(), first + kFunctionsPerModule); ++u)
        translated[u] = false;
    }
  }

  // Look every function up at once, so that the compile threads work on all modules together;
  // if that fails (a module did not compile), look each up alone to keep the ones that did.
  auto& session = lljit.getExecutionSession();
  orc::MangleAndInterner mangle(session, lljit.getDataLayout());
  orc::SymbolLookupSet wanted;
  for (size_t u = 0; u < units.size(); ++u)
    if (translated[u]) wanted.add(mangle(units[u].name));
  auto all =
      session.lookup(orc::makeJITDylibSearchOrder(&lljit.getMainJITDylib()), std::move(wanted));
  if (!all) llvm::consumeError(all.takeError());
  code->profiles_.assign(p.profiles.size(), nullptr);
  code->rules_.assign(p.categorization ? p.categorization->rules.size() + 1 : 0, nullptr);
  for (size_t u = 0; u < units.size(); ++u) {
    if (!translated[u]) {
      ++report.interpreted;
      continue;
    }
    auto address = lljit.lookup(units[u].name);
    if (!address) {
      report.messages.push_back(unitLabel(p, units[u]) +
                                " stays interpreted: " + describe(address.takeError()));
      ++report.interpreted;
      continue;
    }
    (units[u].rule ? code->rules_ : code->profiles_)[units[u].index] =
        address->toPtr<CompiledFunction>();
    ++report.compiled;
  }
  program.compiled = std::move(code);
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return true;
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
  if (!jit::translateFunction(module, program, "profile_" + std::to_string(index), prof.code,
                              prof.registers, error))
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

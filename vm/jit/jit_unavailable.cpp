// The JIT's entry points in a build without LLVM (DALIZ_JIT off): the engine interprets.
#include "vm/jit/jit.h"

namespace daliz {

namespace {
const char* const kWhy =
    "this daliz was built without the JIT (LLVM 19 was not found; docs/jit.md)";
}

bool jitAvailable() { return false; }

bool attachJit(LoadedProgram&, JitReport& report, const JitOptions&) {
  report.messages.emplace_back(kWhy);
  return false;
}

JitReport jitProgress(const LoadedProgram&) { return {}; }

std::string jitListing(const LoadedProgram&, uint32_t, bool, std::string& error) {
  error = kWhy;
  return {};
}

}  // namespace daliz

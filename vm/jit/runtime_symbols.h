#pragma once
// The runtime functions compiled code calls, by name and address (runtime_symbols.def lists
// them with their IR types), and the operation codes of the multi-operation ones.
#include <cstdint>

namespace daliz::jit {

struct RuntimeSymbol {
  const char* name;  // "daliz_rt_" + the .def name
  void* address;
};
// Every function of runtime_symbols.def, in its order.
extern const RuntimeSymbol kRuntimeSymbols[];
extern const int kRuntimeSymbolCount;

// daliz_rt_decimal's operations and daliz_rt_string_test's tests.
enum DecimalOp : int32_t { kDecAdd, kDecSub, kDecMul, kDecDiv, kDecNeg };
enum StringTest : int32_t { kStrEq, kStrContains, kStrStarts, kStrEnds };

}  // namespace daliz::jit

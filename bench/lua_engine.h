#pragma once
// The LuaJIT baseline: the profile set generated as Lua (toLua), run by LuaJIT embedded
// from C++, over declarations converted once to Lua tables:
//   d = { id, registered (days), category (0..2 or nil), procedure, mode, dispatch,
//         total_c (cents), items = { { no, hs (10-digit number), origin, desc, cv (tenge),
//         nw (kg), ng (grams), gg (gross grams) }, … } }
// Regexes (LuaJIT has none) and the sampling hash are host functions called through the FFI:
// daliz_bench_re_match (RE2, as daliz and the native code use) and daliz_bench_sampled.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench/profile_generator.h"
#include "bench/workload.h"

struct lua_State;

namespace daliz::bench {

class LuaEngine {
 public:
  LuaEngine();
  ~LuaEngine();
  LuaEngine(const LuaEngine&) = delete;
  LuaEngine& operator=(const LuaEngine&) = delete;

  // Loads the generated chunk of `set`; false with `error` on a Lua error.
  bool load(const ProfileSet& set, std::string& error);
  // Converts the declarations to Lua tables (kept in the state).
  void convert(const std::vector<Declaration>& decls);
  // Evaluates declaration `index`; returns the number of hits and, when `hits` is given,
  // stores them as profile × 1024 + item no.
  size_t evaluate(size_t index, std::vector<uint32_t>* hits);
  // run_all over every converted declaration, inside Lua; returns the number of hits.
  size_t runAll();
  size_t memoryKb() const;

 private:
  lua_State* L_;
  int evaluateRef_ = -1, runAllRef_ = -1, declsRef_ = -1, hitsRef_ = -1;
};

}  // namespace daliz::bench

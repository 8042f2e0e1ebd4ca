// daliz_bench_codegen OUTDIR: writes native_profiles_{100,1000,10000}.cpp, the native
// baseline of the performance benchmark, generated from the same profile descriptions the
// benchmark compiles to daliz and to Lua. A file is rewritten only when its text changes.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <map>

#include "bench/profile_generator.h"
#include "bench/reference_eval.h"

namespace {

using namespace daliz::bench;

// daliz_bench_codegen --calib N: the green share and the declarations hit per kind of
// profile over N declarations, by the reference evaluator, against the calibration.
int calib(size_t count) {
  // Diagnostics: the green share and hits by kind, by the reference evaluator of the
  // descriptions (no generated code involved, so thresholds can be tuned without a rebuild).
  WorkloadGenerator gen(1);
  std::vector<Declaration> ds;
  for (size_t i = 0; i < count; ++i) ds.push_back(gen.next());
  for (size_t n : {100, 1000, 10000}) {
    ProfileSet set = makeProfileSet(n);
    std::map<ProfileKind, std::pair<double, size_t>> kinds;
    for (const auto& p : set.profiles)
      if (!p.suspended) kinds[p.kind].first += p.rate;
    size_t green = 0;
    std::vector<uint32_t> h;
    for (const auto& d : ds) {
      referenceEvaluate(set, d, h);
      green += h.empty();
      uint32_t mask = 0;
      for (uint32_t x : h) mask |= 1u << static_cast<unsigned>(set.profiles[x >> 10].kind);
      for (auto& [k, v] : kinds)
        if (mask & (1u << static_cast<unsigned>(k))) ++v.second;
    }
    std::printf("%5zu profiles: green %.1f%% (predicted %.1f%%);", n, 100.0 * static_cast<double>(green) / static_cast<double>(count),
                100 * set.predictedGreen);
    for (auto& [k, v] : kinds)
      std::printf(" %s %.1f/%.1f", kindName(k), 100.0 * static_cast<double>(v.second) / static_cast<double>(count), 100 * v.first);
    std::printf("\n");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--calib") return calib(std::stoul(argv[2]));
  if (argc != 2) {
    std::fprintf(stderr, "usage: daliz_bench_codegen OUTDIR\n");
    return 2;
  }
  for (size_t n : {100, 1000, 10000}) {
    auto set = daliz::bench::makeProfileSet(n);
    std::string text = daliz::bench::toCpp(set, "native_" + std::to_string(n));
    std::string path = std::string(argv[1]) + "/native_profiles_" + std::to_string(n) + ".cpp";
    std::ifstream old(path, std::ios::binary);
    std::stringstream had;
    had << old.rdbuf();
    if (old && had.str() == text) continue;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
      std::fprintf(stderr, "daliz_bench_codegen: cannot write %s\n", path.c_str());
      return 1;
    }
    std::printf("wrote %s (%zu profiles, predicted green %.1f%%)\n", path.c_str(), n, 100 * set.predictedGreen);
  }
  return 0;
}

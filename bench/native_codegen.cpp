// daliz_bench_codegen OUTDIR: writes native_profiles_{100,1000,10000}.cpp, the native
// baseline of the performance benchmark, generated from the same profile descriptions the
// benchmark compiles to daliz and to Lua. A file is rewritten only when its text changes.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "bench/profile_generator.h"

int main(int argc, char** argv) {
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

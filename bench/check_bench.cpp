// How long `daliz check` takes on large profile sets (issue: 10,000 profiles in under 2 s).
//   daliz_check_bench [COUNT...]     default: 1000 10000
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench/profile_generator.h"
#include "compiler/driver/frontend.h"

int main(int argc, char** argv) {
  std::vector<size_t> counts;
  for (int i = 1; i < argc; ++i) counts.push_back(std::stoul(argv[i]));
  if (counts.empty()) counts = {1000, 10000};
  auto dir = std::filesystem::temp_directory_path() / "daliz-check-bench";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "prices.csv") << "code,origin,value\n61,CN,10.00\n6109,CN,12.00\n84,DE,100.00\n";
  for (size_t n : counts) {
    std::string path = (dir / ("profiles_" + std::to_string(n) + ".dlz")).string();
    std::ofstream(path) << daliz::bench::profileSetPrelude("prices.csv") << daliz::bench::generateProfiles(n, 42);
    double best = 1e9;
    size_t errors = 0;
    for (int run = 0; run < 3; ++run) {
      auto start = std::chrono::steady_clock::now();
      daliz::FrontendOptions options;
      options.files = {path};
      auto c = daliz::runFrontend(options);
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      best = std::min(best, s);
      errors = c->diagnostics.errorCount();
    }
    std::printf("check %6zu profiles (%8zu bytes): %.3f s best of 3, %zu errors\n", n,
                static_cast<size_t>(std::filesystem::file_size(path)), best, errors);
  }
  return 0;
}

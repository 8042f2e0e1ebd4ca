#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace daliz::cli {

struct Options {
  std::vector<std::string> files;
  std::string schema, ref, out, in, bundle;
  bool includeDrafts = false;
  uint64_t seed = 0;
  unsigned threads = 0;
};

// Each returns the process exit code (docs/cli.md).
int runCheck(const Options& o);
int runTest(const Options& o);
int runCompile(const Options& o);
int runRun(const Options& o);
int runDisasm(const Options& o);

}  // namespace daliz::cli

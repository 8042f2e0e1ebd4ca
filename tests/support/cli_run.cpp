#include "tests/support/cli_run.h"

#include <sys/wait.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace daliz::testing {

std::string shellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

Run daliz(const TempDir& dir, const std::string& args, const std::string& stdinFile) {
  static std::atomic<int> counter{0};
  const int n = counter++;
  const std::string out = dir.file("stdout." + std::to_string(n)), err = dir.file("stderr." + std::to_string(n));
  const std::string cmd = "cd " + shellQuote(dir.path().string()) + " && " + shellQuote(DALIZ_BINARY) + " " + args +
                          " >" + shellQuote(out) + " 2>" + shellQuote(err) +
                          (stdinFile.empty() ? " </dev/null" : " <" + shellQuote(stdinFile));
  const int status = std::system(cmd.c_str());
  Run r;
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = readFile(out);
  r.err = readFile(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> v;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) v.push_back(line);
  return v;
}

}  // namespace daliz::testing

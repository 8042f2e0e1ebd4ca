#pragma once
// Running the `daliz` binary built with the tests (DALIZ_BINARY), for end-to-end CLI tests.
#include <string>
#include <vector>

#include "tests/support/engine_fixture.h"

namespace daliz::testing {

struct Run {
  int exit = -1;  // the exit status, or -1 when the process did not exit normally
  std::string out, err;
};

// `s` quoted for the shell.
std::string shellQuote(const std::string& s);

// Runs `daliz ARGS` with `dir` as the working directory (ARGS already quoted as needed), stdin
// from `stdinFile` (a path) or /dev/null, and returns its exit status, stdout and stderr.
Run daliz(const TempDir& dir, const std::string& args, const std::string& stdinFile = "");

// The lines of `text`, without their newlines.
std::vector<std::string> lines(const std::string& text);

}  // namespace daliz::testing

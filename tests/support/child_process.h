#pragma once
// A child process with pipes to its stdin, stdout and stderr, for tests that talk to `daliz`
// while it runs (`run --stream`, `serve`). Every read has a time limit: a test never hangs.
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace daliz::testing {

class ChildProcess {
 public:
  // Starts `argv[0]` with the arguments, in `workDir`.
  ChildProcess(const std::vector<std::string>& argv, const std::string& workDir);
  ~ChildProcess();  // kills it if it still runs
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool write(const std::string& bytes);
  void closeStdin();
  // The next line of stdout (without the newline), or nullopt at EOF or after `timeout`.
  std::optional<std::string> readLine(std::chrono::milliseconds timeout);
  // Reads stderr until a line contains `needle`; returns that line, or nullopt after `timeout`.
  std::optional<std::string> waitForStderr(const std::string& needle,
                                           std::chrono::milliseconds timeout);
  // Everything read from stderr so far (plus whatever is there now).
  const std::string& stderrText();

  void signal(int signo);
  // The exit status once it exits within `timeout` (-1 if killed by a signal), else nullopt.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }

 private:
  bool fill(int fd, std::string& buffer, std::chrono::steady_clock::time_point deadline);
  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;
  std::string outBuffer_, errBuffer_, errSeen_;
  std::optional<int> status_;
};

}  // namespace daliz::testing

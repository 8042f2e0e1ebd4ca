#pragma once
// Files published whole or not at all: what the CLI's outputs and the assignment state
// (assign/assignment_state.h) are written with.
#include <string>
#include <string_view>

namespace daliz {

// Writes `bytes` to `path` atomically: a temporary file beside it, flushed, then renamed
// over the target, so a reader never sees a partial file and a failure leaves none behind.
bool writeFileAtomically(const std::string& path, const std::string& bytes, std::string& why);

// A file written in pieces and published atomically, as writeFileAtomically does in one go:
// append() writes to a temporary file beside `path`, created with permissions `mode`; commit()
// flushes it and renames it over `path` — or, with replace false, fails (EEXIST) when `path`
// exists. Destroyed without a commit, it removes the temporary file.
class AtomicFile {
 public:
  AtomicFile() = default;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();
  bool open(const std::string& path, std::string& why, unsigned mode = 0644);
  bool append(std::string_view bytes, std::string& why);
  bool commit(std::string& why, bool replace = true);

 private:
  std::string path_, tmp_;
  int fd_ = -1;
};

}  // namespace daliz

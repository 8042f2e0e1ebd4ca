#include "vm/io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace daliz {

bool writeFileAtomically(const std::string& path, const std::string& bytes, std::string& why) {
  AtomicFile file;
  return file.open(path, why) && file.append(bytes, why) && file.commit(why);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!tmp_.empty()) ::unlink(tmp_.c_str());
}

bool AtomicFile::open(const std::string& path, std::string& why, unsigned mode) {
  path_ = path;
  tmp_ = path + ".tmp." + std::to_string(::getpid());
  fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd_ < 0) {
    why = std::strerror(errno);
    tmp_.clear();
    return false;
  }
  return true;
}

bool AtomicFile::append(std::string_view bytes, std::string& why) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      why = std::strerror(errno);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

bool AtomicFile::commit(std::string& why, bool replace) {
  bool synced = ::fsync(fd_) == 0;
  int syncErrno = errno;
  bool closed = ::close(fd_) == 0;
  fd_ = -1;
  if (!synced || !closed) {
    why = std::strerror(synced ? errno : syncErrno);
    return false;
  }
  const int renamed =
      replace ? std::rename(tmp_.c_str(), path_.c_str())
              : ::renameat2(AT_FDCWD, tmp_.c_str(), AT_FDCWD, path_.c_str(), RENAME_NOREPLACE);
  if (renamed != 0) {
    why = std::strerror(errno);
    return false;
  }
  tmp_.clear();
  return true;
}

}  // namespace daliz

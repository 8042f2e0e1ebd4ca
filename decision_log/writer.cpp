#include "decision_log/writer.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "vm/bundle/signature.h"
#include "vm/value/timestamp.h"

namespace daliz::decision_log {
namespace {

std::string errnoText() { return std::strerror(errno); }

bool writeAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

int64_t nowMicros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::string segmentName(const std::string& path, unsigned index) {
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, ".%06u", index);
  return path + suffix;
}

// The number of the newest rotated file of `path` (0 when there is none).
unsigned lastSegmentIndex(const std::string& path) {
  unsigned last = 0;
  std::error_code ec;
  while (last < 999999 && std::filesystem::exists(segmentName(path, last + 1), ec)) ++last;
  return last;
}

// Where the line that ends at byte `end` (exclusive) of `fd` starts: just after the last
// newline before `end`, or 0.
bool lineStart(int fd, uint64_t end, uint64_t& start, std::string& error) {
  std::string chunk;
  uint64_t pos = end;
  while (pos > 0) {
    const uint64_t take = std::min<uint64_t>(pos, 64 * 1024);
    chunk.resize(take);
    if (::pread(fd, chunk.data(), take, static_cast<off_t>(pos - take)) !=
        static_cast<ssize_t>(take)) {
      error = "cannot read the decision log: " + errnoText();
      return false;
    }
    if (const size_t nl = chunk.rfind('\n'); nl != std::string::npos) {
      start = pos - take + nl + 1;
      return true;
    }
    pos -= take;
  }
  start = 0;
  return true;
}

// Bytes [from, to) of `fd`.
bool readRange(int fd, uint64_t from, uint64_t to, std::string& out, std::string& error) {
  out.resize(to - from);
  if (::pread(fd, out.data(), out.size(), static_cast<off_t>(from)) !=
      static_cast<ssize_t>(out.size())) {
    error = "cannot read the decision log: " + errnoText();
    return false;
  }
  return true;
}

// The last line of the file `fd` of `size` bytes, which ends with a newline (not included).
bool readLastLine(int fd, uint64_t size, std::string& line, std::string& error) {
  line.clear();
  if (size == 0) return true;
  uint64_t start = 0;
  return lineStart(fd, size - 1, start, error) && readRange(fd, start, size - 1, line, error);
}

}  // namespace

std::vector<std::string> logSegments(const std::string& path) {
  std::vector<std::string> out;
  const unsigned last = lastSegmentIndex(path);
  for (unsigned i = 1; i <= last; ++i) out.push_back(segmentName(path, i));
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) out.push_back(path);
  return out;
}

Writer::Writer(WriterOptions options) : options_(std::move(options)), prev_(kGenesis) {}

std::unique_ptr<Writer> Writer::open(const WriterOptions& options, std::string& error) {
  if (sodium_init() < 0) {
    error = "libsodium could not be initialised";
    return nullptr;
  }
  std::unique_ptr<Writer> w(new Writer(options));
  unsigned char random[8];
  randombytes_buf(random, sizeof random);
  w->idPrefix_ = toHex(random, sizeof random);
  std::lock_guard lock(w->mutex_);
  if (!w->openCurrentLocked(error)) return nullptr;

  // The chain goes on from the last whole record: of the current file, or of the newest
  // rotated one when the current file is empty.
  std::string line;
  if (!readLastLine(w->fd_, w->size_, line, error)) return nullptr;
  if (line.empty()) {
    if (unsigned last = lastSegmentIndex(options.path); last > 0) {
      const std::string previous = segmentName(options.path, last);
      int fd = ::open(previous.c_str(), O_RDONLY | O_CLOEXEC);
      struct stat st {};
      if (fd < 0 || ::fstat(fd, &st) != 0) {
        error = "cannot read `" + previous + "`: " + errnoText();
        if (fd >= 0) ::close(fd);
        return nullptr;
      }
      const bool read = readLastLine(fd, static_cast<uint64_t>(st.st_size), line, error);
      ::close(fd);
      if (!read) return nullptr;
    }
  }
  if (!line.empty()) {
    std::string why;
    auto last = parseRecord(line, why);
    if (!last) {
      error = "the last record of the decision log `" + options.path + "` cannot be read (" + why +
              "): the chain cannot go on from it; move the log aside to start a new one";
      return nullptr;
    }
    w->next_ = last->n + 1;
    w->prev_ = sha256Hex(line);
  }
  if (options.syncEveryMs > 0) w->syncer_ = std::thread([p = w.get()] { p->syncLoop(); });
  return w;
}

bool Writer::openCurrentLocked(std::string& error) {
  fd_ = ::open(options_.path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  struct stat st {};
  if (fd_ < 0 || ::fstat(fd_, &st) != 0) {
    error = "cannot open the decision log `" + options_.path + "`: " + errnoText();
    return false;
  }
  size_ = static_cast<uint64_t>(st.st_size);
  if (size_ == 0) return true;
  // A last line without its newline was torn by a crash mid-write: keep its bytes beside the
  // log for the record, and cut it off so that the file again ends with a whole record.
  char lastByte = 0;
  if (::pread(fd_, &lastByte, 1, static_cast<off_t>(size_ - 1)) != 1) {
    error = "cannot read the decision log `" + options_.path + "`: " + errnoText();
    return false;
  }
  if (lastByte == '\n') return true;
  std::string line;
  uint64_t cut = 0;
  if (!lineStart(fd_, size_, cut, error) || !readRange(fd_, cut, size_, line, error)) return false;
  const std::string torn = options_.path + ".torn-" + formatTimestamp(nowMicros() / 1000000);
  int tfd = ::open(torn.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (tfd < 0 || !writeAll(tfd, line) || ::fsync(tfd) != 0) {
    error = "cannot keep the torn end of the decision log in `" + torn + "`: " + errnoText();
    if (tfd >= 0) ::close(tfd);
    return false;
  }
  ::close(tfd);
  if (::ftruncate(fd_, static_cast<off_t>(cut)) != 0 || ::fsync(fd_) != 0) {
    error = "cannot cut the torn end of the decision log: " + errnoText();
    return false;
  }
  size_ = cut;
  return true;
}

Writer::~Writer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (syncer_.joinable()) syncer_.join();
  if (fd_ >= 0) {
    ::fdatasync(fd_);
    ::close(fd_);
  }
}

bool Writer::rotateLocked(std::string& error) {
  if (::fdatasync(fd_) != 0) {
    error = "cannot sync the decision log: " + errnoText();
    return false;
  }
  const std::string rotated = segmentName(options_.path, lastSegmentIndex(options_.path) + 1);
  if (::rename(options_.path.c_str(), rotated.c_str()) != 0) {
    error = "cannot rotate the decision log to `" + rotated + "`: " + errnoText();
    return false;
  }
  ::close(fd_);
  fd_ = -1;
  dirty_ = false;
  if (!openCurrentLocked(error)) return false;
  // The rename and the new file must survive a crash together: sync their folder.
  std::filesystem::path dir = std::filesystem::path(options_.path).parent_path();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return true;
}

bool Writer::appendLocked(const std::string& body, std::string& error, std::string* id) {
  if (fd_ < 0 && !openCurrentLocked(error)) return false;
  const uint64_t n = next_.load();
  const std::string decisionId = idPrefix_ + "-" + std::to_string(n);
  std::string line = recordLine(n, decisionId, formatTimestampMicros(nowMicros()), body, prev_);
  line += '\n';
  if (size_ > 0 && size_ + line.size() > options_.maxBytes && !rotateLocked(error)) {
    ++failures_;
    return false;
  }
  if (!writeAll(fd_, line)) {
    error = "cannot write the decision log: " + errnoText();
    // Take back a partial record, so the file still ends with a whole one.
    if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
      ::close(fd_);
      fd_ = -1;  // reopened, and its torn end cut, at the next append
    }
    ++failures_;
    return false;
  }
  size_ += line.size();
  line.pop_back();
  prev_ = sha256Hex(line);
  next_.store(n + 1);
  if (options_.syncEveryMs == 0) {
    if (::fdatasync(fd_) != 0) {
      error = "cannot sync the decision log: " + errnoText();
      ++failures_;
      return false;
    }
  } else {
    dirty_ = true;
  }
  if (id) *id = decisionId;
  return true;
}

bool Writer::append(const Entry& e, std::string& error, std::string* id) {
  const std::string body = recordBody(e, options_.keepInputs);  // outside the lock
  std::lock_guard lock(mutex_);
  return appendLocked(body, error, id);
}

bool Writer::append(const std::vector<Entry>& entries, std::string& error) {
  std::vector<std::string> bodies;
  bodies.reserve(entries.size());
  for (const Entry& e : entries) bodies.push_back(recordBody(e, options_.keepInputs));
  std::lock_guard lock(mutex_);
  for (const std::string& body : bodies)
    if (!appendLocked(body, error, nullptr)) return false;
  return true;
}

bool Writer::sync(std::string& error) {
  std::lock_guard lock(mutex_);
  if (fd_ >= 0 && ::fdatasync(fd_) != 0) {
    error = "cannot sync the decision log: " + errnoText();
    return false;
  }
  dirty_ = false;
  return true;
}

void Writer::syncLoop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(options_.syncEveryMs));
    if (!dirty_ || fd_ < 0) continue;
    // fsync without holding the lock: appends go on meanwhile, on the same open file.
    const int fd = ::dup(fd_);
    dirty_ = false;
    lock.unlock();
    if (fd >= 0) {
      if (::fdatasync(fd) != 0) ++failures_;
      ::close(fd);
    }
    lock.lock();
  }
}

}  // namespace daliz::decision_log

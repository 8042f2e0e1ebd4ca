#pragma once
// Appends decisions to a decision log (docs/decision_log.md): JSON Lines, one record per decision
// (record.h), each chained to the previous by its hash, rotated by size.
//
// Durability: every record is handed to the kernel with one write(2) before append() returns, so
// a crash of the process loses nothing that append() confirmed. The file is fsync'ed every
// `syncEveryMs` milliseconds by a background thread (or after every record with syncEveryMs 0):
// a crash of the machine loses at most the records of the last interval.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "decision_log/record.h"

namespace daliz::decision_log {

struct WriterOptions {
  std::string path;                  // the current file; rotated files are path.000001, …
  uint64_t maxBytes = 256ull << 20;  // rotate once the current file reaches this size
  unsigned syncEveryMs = 100;        // 0: fsync after every record
  bool keepInputs = true;            // false: log each input's hash only (--log-no-input)
};

// The files of the log at `path`, oldest first: path.000001, path.000002, …, then path itself
// (each only if it exists).
std::vector<std::string> logSegments(const std::string& path);

class Writer {
 public:
  // Opens (or creates) the log and continues its chain: the last record of the existing files
  // gives the next record's number and prev hash. A last line torn by a crash (no newline) is
  // moved to path.torn-TIME and the chain continues from the last whole record. Null with
  // `error` set when the log cannot be opened or its last record cannot be read.
  static std::unique_ptr<Writer> open(const WriterOptions& options, std::string& error);
  ~Writer();  // syncs and closes
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Appends one record for `e`; thread-safe. Returns false with `error` set when the record
  // could not be written: the decision must then not be given (no decision without its record).
  // `id`, when given, receives the decision id the record carries.
  bool append(const Entry& e, std::string& error, std::string* id = nullptr);
  // Appends the records of several decisions, in order, under one lock.
  bool append(const std::vector<Entry>& entries, std::string& error);

  // Forces everything written so far to disk.
  bool sync(std::string& error);

  uint64_t records() const { return next_.load() - 1; }  // the last record's number
  uint64_t failures() const { return failures_.load(); }
  const WriterOptions& options() const { return options_; }

 private:
  explicit Writer(WriterOptions options);
  bool appendLocked(const std::string& body, std::string& error, std::string* id);
  bool rotateLocked(std::string& error);
  bool openCurrentLocked(std::string& error);
  void syncLoop();

  WriterOptions options_;
  std::string idPrefix_;  // random per process: decision ids are unique across restarts
  std::mutex mutex_;
  int fd_ = -1;
  uint64_t size_ = 0;  // bytes in the current file
  std::string prev_;   // hash of the last record's line
  std::atomic<uint64_t> next_{1};
  std::atomic<uint64_t> failures_{0};
  bool dirty_ = false;  // written since the last fsync
  bool stopping_ = false;
  std::condition_variable wake_;
  std::thread syncer_;
};

}  // namespace daliz::decision_log

#pragma once
// One record of the decision log (docs/decision_log.md): a JSON object on one line,
//
//   {"n":N,"id":"…","time":"YYYY-MM-DDTHH:MM:SS.uuuuuuZ","input_sha256":"…","input":"…",
//    "bundle":"HASH","sequence":N,"engine":"0.1.0","decision":{…},"prev":"…"}
//
// with the members always in this order. "input" is absent when the log keeps no inputs,
// "sequence" when the bundle has no approval metadata. "prev" is the SHA-256 (hex) of the
// previous record's line, bytes without the newline, so that a changed, removed or inserted line
// breaks the chain; the first record of a log has 64 zeros. "n" counts records from 1 across
// the rotated files of one log.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace daliz::decision_log {

inline constexpr std::string_view kGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The SHA-256 of `bytes`, as 64 lowercase hex digits.
std::string sha256Hex(std::string_view bytes);

// What is logged of one decision, known before the record's place in the log is.
struct Entry {
  std::string_view input;     // the declaration as received
  std::string_view decision;  // the decision's JSON line
  std::string_view bundle;    // the content hash of the bundle that decided
  std::optional<uint64_t> sequence;
};

// The members from "input_sha256" to "decision", with a trailing comma: everything of a record
// that does not depend on its place in the log, so callers can make it outside the log's lock.
std::string recordBody(const Entry& e, bool keepInput);

// The full line (no newline) of record n.
std::string recordLine(uint64_t n, std::string_view id, std::string_view time,
                       std::string_view body, std::string_view prev);

// A record read back.
struct Record {
  uint64_t n = 0;
  std::string id, time, inputSha256;
  std::optional<std::string> input;  // unescaped
  std::string bundle;
  std::optional<uint64_t> sequence;
  std::string engine;
  std::string decision;  // the decision's JSON, byte for byte as logged
  std::string prev;
};

// Parses one line; nullopt with `error` set when it is not a record of this format.
std::optional<Record> parseRecord(std::string_view line, std::string& error);

}  // namespace daliz::decision_log

#include "decision_log/record.h"

#include <simdjson.h>
#include <sodium.h>

#include "daliz/version.h"
#include "vm/bundle/signature.h"
#include "vm/exec/decision.h"

namespace daliz::decision_log {

std::string sha256Hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return toHex(digest, sizeof digest);
}

std::string recordBody(const Entry& e, bool keepInput) {
  std::string body;
  body.reserve(e.input.size() + e.decision.size() + 256);
  body += "\"input_sha256\":\"";
  body += sha256Hex(e.input);
  body += '"';
  if (keepInput) {
    body += ",\"input\":";
    appendJsonString(body, e.input);
  }
  body += ",\"bundle\":";
  appendJsonString(body, e.bundle);
  if (e.sequence) body += ",\"sequence\":" + std::to_string(*e.sequence);
  body += ",\"engine\":\"" DALIZ_VERSION "\",\"decision\":";
  body += e.decision;
  body += ',';
  return body;
}

std::string recordLine(uint64_t n, std::string_view id, std::string_view time,
                       std::string_view body, std::string_view prev) {
  std::string line;
  line.reserve(body.size() + 160);
  line += "{\"n\":" + std::to_string(n) + ",\"id\":";
  appendJsonString(line, id);
  line += ",\"time\":";
  appendJsonString(line, time);
  line += ',';
  line += body;
  line += "\"prev\":\"";
  line += prev;
  line += "\"}";
  return line;
}

namespace {

namespace od = simdjson::ondemand;

bool isHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

std::optional<Record> parseRecord(std::string_view line, std::string& error) {
  // A parser per thread: records are read one at a time, and the parser keeps its buffers.
  thread_local od::parser parser;
  simdjson::padded_string padded(line);
  od::document doc;
  od::object obj;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(obj)) {
    error = "not a JSON object";
    return std::nullopt;
  }
  Record r;
  bool sawN = false, sawDecision = false, sawPrev = false, sawHash = false, sawBundle = false;
  for (auto member : obj) {
    od::field field;
    std::string_view key;
    if (std::move(member).get(field) || field.unescaped_key().get(key)) {
      error = "not valid JSON";
      return std::nullopt;
    }
    od::value v = field.value();
    std::string_view s;
    auto text = [&](std::string& out) {
      if (v.get_string().get(s)) return false;
      out = s;
      return true;
    };
    bool ok = true;
    if (key == "n") {
      ok = !v.get_uint64().get(r.n);
      sawN = ok;
    } else if (key == "id") {
      ok = text(r.id);
    } else if (key == "time") {
      ok = text(r.time);
    } else if (key == "input_sha256") {
      ok = text(r.inputSha256) && isHex64(r.inputSha256);
      sawHash = ok;
    } else if (key == "input") {
      std::string in;
      ok = text(in);
      r.input = std::move(in);
    } else if (key == "bundle") {
      ok = text(r.bundle);
      sawBundle = ok;
    } else if (key == "sequence") {
      uint64_t q = 0;
      ok = !v.get_uint64().get(q);
      r.sequence = q;
    } else if (key == "engine") {
      ok = text(r.engine);
    } else if (key == "decision") {
      od::object d;
      ok = !v.get_object().get(d) && !d.raw_json().get(s);
      if (ok) r.decision = s;
      sawDecision = ok;
    } else if (key == "prev") {
      ok = text(r.prev) && isHex64(r.prev);
      sawPrev = ok;
    } else {
      ok = false;
    }
    if (!ok) {
      error = "member \"" + std::string(key) + "\" is not what a record holds";
      return std::nullopt;
    }
  }
  const char* rest = nullptr;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) {
    error = "trailing content after the record";
    return std::nullopt;
  }
  if (!sawN || !sawHash || !sawBundle || !sawDecision || !sawPrev) {
    error = "a member is missing (n, input_sha256, bundle, decision and prev are required)";
    return std::nullopt;
  }
  return r;
}

}  // namespace daliz::decision_log

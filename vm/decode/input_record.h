#pragma once
// A declaration (or participant) built in code rather than read from JSON: what the embedding
// API's api::Record holds, and what DeclarationDecoder::decode(const InputRecord&) reads. It is
// typed and checked exactly as a JSON line is (docs/declarations.md), with the same messages,
// but without writing and parsing JSON.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace daliz {

struct InputRecord;

// One field's value. Shared records are immutable: a record set into another is copied in
// (by reference count), so values behave as values.
struct InputValue {
  enum class Kind : uint8_t { String, Integer, Bool, Record, List };
  Kind kind = Kind::String;
  std::string text;     // String: its bytes (UTF-8)
  int64_t integer = 0;  // Integer; Bool: 0 or 1
  // Record: exactly one element; List: the list's records, in order.
  std::vector<std::shared_ptr<const InputRecord>> records;
};

struct InputRecord {
  // In the order first set; a name appears once (setting it again replaces its value).
  std::vector<std::pair<std::string, InputValue>> fields;

  void set(std::string name, InputValue value) {
    for (auto& [n, v] : fields)
      if (n == name) {
        v = std::move(value);
        return;
      }
    fields.emplace_back(std::move(name), std::move(value));
  }
};

}  // namespace daliz

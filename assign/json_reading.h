#pragma once
// The small JSON inputs of assignment (roster lines, settings, state, decision lines), read with
// the simdjson On-Demand parser the declaration decoder uses.
#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace daliz::assign::json {

namespace od = simdjson::ondemand;

// Each returns "" or what is wrong with `v`, prefixed with `what` ("capacity: expected …").
std::string readString(od::value v, std::string_view what, std::string& out);
std::string readCount(od::value v, std::string_view what, uint64_t& out);  // a whole number >= 0
std::string readBool(od::value v, std::string_view what, bool& out);
std::string readStrings(od::value v, std::string_view what, std::vector<std::string>& out);

// Iterates the members of the JSON object `text` (one line or file): `member(key, value)`
// returns "" or an error, which stops the walk. Returns "" or the first error, including
// "not valid JSON" and "expected a JSON object".
template <typename Member>
std::string forEachMember(od::parser& parser, std::string_view text, Member&& member) {
  // On-Demand parses lazily: it cannot tell "garbage" from a scalar, so the first byte decides
  // which of the two messages a line that is not an object gets.
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || text[first] != '{') return "expected a JSON object";
  simdjson::padded_string buffer(text);
  od::document doc;
  od::object object;
  if (parser.iterate(buffer).get(doc) || doc.get_object().get(object)) return "not valid JSON";
  for (auto field : object) {
    std::string_view key;
    od::value value;
    if (field.unescaped_key().get(key) || field.value().get(value)) return "not valid JSON";
    if (std::string e = member(key, value); !e.empty()) return e;
  }
  const char* rest = nullptr;  // a location only when something follows the object
  if (doc.current_location().get(rest) == simdjson::SUCCESS)
    return "not valid JSON (more after the object)";
  return {};
}

}  // namespace daliz::assign::json

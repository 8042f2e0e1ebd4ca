#include "assign/settings.h"

#include "assign/json_reading.h"
#include "vm/limits.h"

namespace daliz::assign {

uint64_t Settings::weight(uint64_t items) const {
  uint64_t w = 0;
  if (__builtin_mul_overflow(perItem, items, &w) || __builtin_add_overflow(w, perDeclaration, &w))
    return UINT64_MAX;
  return w;
}

std::optional<Settings> readSettings(std::string_view text, std::string& error) {
  if (text.size() > limits::kRosterLineBytes) {
    error = "longer than ";
    error += std::to_string(limits::kRosterLineBytes);
    error += " bytes";
    return std::nullopt;
  }
  json::od::parser parser;
  Settings s;
  uint64_t most = s.most, window = s.window;
  auto member = [&](std::string_view key, json::od::value v) -> std::string {
    if (key == "per_declaration") return json::readCount(v, key, s.perDeclaration);
    if (key == "per_item") return json::readCount(v, key, s.perItem);
    if (key != "rotation") {
      std::string e = "unknown setting `";
      e += key;
      e += '`';
      return e;
    }
    json::od::object rotation;
    if (v.get_object().get(rotation)) return "rotation: expected an object";
    for (auto field : rotation) {
      std::string_view k;
      json::od::value rv;
      if (field.unescaped_key().get(k) || field.value().get(rv)) return "not valid JSON";
      std::string e;
      if (k == "most") {
        e = json::readCount(rv, "rotation.most", most);
      } else if (k == "of_last") {
        e = json::readCount(rv, "rotation.of_last", window);
      } else {
        e = "unknown setting `rotation.";
        e += k;
        e += '`';
      }
      if (!e.empty()) return e;
    }
    return {};
  };
  if (std::string e = json::forEachMember(parser, text, member); !e.empty()) {
    error = std::move(e);
    return std::nullopt;
  }
  if (window < 1 || window > limits::kRotationWindow) {
    error = "rotation.of_last: expected 1 to ";
    error += std::to_string(limits::kRotationWindow);
    return std::nullopt;
  }
  if (most < 1 || most > window) {
    error = "rotation.most: expected 1 to rotation.of_last (";
    error += std::to_string(window);
    error += ')';
    return std::nullopt;
  }
  s.most = static_cast<uint32_t>(most);
  s.window = static_cast<uint32_t>(window);
  return s;
}

}  // namespace daliz::assign

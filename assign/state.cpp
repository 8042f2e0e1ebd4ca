#include "assign/state.h"

#include "assign/json_reading.h"
#include "vm/exec/decision.h"
#include "vm/io/atomic_file.h"

namespace daliz::assign {

namespace {
constexpr std::string_view kFormat = "daliz-assign-state/1";
}

std::string renderState(const State& state) {
  std::string out = "{\"format\":";
  appendJsonString(out, kFormat);
  out += ",\"load\":{";
  const char* comma = "";
  for (const auto& [officer, units] : state.load) {
    out += comma;
    appendJsonString(out, officer);
    out += ':';
    out += std::to_string(units);
    comma = ",";
  }
  out += "},\"recent\":{";
  comma = "";
  for (const auto& [declarant, officers] : state.recent) {
    out += comma;
    appendJsonString(out, declarant);
    out += ":[";
    for (size_t i = 0; i < officers.size(); ++i) {
      if (i) out += ',';
      appendJsonString(out, officers[i]);
    }
    out += ']';
    comma = ",";
  }
  out += "}}\n";
  return out;
}

std::optional<State> parseState(std::string_view text, std::string& error) {
  json::od::parser parser;
  State state;
  bool format = false;
  auto member = [&](std::string_view key, json::od::value v) -> std::string {
    if (key == "format") {
      std::string f;
      if (std::string e = json::readString(v, key, f); !e.empty()) return e;
      if (f != kFormat) {
        std::string e = "format: expected \"";
        e += kFormat;
        e += "\", got \"";
        e += f;
        e += '"';
        return e;
      }
      format = true;
      return {};
    }
    if (key != "load" && key != "recent") {
      std::string e = "unknown member `";
      e += key;
      e += '`';
      return e;
    }
    json::od::object object;
    if (v.get_object().get(object)) return std::string(key) + ": expected an object";
    for (auto field : object) {
      std::string_view name;
      json::od::value value;
      if (field.unescaped_key().get(name) || field.value().get(value)) return "not valid JSON";
      std::string what(key);
      what += '.';
      what += name;
      std::string e = key == "load"
                          ? json::readCount(value, what, state.load[std::string(name)])
                          : json::readStrings(value, what, state.recent[std::string(name)]);
      if (!e.empty()) return e;
    }
    return {};
  };
  if (std::string e = json::forEachMember(parser, text, member); !e.empty()) {
    error = std::move(e);
    return std::nullopt;
  }
  if (!format) {
    error = "format is missing: not a daliz assignment state file";
    return std::nullopt;
  }
  return state;
}

bool saveState(const std::string& path, const State& state, std::string& why) {
  return writeFileAtomically(path, renderState(state), why);
}

}  // namespace daliz::assign

#include "assign/roster.h"

#include <algorithm>

#include "assign/json_reading.h"
#include "vm/limits.h"

namespace daliz::assign {

bool Officer::mayPerform(std::string_view code) const {
  return std::binary_search(measures.begin(), measures.end(), code);
}

const Officer* Roster::find(std::string_view id) const {
  auto it = std::lower_bound(officers.begin(), officers.end(), id,
                             [](const Officer& o, std::string_view k) { return o.id < k; });
  return it != officers.end() && it->id == id ? &*it : nullptr;
}

namespace {

// One roster line into `o`; "" or what is wrong with it.
std::string readOfficer(json::od::parser& parser, std::string_view line, Officer& o) {
  bool id = false, office = false, measures = false, capacity = false, present = false;
  std::string e = json::forEachMember(
      parser, line, [&](std::string_view key, json::od::value v) -> std::string {
        if (key == "id") {
          id = true;
          return json::readString(v, key, o.id);
        }
        if (key == "office") {
          office = true;
          return json::readString(v, key, o.office);
        }
        if (key == "measures") {
          measures = true;
          return json::readStrings(v, key, o.measures);
        }
        if (key == "capacity") {
          capacity = true;
          return json::readCount(v, key, o.capacity);
        }
        if (key == "present") {
          present = true;
          return json::readBool(v, key, o.present);
        }
        return std::string();  // names, ranks, …: not the rules' business
      });
  if (!e.empty()) return e;
  for (auto [seen, name] : {std::pair{id, "id"},
                            {office, "office"},
                            {measures, "measures"},
                            {capacity, "capacity"},
                            {present, "present"}})
    if (!seen) return std::string(name) + " is missing";
  if (o.id.empty()) return "id: must not be empty";
  if (o.office.empty()) return "office: must not be empty";
  std::sort(o.measures.begin(), o.measures.end());
  o.measures.erase(std::unique(o.measures.begin(), o.measures.end()), o.measures.end());
  return {};
}

}  // namespace

std::optional<Roster> readRoster(std::string_view text, std::string& error) {
  json::od::parser parser;
  Roster roster;
  uint64_t lineNumber = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++lineNumber;
    std::string at = "line ";
    at += std::to_string(lineNumber);
    at += ": ";
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (line.size() > limits::kRosterLineBytes) {
      error = at;
      error += "longer than ";
      error += std::to_string(limits::kRosterLineBytes);
      error += " bytes";
      return std::nullopt;
    }
    if (roster.officers.size() == limits::kRosterOfficers) {
      error = at;
      error += "more than ";
      error += std::to_string(limits::kRosterOfficers);
      error += " officers";
      return std::nullopt;
    }
    Officer o;
    if (std::string e = readOfficer(parser, line, o); !e.empty()) {
      error = at;
      error += e;
      return std::nullopt;
    }
    roster.officers.push_back(std::move(o));
  }
  if (roster.officers.empty()) {
    error = "no officers in the roster";
    return std::nullopt;
  }
  std::stable_sort(roster.officers.begin(), roster.officers.end(),
                   [](const Officer& a, const Officer& b) { return a.id < b.id; });
  for (size_t i = 1; i < roster.officers.size(); ++i)
    if (roster.officers[i].id == roster.officers[i - 1].id) {
      error = "officer `";
      error += roster.officers[i].id;
      error += "` is listed twice";
      return std::nullopt;
    }
  return roster;
}

}  // namespace daliz::assign

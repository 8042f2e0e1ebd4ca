#include "assign/assignment.h"

#include <xxhash.h>

#include <algorithm>

#include "assign/json_reading.h"
#include "vm/exec/decision.h"
#include "vm/limits.h"

namespace daliz::assign {

namespace {

// "; "-free lists for reasons: "101, 105".
std::string joined(const std::vector<std::string>& words, size_t most = 5) {
  std::string out;
  for (size_t i = 0; i < words.size() && i < most; ++i) {
    if (i) out += ", ";
    out += words[i];
  }
  if (words.size() > most) out += ", …";
  return out;
}

std::vector<std::string> idsOf(const std::vector<const Officer*>& officers) {
  std::vector<std::string> ids;
  for (const Officer* o : officers) ids.push_back(o->id);
  return ids;
}

// The tie-break among equally loaded officers: XXH3-64 of "declaration id \0 officer id" with
// the seed, so ties do not always favour the same officer, and the same inputs choose the same.
uint64_t tieBreak(uint64_t seed, std::string_view declaration, std::string_view officer) {
  std::string bytes(declaration);
  bytes += '\0';
  bytes += officer;
  return XXH3_64bits_withSeed(bytes.data(), bytes.size(), seed);
}

Assignment unassigned(const char* code, std::string reason) {
  Assignment a;
  a.kind = Assignment::Kind::Unassigned;
  a.code = code;
  a.reason = std::move(reason);
  return a;
}

}  // namespace

std::optional<DecisionFacts> readDecisionLine(std::string_view line, std::optional<std::string>& id,
                                              std::string& error) {
  id.reset();
  if (line.size() > limits::kDeclarationBytes) {
    error = "longer than ";
    error += std::to_string(limits::kDeclarationBytes);
    error += " bytes";
    return std::nullopt;
  }
  thread_local json::od::parser parser;
  DecisionFacts d;
  std::string status;
  bool corridor = false, codes = false;
  auto declaration = [&](json::od::value v) -> std::string {
    json::od::object object;
    if (v.get_object().get(object)) return "declaration: expected an object";
    for (auto field : object) {
      std::string_view key;
      json::od::value value;
      if (field.unescaped_key().get(key) || field.value().get(value)) return "not valid JSON";
      std::string what = "declaration.";
      what += key;
      if (key == "office") {
        if (std::string e = json::readString(value, what, d.office.emplace()); !e.empty()) return e;
      } else if (key == "declarant") {
        if (std::string e = json::readString(value, what, d.declarant.emplace()); !e.empty())
          return e;
      } else if (key == "items") {
        if (std::string e = json::readCount(value, what, d.items); !e.empty()) return e;
      }
    }
    return {};
  };
  auto member = [&](std::string_view key, json::od::value v) -> std::string {
    if (key == "id") {
      bool isNull = false;
      if (!v.is_null().get(isNull) && isNull) return {};
      std::string text;
      if (std::string e = json::readString(v, "id", text); !e.empty())
        return "id: expected a string or null";
      id = text;
      d.id = std::move(text);
      return {};
    }
    if (key == "status") return json::readString(v, key, status);
    if (key == "corridor") {
      corridor = true;
      return json::readString(v, key, d.corridor);
    }
    if (key == "measure_codes") {
      codes = true;
      return json::readStrings(v, key, d.measureCodes);
    }
    if (key == "declaration") return declaration(v);
    return {};  // hits, bundle, …
  };
  if (std::string e = json::forEachMember(parser, line, member); !e.empty()) {
    error = std::move(e);
    return std::nullopt;
  }
  if (status == "error") {
    d.ok = false;
    return d;
  }
  if (status != "ok") {
    error = status.empty() ? "status is missing: not a decision"
                           : "status: expected \"ok\" or \"error\"";
    return std::nullopt;
  }
  if (!corridor || (d.corridor != "green" && d.corridor != "blue" && d.corridor != "yellow" &&
                    d.corridor != "red")) {
    error = "corridor: expected green, blue, yellow or red";
    return std::nullopt;
  }
  if (!codes) {
    error = "measure_codes is missing: decide with a daliz that writes them (docs/assign.md)";
    return std::nullopt;
  }
  return d;
}

Assigner::Assigner(Roster roster, Settings settings, uint64_t seed, bool postRelease, State state)
    : roster_(std::move(roster)),
      settings_(settings),
      seed_(seed),
      postRelease_(postRelease),
      state_(std::move(state)) {}

Assignment Assigner::assign(const DecisionFacts& d) {
  Assignment a;
  if (!d.ok || d.corridor == "green" || (d.corridor == "blue" && !postRelease_)) {
    a.code = d.ok ? d.corridor : "error";
    return a;  // skipped: released without an officer, or no corridor at all
  }
  if (!d.office) return unassigned("no-office", "the decision does not name its customs office");
  const std::string& office = *d.office;
  std::string measures =
      d.measureCodes.empty() ? std::string("its measures") : joined(d.measureCodes, 20);
  // The rules, one filter each: competent, present, with capacity, allowed by rotation.
  std::vector<const Officer*> competent, present, fits, allowed;
  for (const Officer& o : roster_.officers)
    if (o.office == office && std::all_of(d.measureCodes.begin(), d.measureCodes.end(),
                                          [&](const std::string& c) { return o.mayPerform(c); }))
      competent.push_back(&o);
  for (const Officer* o : competent)
    if (o->present) present.push_back(o);
  if (present.empty()) {
    std::string reason = "no officer of customs office ";
    reason += office;
    reason += " who may perform ";
    reason += measures;
    if (competent.empty()) {
      reason += " is on the roster";
    } else {
      reason += " is present (absent: ";
      reason += joined(idsOf(competent));
      reason += ')';
    }
    return unassigned("no-competent-officer", std::move(reason));
  }
  const uint64_t weight = settings_.weight(d.items);
  auto loadOf = [&](const Officer& o) {
    auto it = state_.load.find(o.id);
    return it == state_.load.end() ? uint64_t{0} : it->second;
  };
  for (const Officer* o : present)
    if (loadOf(*o) <= o->capacity && weight <= o->capacity - loadOf(*o)) fits.push_back(o);
  if (fits.empty()) {
    std::string reason = "every competent officer present (";
    reason += joined(idsOf(present));
    reason += ") is at capacity: the declaration needs ";
    reason += std::to_string(weight);
    reason += " workload units";
    return unassigned("at-capacity", std::move(reason));
  }
  // Rotation: look at the declarant's last window-1 assigned declarations (this one makes N).
  const std::vector<std::string>* recent = nullptr;
  if (d.declarant)
    if (auto it = state_.recent.find(*d.declarant); it != state_.recent.end()) recent = &it->second;
  for (const Officer* o : fits) {
    if (recent && !recent->empty()) {
      if (recent->back() == o->id) continue;
      size_t look = std::min<size_t>(recent->size(), settings_.window - 1);
      auto times =
          std::count(recent->end() - static_cast<std::ptrdiff_t>(look), recent->end(), o->id);
      if (static_cast<uint64_t>(times) + 1 > settings_.most) continue;
    }
    allowed.push_back(o);
  }
  if (allowed.empty()) {
    std::string reason = "every competent officer present with capacity (";
    reason += joined(idsOf(fits));
    reason += ") examined declarant ";
    reason += *d.declarant;
    reason += "'s previous declaration or ";
    reason += std::to_string(settings_.most);
    reason += " of its last ";
    reason += std::to_string(settings_.window);
    return unassigned("rotation", std::move(reason));
  }
  // Balance: the least loaded; ties by the seeded hash, then by id (allowed is in id order).
  const std::string_view declarationId = d.id ? std::string_view(*d.id) : std::string_view();
  const Officer* best = nullptr;
  uint64_t bestLoad = 0, bestHash = 0;
  for (const Officer* o : allowed) {
    uint64_t load = loadOf(*o), hash = tieBreak(seed_, declarationId, o->id);
    if (!best || load < bestLoad || (load == bestLoad && hash < bestHash)) {
      best = o;
      bestLoad = load;
      bestHash = hash;
    }
  }
  state_.load[best->id] = bestLoad + weight;  // fits: no overflow (<= capacity)
  if (d.declarant) {
    auto& history = state_.recent[*d.declarant];
    history.push_back(best->id);
    const size_t keep = std::max<size_t>(settings_.window - 1, 1);
    if (history.size() > keep)
      history.erase(history.begin(), history.end() - static_cast<std::ptrdiff_t>(keep));
  }
  a.kind = Assignment::Kind::Assigned;
  a.officer = best->id;
  a.weight = weight;
  return a;
}

std::string Assigner::assignLine(std::string_view line, uint64_t lineNumber, bool& bad) {
  std::optional<std::string> id;
  std::string error;
  std::optional<DecisionFacts> d = readDecisionLine(line, id, error);
  bad = !d;
  if (d) {
    Assignment a = assign(*d);
    ++(a.kind == Assignment::Kind::Assigned     ? counts_.assigned
       : a.kind == Assignment::Kind::Unassigned ? counts_.unassigned
                                                : counts_.skipped);
    return renderAssignmentJson(d->id, a);
  }
  ++counts_.bad;
  std::string out = "{\"id\":";
  if (id)
    appendJsonString(out, *id);
  else
    out += "null";
  out += ",\"line\":";
  out += std::to_string(lineNumber);
  out += ",\"error\":";
  appendJsonString(out, error);
  out += '}';
  return out;
}

std::string renderAssignmentJson(const std::optional<std::string>& id, const Assignment& a) {
  std::string out = "{\"id\":";
  if (id)
    appendJsonString(out, *id);
  else
    out += "null";
  switch (a.kind) {
    case Assignment::Kind::Assigned:
      out += ",\"officer\":";
      appendJsonString(out, a.officer);
      out += ",\"weight\":";
      out += std::to_string(a.weight);
      break;
    case Assignment::Kind::Unassigned:
      out += ",\"unassigned\":";
      appendJsonString(out, a.code);
      out += ",\"reason\":";
      appendJsonString(out, a.reason);
      break;
    case Assignment::Kind::Skipped:
      out += ",\"skipped\":";
      appendJsonString(out, a.code);
      break;
  }
  out += '}';
  return out;
}

std::string renderLoads(const Roster& roster, const State& state) {
  std::vector<const Officer*> officers;
  for (const Officer& o : roster.officers) officers.push_back(&o);
  std::stable_sort(officers.begin(), officers.end(),
                   [](const Officer* a, const Officer* b) { return a->office < b->office; });
  size_t width = 7;
  for (const Officer* o : officers) width = std::max(width, o->id.size());
  auto pad = [](std::string s, size_t n) {
    if (s.size() < n) s.append(n - s.size(), ' ');
    return s;
  };
  std::string out = pad("officer", width);
  out += "  office  present      load / capacity\n";
  for (const Officer* o : officers) {
    auto it = state.load.find(o->id);
    std::string load = std::to_string(it == state.load.end() ? 0 : it->second);
    out += pad(o->id, width);
    out += "  ";
    out += pad(o->office, 6);
    out += "  ";
    out += pad(o->present ? "yes" : "no", 7);
    out += "  ";
    out += std::string(std::max<size_t>(8, load.size()) - load.size(), ' ');
    out += load;
    out += " / ";
    out += std::to_string(o->capacity);
    out += '\n';
  }
  return out;
}

}  // namespace daliz::assign

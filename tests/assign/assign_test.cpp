// Assignment of selected declarations to officers (assign/, docs/assign.md): the rules checked
// on generated rosters and decisions whose right answers are known by construction.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <random>

#include "assign/assignment.h"
#include "daliz/daliz.h"
#include "tests/support/cli_run.h"
#include "tests/support/engine_fixture.h"

using namespace daliz::assign;
using daliz::testing::Json;

namespace {

const std::vector<std::string> kOffices = {"55301", "51301", "50301"};
const std::vector<std::string> kCodes = {"101", "102", "104", "105", "109",
                                         "114", "201", "202", "203"};

std::string officerLine(const std::string& id, const std::string& office,
                        const std::vector<std::string>& codes, uint64_t capacity, bool present) {
  Json measures = Json::array();
  for (const std::string& c : codes) measures.push(c);
  return Json::object({{"id", id},
                       {"office", office},
                       {"measures", measures},
                       {"capacity", static_cast<long long>(capacity)},
                       {"present", present}})
      .dump();
}

std::string decisionLine(const std::string& id, const std::string& corridor,
                         const std::vector<std::string>& codes, const std::string& office,
                         const std::string& declarant, int items) {
  Json c = Json::array();
  for (const std::string& code : codes) c.push(code);
  return Json::object(
             {{"id", id},
              {"status", "ok"},
              {"corridor", corridor},
              {"measures", Json::array()},
              {"measure_codes", c},
              {"declaration",
               Json::object({{"office", office}, {"declarant", declarant}, {"items", items}})},
              {"hits", Json::array()}})
      .dump();
}

Roster roster(const std::string& text) {
  std::string error;
  auto r = readRoster(text, error);
  INFO(error);
  REQUIRE(r);
  return *r;
}

// A generated roster and decisions: officers of three offices with random competences,
// presence and capacities; decisions of every corridor from 40 declarants.
struct Generated {
  std::string officers;
  std::vector<std::string> decisions;
};

Generated generate(uint64_t seed, size_t officers, size_t decisions) {
  std::mt19937_64 rng(seed);
  Generated g;
  for (size_t i = 0; i < officers; ++i) {
    std::vector<std::string> codes;
    for (const std::string& c : kCodes)
      if (rng() % 3 != 0) codes.push_back(c);
    g.officers += officerLine("OFF-" + std::to_string(100 + i), kOffices[rng() % kOffices.size()],
                              codes, 200 + rng() % 400, rng() % 5 != 0);
    g.officers += '\n';
  }
  const char* corridors[] = {"green", "blue", "yellow", "red"};
  for (size_t i = 0; i < decisions; ++i) {
    std::string corridor = corridors[rng() % 4];
    std::vector<std::string> codes;
    if (corridor == "blue") codes.push_back("114");
    if (corridor == "yellow" || corridor == "red") {
      codes.push_back(kCodes[rng() % 3]);
      if (corridor == "red") codes.push_back(kCodes[3 + rng() % 2]);
    }
    g.decisions.push_back(
        decisionLine("D-" + std::to_string(i), corridor, codes, kOffices[rng() % kOffices.size()],
                     "BIN-" + std::to_string(rng() % 40), static_cast<int>(rng() % 6)));
  }
  return g;
}

std::vector<std::string> assignAll(Assigner& a, const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  for (size_t i = 0; i < lines.size(); ++i) {
    bool bad = true;
    out.push_back(a.assignLine(lines[i], i + 1, bad));
    CHECK_FALSE(bad);
  }
  return out;
}

}  // namespace

TEST_CASE(
    "assign: no officer ever gets a measure outside their competence, an absent officer, "
    "another office or more than their capacity",
    "[assign]") {
  for (uint64_t seed : {1u, 2u, 3u}) {
    Generated g = generate(seed, 30, 600);
    Roster r = roster(g.officers);
    Assigner a(r, Settings{}, seed, true);
    std::map<std::string, uint64_t> load;
    size_t assigned = 0, unassigned = 0;
    for (const std::string& line : g.decisions) {
      std::optional<std::string> id;
      std::string error;
      auto d = readDecisionLine(line, id, error);
      REQUIRE(d);
      Assignment x = a.assign(*d);
      if (d->corridor == "green") CHECK(x.kind == Assignment::Kind::Skipped);
      if (x.kind == Assignment::Kind::Unassigned) {
        ++unassigned;
        CHECK_FALSE(x.reason.empty());
      }
      if (x.kind != Assignment::Kind::Assigned) continue;
      ++assigned;
      const Officer* o = r.find(x.officer);
      REQUIRE(o);
      CHECK(o->present);
      CHECK(o->office == *d->office);
      for (const std::string& c : d->measureCodes) CHECK(o->mayPerform(c));
      CHECK(x.weight == 10 + 5 * d->items);
      load[o->id] += x.weight;
      CHECK(load[o->id] <= o->capacity);
    }
    CHECK(assigned > 100);
    CHECK(unassigned > 0);  // capacities are small on purpose
    for (const auto& [id, units] : load) CHECK(a.state().load.at(id) == units);
  }
}

TEST_CASE("assign: when everyone is competent, loads stay within one declaration's weight of even",
          "[assign]") {
  std::string officers;
  for (int i = 0; i < 7; ++i)
    officers += officerLine("K-" + std::to_string(i), "55301", kCodes, 1u << 30, true) + "\n";
  std::mt19937_64 rng(42);
  Assigner a(roster(officers), Settings{}, 7, false);
  uint64_t heaviest = 0;
  for (int i = 0; i < 500; ++i) {
    int items = static_cast<int>(rng() % 10);
    heaviest = std::max<uint64_t>(heaviest, 10 + 5 * items);
    bool bad = false;
    // A declarant each: rotation never stands in the way of the least loaded.
    a.assignLine(decisionLine("D-" + std::to_string(i), i % 2 ? "red" : "yellow", {"101"}, "55301",
                              "BIN-" + std::to_string(i), items),
                 i + 1, bad);
    REQUIRE_FALSE(bad);
    uint64_t lo = UINT64_MAX, hi = 0;
    for (int k = 0; k < 7; ++k) {
      auto it = a.state().load.find("K-" + std::to_string(k));
      uint64_t l = it == a.state().load.end() ? 0 : it->second;
      lo = std::min(lo, l);
      hi = std::max(hi, l);
    }
    if (i >= 6) CHECK(hi - lo <= heaviest);
  }
}

TEST_CASE("assign: rotation — never the same officer twice in a row, at most K of the last N",
          "[assign]") {
  std::string officers;
  for (int i = 0; i < 4; ++i)
    officers += officerLine("K-" + std::to_string(i), "55301", kCodes, 1u << 30, true) + "\n";
  for (uint32_t most : {1u, 2u, 3u})
    for (uint32_t window : {most, most + 2, most + 5}) {
      Settings s;
      s.most = most;
      s.window = window;
      Assigner a(roster(officers), s, 9, false);
      std::map<std::string, std::vector<std::string>> history;
      std::mt19937_64 rng(most * 100 + window);
      for (int i = 0; i < 400; ++i) {
        const std::string declarant = "BIN-" + std::to_string(rng() % 3);
        std::optional<std::string> id;
        std::string error;
        auto d = readDecisionLine(decisionLine("D-" + std::to_string(i), "yellow", {"101"}, "55301",
                                               declarant, static_cast<int>(rng() % 4)),
                                  id, error);
        REQUIRE(d);
        Assignment x = a.assign(*d);
        if (x.kind != Assignment::Kind::Assigned) {
          CHECK(x.code == "rotation");
          continue;
        }
        auto& h = history[declarant];
        if (!h.empty()) CHECK(h.back() != x.officer);
        h.push_back(x.officer);
        const size_t look = std::min<size_t>(h.size(), window);
        CHECK(static_cast<uint32_t>(
                  std::count(h.end() - static_cast<long>(look), h.end(), x.officer)) <= most);
      }
    }
}

TEST_CASE("assign: two halves with the state file between them give the same bytes as the whole",
          "[assign]") {
  Generated g = generate(11, 25, 800);
  Assigner whole(roster(g.officers), Settings{}, 5, true);
  std::vector<std::string> all = assignAll(whole, g.decisions);

  for (size_t cut : {size_t{1}, size_t{333}, size_t{799}}) {
    Assigner first(roster(g.officers), Settings{}, 5, true);
    std::vector<std::string> out =
        assignAll(first, std::vector<std::string>(g.decisions.begin(),
                                                  g.decisions.begin() + static_cast<long>(cut)));
    std::string error;
    auto state = parseState(renderState(first.state()), error);
    INFO(error);
    REQUIRE(state);
    CHECK(*state == first.state());
    Assigner second(roster(g.officers), Settings{}, 5, true, *state);
    for (const std::string& line :
         assignAll(second, std::vector<std::string>(g.decisions.begin() + static_cast<long>(cut),
                                                    g.decisions.end())))
      out.push_back(line);
    CHECK(out == all);
    CHECK(renderState(second.state()) == renderState(whole.state()));
  }
  // The same inputs and seed: the same bytes; another seed breaks ties otherwise.
  Assigner again(roster(g.officers), Settings{}, 5, true);
  CHECK(assignAll(again, g.decisions) == all);
  Assigner reseeded(roster(g.officers), Settings{}, 6, true);
  CHECK(assignAll(reseeded, g.decisions) != all);
}

TEST_CASE("assign: every decision gets a line — skipped, assigned, or unassigned with the reason",
          "[assign]") {
  const std::string officers = officerLine("A", "55301", {"101", "105"}, 30, true) + "\n" +
                               officerLine("B", "55301", {"101", "105", "203"}, 100, false) + "\n" +
                               officerLine("C", "51301", {"101"}, 100, true) + "\n";
  Assigner a(roster(officers), Settings{}, 0, false);
  bool bad = false;
  auto line = [&](const std::string& l) { return a.assignLine(l, 1, bad); };
  CHECK(line(decisionLine("G", "green", {}, "55301", "X", 1)) == R"({"id":"G","skipped":"green"})");
  CHECK(line(decisionLine("B", "blue", {"114"}, "55301", "X", 1)) ==
        R"({"id":"B","skipped":"blue"})");
  CHECK(line(R"({"id":"E","status":"error","error":"items[0]: …"})") ==
        R"({"id":"E","skipped":"error"})");
  CHECK(line(decisionLine("Y1", "yellow", {"101"}, "55301", "X", 1)) ==
        R"({"id":"Y1","officer":"A","weight":15})");
  CHECK(
      line(decisionLine("Y2", "yellow", {"101"}, "55301", "X", 0)) ==
      R"({"id":"Y2","unassigned":"rotation","reason":"every competent officer present with capacity (A) examined declarant X's previous declaration or 2 of its last 6"})");
  CHECK(
      line(decisionLine("Y3", "yellow", {"101"}, "55301", "Z", 2)) ==
      R"({"id":"Y3","unassigned":"at-capacity","reason":"every competent officer present (A) is at capacity: the declaration needs 20 workload units"})");
  CHECK(
      line(decisionLine("R1", "red", {"101", "203"}, "55301", "Z", 0)) ==
      R"x({"id":"R1","unassigned":"no-competent-officer","reason":"no officer of customs office 55301 who may perform 101, 203 is present (absent: B)"})x");
  CHECK(
      line(decisionLine("R2", "red", {"109"}, "39301", "Z", 0)) ==
      R"({"id":"R2","unassigned":"no-competent-officer","reason":"no officer of customs office 39301 who may perform 109 is on the roster"})");
  CHECK(
      line(
          R"({"id":"N","status":"ok","corridor":"red","measures":[],"measure_codes":["105"],"hits":[]})") ==
      R"({"id":"N","unassigned":"no-office","reason":"the decision does not name its customs office"})");
  CHECK_FALSE(bad);
  // Untrusted lines: an error line with the line number, and the next line is assigned as usual.
  CHECK(a.assignLine("{\"id\":\"Q\",\"status\":\"ok\",\"corridor\":\"purple\"}", 7, bad) ==
        R"({"id":"Q","line":7,"error":"corridor: expected green, blue, yellow or red"})");
  CHECK(bad);
  CHECK(a.assignLine("not json", 8, bad) ==
        R"({"id":null,"line":8,"error":"expected a JSON object"})");
  CHECK(
      a.assignLine(R"({"id":"S","status":"ok","corridor":"red"})", 9, bad) ==
      R"x({"id":"S","line":9,"error":"measure_codes is missing: decide with a daliz that writes them (docs/assign.md)"})x");
  CHECK(a.assignLine(R"({"id":5,"status":"ok"})", 10, bad).find("id: expected a string or null") !=
        std::string::npos);
  CHECK(a.assignLine(decisionLine("C1", "yellow", {"101"}, "51301", "X", 0), 11, bad) ==
        R"({"id":"C1","officer":"C","weight":10})");
  CHECK_FALSE(bad);
  // Blue decisions with --post-release: 114 is a measure like any other.
  Assigner post(roster(officers), Settings{}, 0, true);
  CHECK(
      post.assignLine(decisionLine("B", "blue", {"114"}, "55301", "X", 1), 1, bad) ==
      R"({"id":"B","unassigned":"no-competent-officer","reason":"no officer of customs office 55301 who may perform 114 is on the roster"})");
}

TEST_CASE("assign: a bad roster, settings or state file is refused with the line and the reason",
          "[assign]") {
  std::string error;
  auto bad = [&](const std::string& text) {
    error.clear();
    CHECK_FALSE(readRoster(text, error));
    return error;
  };
  const std::string good = officerLine("A", "55301", {"101"}, 10, true);
  CHECK(bad("") == "no officers in the roster");
  CHECK(bad(good + "\n\n{\"id\":\"B\",\"office\":\"55301\",\"measures\":[],\"capacity\":-1,"
                   "\"present\":true}") == "line 3: capacity: expected a whole number, 0 or more");
  CHECK(bad(good + "\n" + good) == "officer `A` is listed twice");
  CHECK(bad("{\"id\":\"A\",\"office\":\"55301\",\"capacity\":1,\"present\":true}") ==
        "line 1: measures is missing");
  CHECK(bad("{\"id\":\"A\",\"office\":\"55301\",\"measures\":[101],\"capacity\":1,\"present\":"
            "true}") == "line 1: measures: expected an array of strings");
  CHECK(bad("[1]") == "line 1: expected a JSON object");
  CHECK(bad("{\"id\":\"A\"") == "line 1: not valid JSON");
  // Unknown members of an officer (a name, a rank) are fine.
  CHECK(readRoster("{\"name\":\"Асель\"," + good.substr(1), error));

  auto s = readSettings(R"({"per_declaration":20,"per_item":2,"rotation":{"most":1,"of_last":3}})",
                        error);
  REQUIRE(s);
  CHECK(s->weight(4) == 28);
  CHECK(s->most == 1);
  CHECK(s->window == 3);
  CHECK_FALSE(readSettings(R"({"per_items":2})", error));
  CHECK(error == "unknown setting `per_items`");
  CHECK_FALSE(readSettings(R"({"rotation":{"most":4,"of_last":3}})", error));
  CHECK(error == "rotation.most: expected 1 to rotation.of_last (3)");
  CHECK_FALSE(readSettings(R"({"rotation":{"of_last":5000}})", error));

  CHECK_FALSE(parseState(R"({"load":{}})", error));
  CHECK(error == "format is missing: not a daliz assignment state file");
  CHECK_FALSE(parseState(R"({"format":"daliz-assign-state/1","load":{"A":"x"}})", error));
  CHECK(error == "load.A: expected a whole number, 0 or more");
  CHECK(parseState(R"({"format":"daliz-assign-state/1","load":{"A":3},"recent":{"X":["A"]}})",
                   error));
}

TEST_CASE("assign: the embedding API's Assigner, after a Session's decision", "[assign]") {
  const std::string officers = officerLine("A", "55301", {"101"}, 100, true) + "\n" +
                               officerLine("B", "55301", {"101"}, 100, true) + "\n";
  std::string error;
  auto a = daliz::api::Assigner::create(officers, "", "", 3, false, error);
  REQUIRE(a);
  daliz::api::Decision d;
  d.json = decisionLine("D-1", "yellow", {"101"}, "55301", "X", 2);
  daliz::api::Assignment x = a->assign(d);
  CHECK(x.id == "D-1");
  CHECK((x.officer == "A" || x.officer == "B"));
  CHECK(x.weight == 20);
  CHECK(x.json == "{\"id\":\"D-1\",\"officer\":\"" + x.officer + "\",\"weight\":20}");
  // The state carries to the next batch: the other officer, and never the same twice in a row.
  auto next = daliz::api::Assigner::create(officers, "", a->state(), 3, false, error);
  REQUIRE(next);
  daliz::api::Assignment y = next->assign(decisionLine("D-2", "red", {"101"}, "55301", "X", 0));
  CHECK_FALSE(y.officer.empty());
  CHECK(y.officer != x.officer);
  CHECK(next->assign("oops").error == "expected a JSON object");
  CHECK_FALSE(daliz::api::Assigner::create(officers, "{\"bogus\":1}", "", 0, false, error));
  CHECK(error == "settings: unknown setting `bogus`");
}

TEST_CASE("assign: daliz assign on the CLI — decisions of daliz run in, the state file carried",
          "[assign][cli]") {
  using daliz::testing::daliz;
  daliz::testing::TempDir dir;
  dir.write("officers.jsonl", officerLine("K-1", "55301", {"101"}, 1000, true) + "\n" +
                                  officerLine("K-2", "55301", {"101"}, 1000, true) + "\n");
  dir.write("p.dlz",
            "profile \"AF\" {\n  level high\n  scope item i\n  when i.origin == \"AF\"\n"
            "  measures documentary_check\n  reason \"from AF\"\n}\n");
  auto compiled = daliz(dir, "compile p.dlz -o p.bundle");
  INFO(compiled.err);
  REQUIRE(compiled.exit == 0);
  std::string declarations;
  for (int i = 0; i < 6; ++i)
    declarations += daliz::testing::baseDeclaration("D-" + std::to_string(i))
                        .set("items[0].origin", i % 3 ? "AF" : "CN")
                        .dump() +
                    "\n";
  dir.write("declarations.jsonl", declarations);
  auto run = daliz(dir, "run p.bundle --in declarations.jsonl --out decisions.jsonl --threads 1");
  INFO(run.err);
  REQUIRE(run.exit == 0);
  const std::string decisions = daliz::testing::readFile(dir.file("decisions.jsonl"));
  CHECK(
      decisions.find(
          R"("measure_codes":["101"],"declaration":{"office":"55301","declarant":"123456789012","items":1})") !=
      std::string::npos);

  auto first = daliz(
      dir, "assign --officers officers.jsonl --in decisions.jsonl --state state.json --loads");
  INFO(first.err);
  REQUIRE(first.exit == 0);
  auto lines = daliz::testing::lines(first.out);
  REQUIRE(lines.size() == 6);
  CHECK(lines[0] == R"({"id":"D-0","skipped":"green"})");
  CHECK(first.err.find("assigned 4, unassigned 0, skipped 2 of 6 decisions") != std::string::npos);
  // One declarant: the officers alternate, and the load is even.
  const std::string state = daliz::testing::readFile(dir.file("state.json"));
  CHECK(
      state.rfind(
          R"({"format":"daliz-assign-state/1","load":{"K-1":30,"K-2":30},"recent":{"123456789012":[)",
          0) == 0);
  CHECK((state.find(R"(["K-1","K-2","K-1","K-2"])") != std::string::npos ||
         state.find(R"(["K-2","K-1","K-2","K-1"])") != std::string::npos));
  // The same run again from the start: the same bytes.
  auto again = daliz(dir, "assign --officers officers.jsonl --in decisions.jsonl");
  CHECK(again.out == first.out);
  // Untrusted lines: an error line each, the rest assigned; exit 2.
  dir.write("mixed.jsonl", "garbage\n" + decisions);
  auto mixed = daliz(dir, "assign --officers officers.jsonl --in mixed.jsonl");
  CHECK(mixed.exit == 2);
  CHECK(daliz::testing::lines(mixed.out).size() == 7);
  CHECK(daliz::testing::lines(mixed.out)[0] ==
        R"({"id":null,"line":1,"error":"expected a JSON object"})");
  // A bad roster: a precise error, exit 1, nothing assigned.
  dir.write("bad.jsonl", officerLine("K-1", "55301", {"101"}, 10, true) + "\n{\"id\":\"K-2\"}\n");
  auto refused = daliz(dir, "assign --officers bad.jsonl --in decisions.jsonl");
  CHECK(refused.exit == 1);
  CHECK(refused.out.empty());
  CHECK(refused.err.find(
            "`bad.jsonl` is not a valid roster of officers: line 2: office is missing") !=
        std::string::npos);
}

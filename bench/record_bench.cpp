// The cost of deciding a declaration built in code (api::Record) against the same declaration as
// JSON, through the embedding API, with the 1,000-profile bench set (docs/performance.md,
// "Records built in code"). Three ways, on the same declarations, with the same decisions:
//   json         Session::decide(std::string_view): the decoder parses the line
//   record       Session::decide(const Record&): the record goes to the decoder as it is
//   record+json  the record written as JSON, then decided as JSON (what Record cost before)
//
//   daliz_record_bench --daliz PATH [--decls 5000] [--rounds 3] [--work DIR]
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench/profile_generator.h"
#include "bench/workload.h"
#include "daliz/daliz.h"

namespace {

using Clock = std::chrono::steady_clock;
using daliz::api::Record;

Record toRecord(simdjson::dom::object obj);

// A JSON value as a Record field: objects and arrays of objects nest, integers stay integers,
// other numbers keep their exact text (as a decimal string), strings and booleans as they are.
void setField(Record& r, const std::string& name, simdjson::dom::element v) {
  switch (v.type()) {
    case simdjson::dom::element_type::OBJECT:
      r.set(name, toRecord(v.get_object().value()));
      break;
    case simdjson::dom::element_type::ARRAY: {
      Record::List list;
      const simdjson::dom::array elements = v.get_array().value();
      for (simdjson::dom::element e : elements) list.push_back(toRecord(e.get_object().value()));
      r.set(name, list);
      break;
    }
    case simdjson::dom::element_type::INT64:
      r.set(name, static_cast<int64_t>(v.get_int64().value()));
      break;
    case simdjson::dom::element_type::STRING:
      r.set(name, std::string(v.get_string().value()));
      break;
    case simdjson::dom::element_type::BOOL:
      r.set(name, v.get_bool().value());
      break;
    case simdjson::dom::element_type::NULL_VALUE:
      break;
    default:
      r.set(name, simdjson::minify(v));
      break;  // a decimal: its text
  }
}

Record toRecord(simdjson::dom::object obj) {
  Record r;
  for (auto [key, value] : obj) setField(r, std::string(key), value);
  return r;
}

double secondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string daliz = "build-release/daliz", work = "/tmp/daliz-record-bench";
  size_t decls = 5000, rounds = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--daliz")
      daliz = v;
    else if (a == "--decls")
      decls = std::stoul(v);
    else if (a == "--rounds")
      rounds = std::stoul(v);
    else if (a == "--work")
      work = v;
  }
  std::filesystem::create_directories(work);
  const std::string source = work + "/profiles.dlz", bundle = work + "/profiles.bundle";
  std::ofstream(source) << daliz::bench::toDaliz(daliz::bench::makeProfileSet(1000),
                                                 "reference_prices.csv");
  std::ofstream(work + "/reference_prices.csv") << daliz::bench::world().refCsv();
  if (std::system(("'" + daliz + "' compile '" + source + "' --ref '" + work + "' -o '" + bundle +
                   "' 2>/dev/null")
                      .c_str()) != 0) {
    std::fprintf(stderr, "daliz_record_bench: cannot compile the bench set with %s\n",
                 daliz.c_str());
    return 1;
  }
  std::string error;
  auto engine = daliz::api::Engine::loadFile(bundle, daliz::api::TrustPolicy::development(), error);
  if (!engine) {
    std::fprintf(stderr, "daliz_record_bench: %s\n", error.c_str());
    return 1;
  }
  daliz::bench::WorkloadGenerator gen(77);
  std::vector<std::string> lines;
  std::vector<Record> records;
  simdjson::dom::parser parser;
  for (size_t i = 0; i < decls; ++i) {
    std::string line;
    daliz::bench::appendJson(line, gen.next());
    records.push_back(toRecord(parser.parse(line).get_object().value()));
    lines.push_back(std::move(line));
  }
  daliz::api::Session session(engine);
  size_t differ = 0;
  for (size_t i = 0; i < decls; ++i)
    differ += session.decide(lines[i]).json != session.decide(records[i]).json;
  // cold: each of the declarations once (records are scattered in memory, lines are not);
  // hot: each one 4 times in a row, as an integrator that builds a record and decides it at once.
  double cold[3] = {1e9, 1e9, 1e9}, hot[3] = {1e9, 1e9, 1e9};
  auto timed = [&](int way, size_t repeat) {
    const auto t = Clock::now();
    for (size_t i = 0; i < decls; ++i)
      for (size_t k = 0; k < repeat; ++k) {
        if (way == 0)
          session.decide(lines[i]);
        else if (way == 1)
          session.decide(records[i]);
        else
          session.decide(records[i].toJson());
      }
    return secondsSince(t) / static_cast<double>(decls * repeat) * 1e6;
  };
  for (size_t r = 0; r < rounds; ++r)
    for (int way = 0; way < 3; ++way) {
      cold[way] = std::min(cold[way], timed(way, 1));
      hot[way] = std::min(hot[way], timed(way, 4));
    }
  const char* names[3] = {"json", "record", "record+json"};
  std::printf(
      "%zu declarations, 1,000 profiles, best of %zu rounds, one session; %zu decisions differ "
      "between json and record\n",
      decls, rounds, differ);
  std::printf("  %-12s %14s %14s\n", "", "cold µs/decl", "hot µs/decl");
  for (int k = 0; k < 3; ++k)
    std::printf("  %-12s %8.2f (%.2f×) %8.2f (%.2f×)\n", names[k], cold[k], cold[k] / cold[0],
                hot[k], hot[k] / hot[0]);
  std::printf(
      "{\"json_us\": %.2f, \"record_us\": %.2f, \"record_json_us\": %.2f, \"record_vs_json_cold\": "
      "%.3f, "
      "\"record_vs_json_hot\": %.3f, \"old_record_vs_json_hot\": %.3f, \"differ\": %zu}\n",
      hot[0], hot[1], hot[2], cold[1] / cold[0], hot[1] / hot[0], hot[2] / hot[0], differ);
  return differ == 0 ? 0 : 1;
}

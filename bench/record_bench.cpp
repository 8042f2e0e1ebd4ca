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
    case simdjson::dom::element_type::OBJECT: r.set(name, toRecord(v.get_object().value())); break;
    case simdjson::dom::element_type::ARRAY: {
      Record::List list;
      for (auto e : v.get_array().value()) list.push_back(toRecord(e.get_object().value()));
      r.set(name, list);
      break;
    }
    case simdjson::dom::element_type::INT64: r.set(name, static_cast<int64_t>(v.get_int64().value())); break;
    case simdjson::dom::element_type::STRING: r.set(name, std::string(v.get_string().value())); break;
    case simdjson::dom::element_type::BOOL: r.set(name, v.get_bool().value()); break;
    case simdjson::dom::element_type::NULL_VALUE: break;
    default: r.set(name, simdjson::minify(v)); break;  // a decimal: its text
  }
}

Record toRecord(simdjson::dom::object obj) {
  Record r;
  for (auto [key, value] : obj) setField(r, std::string(key), value);
  return r;
}

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

int main(int argc, char** argv) {
  std::string daliz = "build-release/daliz", work = "/tmp/daliz-record-bench";
  size_t decls = 5000, rounds = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--daliz") daliz = v;
    else if (a == "--decls") decls = std::stoul(v);
    else if (a == "--rounds") rounds = std::stoul(v);
    else if (a == "--work") work = v;
  }
  std::filesystem::create_directories(work);
  const std::string source = work + "/profiles.dlz", bundle = work + "/profiles.bundle";
  std::ofstream(source) << daliz::bench::toDaliz(daliz::bench::makeProfileSet(1000), "reference_prices.csv");
  std::ofstream(work + "/reference_prices.csv") << daliz::bench::world().refCsv();
  if (std::system(("'" + daliz + "' compile '" + source + "' --ref '" + work + "' -o '" + bundle + "' 2>/dev/null").c_str()) != 0) {
    std::fprintf(stderr, "daliz_record_bench: cannot compile the bench set with %s\n", daliz.c_str());
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
  double best[3] = {1e9, 1e9, 1e9};
  for (size_t r = 0; r < rounds; ++r) {
    auto t = Clock::now();
    for (const std::string& l : lines) session.decide(l);
    best[0] = std::min(best[0], secondsSince(t));
    t = Clock::now();
    for (const Record& rec : records) session.decide(rec);
    best[1] = std::min(best[1], secondsSince(t));
    t = Clock::now();
    for (const Record& rec : records) session.decide(rec.toJson());
    best[2] = std::min(best[2], secondsSince(t));
  }
  const char* names[3] = {"json", "record", "record+json"};
  std::printf("%zu declarations, 1,000 profiles, best of %zu rounds, one session; %zu decisions differ between json and record\n",
              decls, rounds, differ);
  for (int k = 0; k < 3; ++k)
    std::printf("  %-12s %8.2f µs per declaration  (%.2f× json)\n", names[k], best[k] / static_cast<double>(decls) * 1e6,
                best[k] / best[0]);
  std::printf("{\"json_us\": %.2f, \"record_us\": %.2f, \"record_json_us\": %.2f, \"record_vs_json\": %.3f, \"differ\": %zu}\n",
              best[0] / static_cast<double>(decls) * 1e6, best[1] / static_cast<double>(decls) * 1e6,
              best[2] / static_cast<double>(decls) * 1e6, best[1] / best[0], differ);
  return differ == 0 ? 0 : 1;
}

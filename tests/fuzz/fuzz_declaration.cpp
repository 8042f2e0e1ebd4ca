// libFuzzer target: one declaration (a JSON line) through the decoder and, when it decodes, the
// VM with a profile set that reads every kind of field; then the same bytes as a participant for
// the categorize block. An error decision is fine; a crash, a hang or a leak is not.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "compiler/driver/frontend.h"
#include "compiler/driver/pipeline.h"
#include "vm/exec/batch.h"
#include "vm/exec/categorize_batch.h"

namespace {

const char* const kProfiles = R"dlz(
set WATCHED: set<country> = { "AF", "MM", "CN" }
set TEXTILES: set<hs> = { "61", "62", "6301".."6310" }
profile "F-1" {
  level high
  scope item i
  let up = i.customs_value / i.net_weight
  when i.hs_code in TEXTILES and i.origin in WATCHED and up < 10 and i.description.lower().contains("cotton")
  measures documentary_check
  reason "item {i.no}: {up} per kg, {i.description}"
}
profile "F-2" {
  level medium
  sample 50%
  when any(i in declaration.items: i.invoice_value is present and i.customs_value < i.invoice_value * 90%)
       or count(i in declaration.items: any(d in i.documents: d.kind == "04021")) >= 2
       or declaration.registered > 2025-01-01 and declaration.declarant.category == high
  measures customs_examination
  reason "{len(declaration.items)} items, total {declaration.total_customs_value}"
}
categorize "FC" {
  rule "debt" high when participant.unpaid_debt > 0 reason "debt {participant.unpaid_debt}"
  rule "new" medium when participant.declarations_36m < 5 reason "new since {participant.registered}"
  default low reason "none"
}
)dlz";

struct Engine {
  std::unique_ptr<daliz::LoadedProgram> program;
  std::unique_ptr<daliz::BatchRunner> runner;
  std::unique_ptr<daliz::CategorizeBatch> categorizer;
  Engine() {
    daliz::FrontendOptions options;
    options.texts.emplace_back("profiles.dlz", kProfiles);
    auto c = daliz::runFrontend(options);
    std::string error;
    auto p = daliz::buildProgram(*c, daliz::CodegenOptions{}, error);
    if (!p) __builtin_trap();
    program = daliz::loadCompiled(*c, std::move(*p), error);
    if (!program) __builtin_trap();
    runner = std::make_unique<daliz::BatchRunner>(*program, 1);
    categorizer = std::make_unique<daliz::CategorizeBatch>(*program, 1);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Engine engine;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  bool ok = false;
  engine.runner->decideOne(line, ok);
  engine.categorizer->categorizeOne(line, ok);
  return 0;
}

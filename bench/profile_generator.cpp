#include "bench/profile_generator.h"

#include <random>

namespace daliz::bench {

std::string profileSetPrelude(const std::string& tableFile) {
  return "set WATCHED: set<country> = { \"AF\", \"MM\", \"YE\", \"IR\", \"SY\", \"KP\" }\n"
         "set TEXTILES: set<hs> = { \"61\", \"62\", \"6301\"..\"6310\" }\n"
         "table REFERENCE_PRICE(code: hs, origin: country) -> money from \"" + tableFile + "\"\n"
         "indicator unit_price(i: Item): money = i.customs_value / i.net_weight\n";
}

std::string generateProfiles(size_t count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  static const char* const kChapters[] = {"03", "08", "22", "24", "27", "30", "39", "40", "44", "52", "61",
                                          "62", "64", "72", "73", "84", "85", "87", "90", "94", "95"};
  static const char* const kCountries[] = {"CN", "TR", "AE", "IN", "VN", "KR", "US", "DE", "IT", "PL", "UZ", "BY"};
  static const char* const kMeasures[] = {"documentary_check", "customs_examination", "request_documents",
                                          "post_release_audit", "customs_inspection", "explanations"};
  static const char* const kLevels[] = {"low", "medium", "high"};
  auto pick = [&](auto& array) { return array[rng() % (sizeof array / sizeof array[0])]; };
  std::string out;
  for (size_t n = 0; n < count; ++n) {
    std::string id = "BENCH-" + std::to_string(100000 + n);
    std::string chapter = pick(kChapters);
    std::string heading = chapter + std::to_string(10 + rng() % 80);
    int kind = static_cast<int>(rng() % 6);
    out += "profile \"" + id + "\" {\n  title \"generated profile " + std::to_string(n) + "\"\n  area \"bench\"\n";
    out += std::string("  level ") + pick(kLevels) + "\n  valid 2025-01-01 .. 2027-12-31\n";
    switch (kind) {
      case 0:
        out += "  scope item i\n  when i.hs_code in { \"" + heading + "\", \"" + chapter + "01\"..\"" + chapter +
               "09\" } and i.origin in { \"" + pick(kCountries) + "\", \"" + pick(kCountries) + "\" }\n";
        break;
      case 1:
        out += "  scope item i\n  let up = unit_price(i)\n  when i.hs_code.chapter == \"" + chapter +
               "\" and up < REFERENCE_PRICE[i.hs_code, i.origin] * " + std::to_string(40 + rng() % 40) + "%\n";
        break;
      case 2:
        out += "  when (declaration.declarant.category ?? high) >= medium and declaration.procedure == \"40\"\n"
               "       and declaration.total_customs_value > " + std::to_string(1000000 + rng() % 50000000) + "\n";
        break;
      case 3:
        out += "  when count(i in declaration.items: i.hs_code in { \"" + heading +
               "\" }) >= 2 and sum(i in declaration.items: i.gross_weight) > " + std::to_string(1000 + rng() % 20000) + "\n";
        break;
      case 4:
        out += "  scope item i\n  when i.hs_code in TEXTILES and i.description.matches(\"(?i)(brand|replica|" +
               std::to_string(rng() % 1000) + ")\") and i.origin in WATCHED\n";
        break;
      default:
        out += "  sample " + std::to_string(1 + rng() % 5) + "%\n  when declaration.direction == \"IM\" and any(i in declaration.items: i.hs_code in { \"" +
               chapter + "\" })\n";
        break;
    }
    out += std::string("  measures ") + pick(kMeasures) + "\n  reason \"generated {declaration.id}\"\n}\n";
  }
  return out;
}

}  // namespace daliz::bench

#pragma once
// The benchmark workload (issue 4 §1): goods declarations of realistic shape, reproducible
// from a seed, as plain C++ structs (what the native baseline reads) and as JSON Lines in the
// stdlib schema (what daliz reads).
//
// Two layers:
//  * the World: fixed for every run (seeded by kWorldSeed): the HS 2022 subheadings of the
//    stdlib with a popularity, a net-weight law and a base price each; the origin countries;
//    the reference price table (≥ 50,000 rows) the value-control profiles look up. The profile
//    generator calibrates its thresholds against these laws, so the native code generated at
//    build time and the bench agree on them.
//  * the WorkloadGenerator: a stream of declarations drawn from the World with a run seed.
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace daliz::bench {

inline constexpr uint64_t kWorldSeed = 20250101;

// A country as two packed ASCII letters: 'C' << 8 | 'N'.
constexpr uint16_t cc(const char* c) { return static_cast<uint16_t>((c[0] << 8) | c[1]); }
std::string countryText(uint16_t c);

// Days since 1970-01-01 of 2025-01-01; declarations are registered over 730 days from there.
inline constexpr int32_t kFirstDay = 20089;
inline constexpr int32_t kDayCount = 730;
std::string dateText(int32_t days);

struct Archetype {
  const char* hs;
  const char* ru;
  const char* kk;
  const char* en;
  std::vector<std::pair<const char*, double>> origins;
  double price;       // tenge per kg
  double wLow, wHigh; // typical net weight range, kg
};

struct Subheading {
  std::string code;     // 6 digits
  uint32_t number = 0;  // the same as an integer
  std::string en;       // nomenclature text
  double weight = 0;    // popularity: probability that a goods item has this subheading
  int archetype = -1;   // index into archetypes(), or -1 for background goods
  double basePrice = 0; // tenge per kg, used when the reference table has no row
  double lnWeightMu = 0, lnWeightSigma = 1;  // net weight (kg) is log-normal
  std::vector<uint16_t> refOrigins;  // origins with a subheading-level reference row (sorted)
  std::string ext10;    // national extension with its own 10-digit rows, or ""
};

struct World {
  std::vector<Subheading> subheadings;  // sorted by code
  std::vector<uint16_t> origins;        // every origin a goods item may have
  std::vector<double> originWeight;     // global law, sums to 1 (parallel to origins)
  std::vector<uint16_t> coreOrigins;    // origins with a chapter-level row in every chapter
  // Cumulative popularity for sampling.
  std::vector<double> cumulative;

  // Reference price table REFERENCE_PRICE(code: hs, origin: country) -> money, tenge per kg.
  struct RefRow {
    std::string code;
    uint16_t origin;
    int64_t cents;
  };
  std::vector<RefRow> refRows;  // sorted by (code, origin)
  std::unordered_map<uint64_t, int64_t> refIndex;  // refKey(prefix, length, origin) -> cents
  std::vector<uint8_t> refLengths;                 // prefix lengths present, longest first

  static uint64_t refKey(uint64_t prefix, unsigned length, uint16_t origin) {
    return (prefix * 16 + length) << 16 | origin;
  }
  // The longest-prefix lookup of the language (spec §6), in cents; nullopt when no row.
  std::optional<int64_t> refPrice(uint64_t hs10, uint16_t origin) const;
  // P(origin | subheading s): archetypes favour their own origins.
  double originProb(size_t s, uint16_t origin) const;
  // True when items of subheading s from `origin` find a reference row.
  bool hasRef(size_t s, uint16_t origin) const;
  // The table as CSV (header code,origin,value).
  std::string refCsv() const;
  // Index of the subheading with this 6-digit number, or -1.
  int findSubheading(uint32_t number) const;
};

const std::vector<Archetype>& archetypes();
// Built once, thread-safely, from the stdlib's embedded HS 2022 nomenclature.
const World& world();

// ---- laws the profile generator calibrates against -------------------------------------
// Goods items per declaration: most 1–5, a tail past 100, the occasional 999.
struct ItemCountLaw {
  std::vector<int> k;
  std::vector<double> p;
  double mean = 0;
};
const ItemCountLaw& itemCountLaw();

// Value of an item relative to its reference price: F = customs value / (net weight × ref).
inline constexpr double kUndervaluedShare = 0.04;
double valueRatioCdf(double x);  // P(F < x)

// Declarant category: -1 missing, 0 low, 1 medium, 2 high.
double categoryProb(int category);
// Declaration-level codes: (value, probability).
const std::vector<std::pair<std::string, double>>& procedureLaw();
const std::vector<std::pair<std::string, double>>& borderModeLaw();
const std::vector<std::pair<uint16_t, double>>& dispatchLaw();
// Description markers appended to a share of items (what regex profiles look for).
const std::vector<std::string>& markers();
inline constexpr double kMarkerShare = 0.03;

// ---- declarations --------------------------------------------------------------------------
struct Party {
  std::string id;  // "" = missing
  std::string name;
  uint16_t country = 0;
  int8_t category = -1;  // -1 missing, 0 low, 1 medium, 2 high
};

struct Document {
  std::string kind;
  std::string number;  // "" = missing
  int32_t date = -1;   // -1 = missing
};

struct Item {
  int32_t no = 0;
  uint64_t hs = 0;       // 10 digits as an integer
  uint32_t sub = 0;      // index into world().subheadings
  std::string description;
  uint16_t origin = 0;
  int64_t grossG = 0, netG = 0;  // grams (the JSON has kg with 3 decimals)
  double gross = 0, net = 0;     // kg
  std::string preference;        // "" = missing
  std::string procedure;
  int64_t suppMilli = -1;        // supplementary quantity × 1000, -1 = missing
  std::string suppUnit;
  int64_t invoiceCents = -1;
  int valuationMethod = 1;
  int64_t customsCents = 0;
  double customs = 0;            // tenge
  int64_t statisticalCents = -1; // USD
  std::vector<Document> documents;
};

struct Declaration {
  std::string id;
  int32_t registered = 0;  // days since 1970-01-01
  std::string direction, procedure, customsOffice;
  Party exporter, consignee, declarant;
  uint16_t trading = 0, dispatch = 0, destination = 0;
  bool container = false;
  std::string deliveryTerms;  // "" = missing
  std::string currency;
  int64_t invoiceTotalCents = -1;  // contract currency, -1 = missing
  int64_t exchangeRateMicro = -1;  // -1 = missing
  std::string transactionNature, borderMode, inlandMode, entryOffice;  // "" = missing (not border)
  int64_t totalCents = 0;
  double total = 0;
  std::vector<Item> items;
};

class WorkloadGenerator {
 public:
  explicit WorkloadGenerator(uint64_t seed);
  Declaration next();

 private:
  Item makeItem(int32_t no, const std::string& procedure);
  std::mt19937_64 rng_;
  uint64_t sequence_ = 0;
};

// One declaration as one JSON line (no newline), in the stdlib schema.
void appendJson(std::string& out, const Declaration& d);

// Reference price in cents of an item (or its base price when the table has none).
int64_t itemReferenceCents(const Item& item);

}  // namespace daliz::bench

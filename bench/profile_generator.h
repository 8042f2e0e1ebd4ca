#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace daliz::bench {

// N realistic profiles as one source text, reproducible from `seed`: HS sets and ranges
// against origin watchlists, value control against a reference table, category and
// procedure conditions, declaration-level aggregates, regexes on descriptions, sampling.
// The text refers to a table REFERENCE_PRICE(code: hs, origin: country) -> money that
// profileSetPrelude() declares. (Used by daliz_check_bench.)
std::string generateProfiles(size_t count, uint64_t seed);
std::string profileSetPrelude(const std::string& tableFile);

// ---- profile sets for the performance benchmark (issue 4 §1–2) ---------------------------
// One small description per profile; the same description is emitted as daliz source, as
// native C++ and as Lua, so the three engines run the same profiles. Thresholds are
// calibrated against the workload's laws (bench/workload.h) so that about 70% of the
// declarations come out green whatever the size of the set.

inline constexpr uint64_t kProfileSeed = 4;

enum class ProfileKind : uint8_t {
  HsOrigin,     // item: hs in S and origin in O [and net_weight > X]
  Value,        // item: hs in S [and origin in O] and value per kg < reference × p%
  Regex,        // item: hs in S and description matches "(?i)(…)" [and net_weight > X]
  Participant,  // declaration: category (?? high) >= c and procedure == P [and mode] [and
                //   dispatch in D] [and total_customs_value > X]
  Count,        // declaration: count(i in items: hs in S) >= k
  Any,          // declaration: border mode == M and any(i in items: hs in S and origin in O)
  HeavyCheap,   // declaration: sum(i in items: gross_weight) > X and total_customs_value < Y
  Sample,       // declaration: procedure == "40" and any(i in items: hs in S), sample p%
};
const char* kindName(ProfileKind k);

// Prefixes of `length` digits whose value lies in [low, high]: "61" is {2, 61, 61},
// "6301".."6310" is {4, 6301, 6310}.
struct HsElement {
  uint8_t length = 0;
  uint32_t low = 0, high = 0;
};

struct ProfileDescription {
  uint32_t index = 0;
  std::string id;  // "BENCH-00042": byte order = index order
  ProfileKind kind = ProfileKind::HsOrigin;
  bool itemScope = false;
  uint8_t level = 1;        // 0 low, 1 medium, 2 high
  bool suspended = false;   // takes no part (the native and Lua sets leave it out)
  int32_t validFrom = 0, validTo = 0;  // days, inclusive
  std::vector<std::string> measures;
  bool namedHs = false, namedOrigins = false;  // declared as named sets in the source
  std::vector<HsElement> hs;
  std::vector<uint16_t> origins;       // watchlist (empty: any origin)
  int64_t netAboveG = -1;              // i.net_weight > X (grams), -1: absent
  int pct = 0;                         // Value: value per kg < reference × pct%
  std::vector<int> markers;            // Regex: indices into markers()
  int8_t minCategory = -1;             // Participant: (category ?? high) >= minCategory
  std::string procedure, borderMode;   // == conditions ("" absent)
  std::vector<uint16_t> dispatch;      // dispatch_country in … (empty: absent)
  int64_t totalAboveCents = -1, totalBelowCents = -1;
  int countAtLeast = 0;
  int64_t grossSumAboveG = -1;
  uint32_t sampleBp = 10000;           // sample, in basis points
  double rate = 0;                     // predicted share of declarations it fires on
};

struct ProfileSet {
  size_t size = 0;
  uint64_t seed = 0;
  std::vector<ProfileDescription> profiles;
  double predictedGreen = 0;  // assuming profiles fire independently
  uint64_t fingerprint = 0;   // of the emitted daliz source: ties native code to its set
};

// Deterministic: the same (count, seed) gives the same set on every machine.
ProfileSet makeProfileSet(size_t count, uint64_t seed = kProfileSeed);

// The regex of a Regex profile, RE2 syntax.
std::string regexOf(const ProfileDescription& p);

// daliz source text (the table is declared `from "<tableFile>"`).
std::string toDaliz(const ProfileSet& set, const std::string& tableFile);
// Native C++: namespace `ns` with `void evaluate(const Declaration&, NativeHits&)` and
// `extern const uint64_t kFingerprint`; profiles grouped into functions of 100.
std::string toCpp(const ProfileSet& set, const std::string& ns);
// Lua (LuaJIT) chunk defining global functions `evaluate(d, H)` and `run_all(decls, H)`;
// see bench/lua_engine.h for the data layout and the host functions it calls.
std::string toLua(const ProfileSet& set);

}  // namespace daliz::bench

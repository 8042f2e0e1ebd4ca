#pragma once
// The constants of the bundle format shared by the writer and the reader (docs/bundle.md
// describes every byte). Internal to vm/bundle and its tests.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace daliz::bundle {

inline constexpr std::string_view kMagic = "DALIZBND";
// 2: profile guards; 3: notices, document requests, SKEY/SKEYPER/SAMPLEBY, plans
// (docs/bundle.md)
inline constexpr uint32_t kFormatVersion = 3;
inline constexpr size_t kVersionSize = 4;
inline constexpr size_t kPreambleSize = 8 + kVersionSize;  // magic, version
inline constexpr size_t kSectionHeaderSize = 4 + 8;         // tag u32, byte length u64
inline constexpr size_t kHashSize = 16;                     // XXH3-128 trailer

// Section tags are four ASCII letters read as a little-endian u32, so that a hex dump shows
// them as text ("HEAD", "SCHM", …).
constexpr uint32_t fourcc(const char (&s)[5]) {
  return static_cast<uint32_t>(static_cast<uint8_t>(s[0])) |
         static_cast<uint32_t>(static_cast<uint8_t>(s[1])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(s[2])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(s[3])) << 24;
}

struct SectionInfo {
  uint32_t tag;
  const char* name;  // in error messages
};

// Every section appears exactly once, in this order.
inline constexpr std::array<SectionInfo, 10> kSections = {{
    {fourcc("HEAD"), "header"},
    {fourcc("SCHM"), "schema"},
    {fourcc("MEAS"), "measures"},
    {fourcc("CONS"), "constants"},
    {fourcc("SETS"), "sets"},
    {fourcc("TABL"), "tables"},
    {fourcc("REGX"), "regexes"},
    {fourcc("PROF"), "profiles"},
    {fourcc("CATG"), "categorization"},
    {fourcc("PLAN"), "plans"},
}};
enum SectionIndex : size_t {
  kHeader, kSchema, kMeasures, kConstants, kSets, kTables, kRegexes, kProfiles, kCategorization,
  kPlans
};

// XXH3-128 (seed 0) of body, in xxHash's canonical byte order: the high 64 bits big-endian,
// then the low 64 bits big-endian — the order `xxh128sum` prints, so the hex of the trailer
// can be checked with standard tools.
std::array<uint8_t, kHashSize> contentHash(std::string_view body) noexcept;

}  // namespace daliz::bundle

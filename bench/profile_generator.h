#pragma once
#include <cstdint>
#include <string>

namespace daliz::bench {

// N realistic profiles as one source text, reproducible from `seed`: HS sets and ranges
// against origin watchlists, value control against a reference table, category and
// procedure conditions, declaration-level aggregates, regexes on descriptions, sampling.
// The text refers to a table REFERENCE_PRICE(code: hs, origin: country) -> money that
// profileSetPrelude() declares.
std::string generateProfiles(size_t count, uint64_t seed);
std::string profileSetPrelude(const std::string& tableFile);

}  // namespace daliz::bench

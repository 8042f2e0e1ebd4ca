#pragma once
// Lookups over the reference data the stdlib ships (stdlib/data/README.md): ISO 3166-1
// countries, ISO 4217 currencies and the HS 2022 nomenclature. The compiler uses them to
// check literals (spec sections 2, 6 and 11); the VM uses the indices to store countries and
// currencies as small integers.
//
// The data is embedded in the binary and parsed once, on first use, thread-safely; all
// functions may be called concurrently. Codes are matched exactly: upper-case ASCII letters,
// ASCII digits, no surrounding spaces.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daliz {

// Number of possible country indices (26 × 26) and currency indices (26^3): every index
// returned below is smaller.
inline constexpr uint16_t kCountryIndexCount = 26 * 26;
inline constexpr uint16_t kCurrencyIndexCount = 26 * 26 * 26;

// (c0 - 'A') × 26 + (c1 - 'A') when alpha2 is an assigned ISO 3166-1 alpha-2 code ("KZ");
// nullopt for anything else, including aliases such as "UK" and lower case.
std::optional<uint16_t> countryIndex(std::string_view alpha2);

// The two letters of a country index (the inverse of countryIndex); "" when index is not
// below kCountryIndexCount. Letters are returned whether or not the code is assigned.
std::string countryCode(uint16_t index);

// Every assigned alpha-2 code, sorted: for "did you mean" suggestions.
const std::vector<std::string>& allCountryCodes();

// The English short name of an assigned country code ("Kazakhstan"); "" when unassigned.
std::string_view countryName(std::string_view alpha2);

// The ISO code meant by a common non-ISO spelling: "UK" → "GB", "EL" → "GR" (the EU's code
// for Greece). nullopt for everything else, including the ISO codes themselves.
std::optional<std::string_view> countryAlias(std::string_view code);

// Base-26 index of the three letters ((c0 × 26) + c1) × 26 + c2, 'A' = 0, when alpha3 is an
// assigned ISO 4217 code ("KZT"); nullopt otherwise.
std::optional<uint16_t> currencyIndex(std::string_view alpha3);

// The three letters of a currency index; "" when index is not below kCurrencyIndexCount.
std::string currencyCode(uint16_t index);

// Every assigned alpha-3 code, sorted.
const std::vector<std::string>& allCurrencyCodes();

// The name of an assigned currency code ("Tenge"); "" when unassigned.
std::string_view currencyName(std::string_view alpha3);

// True when digits is a chapter (2 digits), heading (4) or subheading (6) of the HS 2022
// nomenclature shipped with the stdlib. Longer (national) codes are never present.
bool hsNomenclatureHas(std::string_view digits);

// The description of such a chapter, heading or subheading; "" when there is none. The view
// stays valid for the life of the program.
std::string_view hsDescription(std::string_view digits);

// A kind of document of the EAEU classifier (stdlib/data/document_kinds.csv): its five-digit
// code, the name a profile gives it (`invoice`) and its English title.
struct DocumentKind {
  std::string code, name, title;
};
// The shipped subset, sorted by code.
const std::vector<DocumentKind>& documentKinds();
// The kind with this name, or this code; null when the subset has none.
const DocumentKind* documentKindNamed(std::string_view name);
const DocumentKind* documentKindCoded(std::string_view code);

}  // namespace daliz

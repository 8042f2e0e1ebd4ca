#pragma once
// The one parser for scalars written as text: HS codes, countries, currencies, dates,
// decimals and money. The checker (literals), the table loader (CSV cells) and the
// declaration decoder (JSON fields) all call it, so all three accept the same text and give
// the same hint for the same mistake ("KAZ" → KZ, "398" → KZT, 01.06.2025 → 2025-06-01,
// 0,5 → 0.5). It sits in the VM because the VM must not depend on the compiler.
//
// Each parse returns the value, or nullopt and (when err is given) why the text is not one
// and, when the mistake is a known one, a hint and the text to write instead. The success
// path never allocates.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vm/value/date.h"
#include "vm/value/decimal.h"

namespace daliz {

struct ScalarError {
  // Why the text is not a value, as the checker and the table loader say it: "not an ISO
  // 3166-1 alpha-2 code", "expected an even number of digits".
  std::string why;
  // What the text looks like and what to write: `an ISO alpha-3 code; write the alpha-2 code
  // "KZ"`, `did you mean "GB"?`. "" when there is no hint.
  std::string hint;
  // The text to write instead ("KZ", "2025-06-01", "0.5"), for fix-its; "" when none.
  std::string fix;
};

// 2 to 10 ASCII digits of even length, packed by encodeHs. Hints: separators ("8703.23",
// "8703 23") → the digits alone.
std::optional<uint64_t> parseHsText(std::string_view text, ScalarError* err = nullptr);

// An assigned ISO 3166-1 alpha-2 code, as countryIndex. Hints: lower case, an alias ("UK"),
// an alpha-3 code ("KAZ") or a numeric code ("398") → the alpha-2 code.
std::optional<uint16_t> parseCountryText(std::string_view text, ScalarError* err = nullptr);

// An assigned ISO 4217 code, as currencyIndex. Hints: lower case, a numeric code ("398"), a
// country code ("KZ"), a withdrawn code ("RUR"), a name or a sign ("tenge", "$") → the code.
std::optional<uint16_t> parseCurrencyText(std::string_view text, ScalarError* err = nullptr);

// "YYYY-MM-DD", as parseDate. Hints: dd.mm.yyyy, dd/mm/yyyy and yyyy.mm.dd → YYYY-MM-DD.
std::optional<Date> parseDateText(std::string_view text, ScalarError* err = nullptr);

// A decimal (and money, which is written the same way), as parseDecimal. Hints: a decimal
// comma ("0,5"), spaces or apostrophes between digit groups ("1 000,50") → the number.
std::optional<Decimal> parseDecimalText(std::string_view text, ScalarError* err = nullptr);
inline std::optional<Decimal> parseMoneyText(std::string_view text, ScalarError* err = nullptr) {
  return parseDecimalText(text, err);
}

// The date an analyst meant by text ("31.01.2025" → "2025-01-31"; "2025-01-31" itself), or
// "" when text is no date: the checker's test for a date written in quotes.
std::string meantDate(std::string_view text);

}  // namespace daliz

#include "vm/value/scalar.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

#include "stdlib/reference_data.h"
#include "vm/value/hs_code.h"

namespace daliz {

namespace {

using Pair = std::pair<std::string_view, std::string_view>;

// Alpha-3 and numeric ISO 3166-1 codes of the countries analysts meet most, with their
// alpha-2 code. (The shipped iso3166.csv holds alpha-2 codes only.)
constexpr std::array kCountryAlpha3 = std::to_array<Pair>({
    {"KAZ", "KZ"}, {"RUS", "RU"}, {"BLR", "BY"}, {"KGZ", "KG"}, {"ARM", "AM"}, {"UZB", "UZ"},
    {"TJK", "TJ"}, {"TKM", "TM"}, {"AZE", "AZ"}, {"GEO", "GE"}, {"UKR", "UA"}, {"MDA", "MD"},
    {"CHN", "CN"}, {"USA", "US"}, {"DEU", "DE"}, {"GER", "DE"}, {"FRA", "FR"}, {"ITA", "IT"},
    {"GBR", "GB"}, {"TUR", "TR"}, {"IRN", "IR"}, {"AFG", "AF"}, {"MMR", "MM"}, {"IND", "IN"},
    {"PAK", "PK"}, {"JPN", "JP"}, {"KOR", "KR"}, {"PRK", "KP"}, {"VNM", "VN"}, {"THA", "TH"},
    {"MYS", "MY"}, {"IDN", "ID"}, {"POL", "PL"}, {"LTU", "LT"}, {"LVA", "LV"}, {"EST", "EE"},
    {"FIN", "FI"}, {"NLD", "NL"}, {"BEL", "BE"}, {"ESP", "ES"}, {"PRT", "PT"}, {"CHE", "CH"},
    {"AUT", "AT"}, {"CZE", "CZ"}, {"SVK", "SK"}, {"HUN", "HU"}, {"ROU", "RO"}, {"BGR", "BG"},
    {"GRC", "GR"}, {"SWE", "SE"}, {"NOR", "NO"}, {"DNK", "DK"}, {"ARE", "AE"}, {"SAU", "SA"},
    {"ISR", "IL"}, {"EGY", "EG"}, {"BRA", "BR"}, {"ARG", "AR"}, {"MEX", "MX"}, {"CAN", "CA"},
    {"AUS", "AU"}, {"MNG", "MN"}, {"HKG", "HK"}, {"TWN", "TW"}, {"SGP", "SG"}, {"BGD", "BD"},
});
constexpr std::array kCountryNumeric = std::to_array<Pair>({
    {"398", "KZ"},
    {"643", "RU"},
    {"112", "BY"},
    {"417", "KG"},
    {"051", "AM"},
    {"860", "UZ"},
    {"156", "CN"},
    {"840", "US"},
    {"276", "DE"},
    {"792", "TR"},
    {"004", "AF"},
    {"104", "MM"},
    {"762", "TJ"},
    {"795", "TM"},
    {"031", "AZ"},
    {"804", "UA"},
    {"356", "IN"},
    {"392", "JP"},
});

// Numeric ISO 4217 codes, country codes, withdrawn codes, names and signs, with the code.
constexpr std::array kCurrencyNumeric = std::to_array<Pair>({
    {"398", "KZT"},
    {"643", "RUB"},
    {"810", "RUB"},
    {"933", "BYN"},
    {"417", "KGS"},
    {"051", "AMD"},
    {"840", "USD"},
    {"978", "EUR"},
    {"156", "CNY"},
    {"826", "GBP"},
    {"392", "JPY"},
    {"949", "TRY"},
    {"860", "UZS"},
    {"756", "CHF"},
});
constexpr std::array kCurrencyOfCountry = std::to_array<Pair>({
    {"KZ", "KZT"},
    {"RU", "RUB"},
    {"BY", "BYN"},
    {"KG", "KGS"},
    {"AM", "AMD"},
    {"US", "USD"},
    {"EU", "EUR"},
    {"CN", "CNY"},
    {"GB", "GBP"},
    {"JP", "JPY"},
    {"TR", "TRY"},
    {"UZ", "UZS"},
});
constexpr std::array kCurrencyWithdrawn = std::to_array<Pair>({{"RUR", "RUB"}, {"BYR", "BYN"}});
constexpr std::array kCurrencyNames = std::to_array<Pair>({
    {"TENGE", "KZT"},
    {"$", "USD"},
    {"€", "EUR"},
    {"₸", "KZT"},
    {"₽", "RUB"},
    {"ТЕНГЕ", "KZT"},
    {"тенге", "KZT"},
    {"DOLLAR", "USD"},
    {"EURO", "EUR"},
});

template <size_t N>
std::optional<std::string_view> lookup(const std::array<Pair, N>& table, std::string_view key) {
  for (const auto& [from, to] : table)
    if (from == key) return to;
  return std::nullopt;
}

std::string upperAscii(std::string_view s) {
  std::string up(s);
  for (char& ch : up)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  return up;
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Fills err (when given) and returns nullopt.
template <typename T>
std::optional<T> fail(ScalarError* err, std::string why, std::string hint = {},
                      std::string fix = {}) {
  if (err != nullptr) *err = ScalarError{std::move(why), std::move(hint), std::move(fix)};
  return std::nullopt;
}

}  // namespace

std::optional<uint64_t> parseHsText(std::string_view text, ScalarError* err) {
  std::string why;
  if (const auto code = encodeHs(text, err != nullptr ? &why : nullptr)) return code;
  if (err == nullptr) return std::nullopt;
  // "8703.23.10", "8703 23 10", "8703-23": the digits alone are the code.
  std::string digits;
  bool separators = false;
  for (char c : text) {
    if (isDigit(c))
      digits += c;
    else if (c == '.' || c == ' ' || c == '-')
      separators = true;
    else
      return fail<uint64_t>(err, why);
  }
  if (separators && encodeHs(digits))
    return fail<uint64_t>(err, why, "write the digits alone: " + quoted(digits), digits);
  return fail<uint64_t>(err, why);
}

std::optional<uint16_t> parseCountryText(std::string_view text, ScalarError* err) {
  if (const auto index = countryIndex(text)) return index;
  if (err == nullptr) return std::nullopt;
  const std::string why = "not an ISO 3166-1 alpha-2 code";
  const std::string up = upperAscii(text);
  if (const auto iso = countryAlias(up))
    return fail<uint16_t>(err, why, "did you mean " + quoted(*iso) + "?", std::string(*iso));
  if (up != text && countryIndex(up))
    return fail<uint16_t>(err, why, "did you mean " + quoted(up) + "?", up);
  if (const auto a2 = lookup(kCountryAlpha3, up))
    return fail<uint16_t>(err, why,
                          "an ISO alpha-3 code; write the alpha-2 code " + std::string(*a2),
                          std::string(*a2));
  if (const auto a2 = lookup(kCountryNumeric, up))
    return fail<uint16_t>(err, why,
                          "an ISO numeric code; write the alpha-2 code " + std::string(*a2),
                          std::string(*a2));
  return fail<uint16_t>(err, why);
}

std::optional<uint16_t> parseCurrencyText(std::string_view text, ScalarError* err) {
  if (const auto index = currencyIndex(text)) return index;
  if (err == nullptr) return std::nullopt;
  const std::string why = "not an ISO 4217 code";
  const std::string up = upperAscii(text);
  auto hinted = [&](std::string_view kind, std::string_view code) {
    return fail<uint16_t>(err, why, std::string(kind) + std::string(code), std::string(code));
  };
  if (up != text && currencyIndex(up))
    return fail<uint16_t>(err, why, "did you mean " + quoted(up) + "?", up);
  if (const auto c = lookup(kCurrencyNumeric, up))
    return hinted("an ISO numeric code; write the alpha-3 code ", *c);
  if (const auto c = lookup(kCurrencyOfCountry, up))
    return hinted("a country code; write the currency code ", *c);
  if (const auto c = lookup(kCurrencyWithdrawn, up)) return hinted("a withdrawn code; write ", *c);
  if (const auto c = lookup(kCurrencyNames, up)) return hinted("write the ISO code ", *c);
  if (const auto c = lookup(kCurrencyNames, text)) return hinted("write the ISO code ", *c);
  return fail<uint16_t>(err, why);
}

std::string meantDate(std::string_view text) {
  if (parseDate(text)) return std::string(text);
  // d.m.yyyy, d/m/yyyy, yyyy.m.d, yyyy/m/d: three numbers and one separator twice.
  int part[3] = {0, 0, 0};
  int digits[3] = {0, 0, 0};
  char sep = 0;
  size_t n = 0;
  for (char c : text) {
    if (isDigit(c)) {
      if (++digits[n] > 4) return "";
      part[n] = part[n] * 10 + (c - '0');
    } else if ((c == '.' || c == '/') && (sep == 0 || sep == c) && digits[n] > 0 && n < 2) {
      sep = c;
      ++n;
    } else {
      return "";
    }
  }
  if (n != 2 || digits[2] == 0) return "";
  int y = part[2], m = part[1], d = part[0];
  if (digits[0] == 4)
    y = part[0], d = part[2];
  else if (digits[2] != 4)
    return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return parseDate(buf) ? buf : "";
}

std::optional<Date> parseDateText(std::string_view text, ScalarError* err) {
  if (const auto d = parseDate(text)) return d;
  if (err == nullptr) return std::nullopt;
  const std::string why = "not a date YYYY-MM-DD";
  const std::string iso = meantDate(text);
  if (iso.empty()) return fail<Date>(err, why);
  // The shape as written, with its own separator: "a dd.mm.yyyy date", "a yyyy/mm/dd date".
  const size_t first = text.find_first_of("./");
  std::string shape = first == 4 ? "yyyy.mm.dd" : "dd.mm.yyyy";
  std::replace(shape.begin(), shape.end(), '.', text[first]);
  shape = "a " + shape + " date";
  return fail<Date>(err, why, shape + "; write " + iso, iso);
}

std::optional<Decimal> parseDecimalText(std::string_view text, ScalarError* err) {
  std::string why;
  if (const auto d = parseDecimal(text, err != nullptr ? &why : nullptr)) return d;
  if (err == nullptr) return std::nullopt;
  // "0,5", "1 000,50", "1'000.50", "1 000": a decimal comma or grouped digits.
  // With a decimal point, commas group digits ("1,500.00"); without one, a comma is the point.
  const bool point = text.find('.') != std::string_view::npos;
  std::string number;
  bool comma = false, grouped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool between =
        i > 0 && i + 1 < text.size() && isDigit(text[i - 1]) && isDigit(text[i + 1]);
    if (c == ',' && between && !point && !comma)
      comma = true, number += '.';
    else if ((c == ' ' || c == '\'' || (c == ',' && point)) && between)
      grouped = true;
    else if (text.substr(i, 2) == "\xC2\xA0" && i > 0 && isDigit(text[i - 1]))
      grouped = true, ++i;
    else
      number += c;
  }
  if ((comma || grouped) && number.find('.') == number.rfind('.') && parseDecimal(number)) {
    const char* shape = comma && grouped ? "a decimal comma and grouped digits; write "
                        : comma          ? "a decimal comma; write "
                                         : "grouped digits; write ";
    return fail<Decimal>(err, why, shape + number, number);
  }
  return fail<Decimal>(err, why);
}

}  // namespace daliz

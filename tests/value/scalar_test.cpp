#include "vm/value/scalar.h"

#include <catch2/catch.hpp>
#include <string>

#include "stdlib/reference_data.h"
#include "vm/value/hs_code.h"

namespace daliz {
namespace {

// The error of a text that must not parse.
template <typename Parse>
ScalarError errorOf(Parse parse, std::string_view text) {
  ScalarError err;
  INFO(text);
  CHECK_FALSE(parse(text, &err).has_value());
  CHECK_FALSE(err.why.empty());
  return err;
}

// Checks the hint and the fix of a text that must not parse.
template <typename Parse>
void hinted(Parse parse, std::string_view text, const std::string& hint, const std::string& fix) {
  const ScalarError err = errorOf(parse, text);
  INFO(text);
  CHECK(err.hint == hint);
  CHECK(err.fix == fix);
}

// Checks that a text does not parse and has no hint.
template <typename Parse>
void unhinted(Parse parse, std::string_view text) {
  const ScalarError err = errorOf(parse, text);
  INFO(text);
  CHECK(err.hint.empty());
  CHECK(err.fix.empty());
}

const auto hs = [](std::string_view t, ScalarError* e) { return parseHsText(t, e); };
const auto country = [](std::string_view t, ScalarError* e) { return parseCountryText(t, e); };
const auto currency = [](std::string_view t, ScalarError* e) { return parseCurrencyText(t, e); };
const auto date = [](std::string_view t, ScalarError* e) { return parseDateText(t, e); };
const auto decimal = [](std::string_view t, ScalarError* e) { return parseDecimalText(t, e); };
const auto money = [](std::string_view t, ScalarError* e) { return parseMoneyText(t, e); };

TEST_CASE("scalar: HS codes", "[value][scalar]") {
  CHECK(parseHsText("6109100000") == encodeHs("6109100000"));
  CHECK(parseHsText("01") == encodeHs("01"));
  CHECK(errorOf(hs, "010").why == "expected an even number of digits");
  unhinted(hs, "61A9");
  unhinted(hs, "");
  unhinted(hs, "630221800012");
  hinted(hs, "8703.23", "write the digits alone: \"870323\"", "870323");
  hinted(hs, "8703 23 10 00", "write the digits alone: \"8703231000\"", "8703231000");
  unhinted(hs, "8703.2");  // the digits alone are no code either
}

TEST_CASE("scalar: countries", "[value][scalar]") {
  CHECK(parseCountryText("KZ") == countryIndex("KZ"));
  CHECK(parseCountryText("GB").has_value());
  CHECK(errorOf(country, "XX").why == "not an ISO 3166-1 alpha-2 code");
  unhinted(country, "XX");
  unhinted(country, "");
  unhinted(country, "KZ ");
  hinted(country, "KAZ", "an ISO alpha-3 code; write the alpha-2 code KZ", "KZ");
  hinted(country, "kaz", "an ISO alpha-3 code; write the alpha-2 code KZ", "KZ");
  hinted(country, "398", "an ISO numeric code; write the alpha-2 code KZ", "KZ");
  hinted(country, "051", "an ISO numeric code; write the alpha-2 code AM", "AM");
  hinted(country, "UK", "did you mean \"GB\"?", "GB");
  hinted(country, "mn", "did you mean \"MN\"?", "MN");
}

TEST_CASE("scalar: currencies", "[value][scalar]") {
  CHECK(parseCurrencyText("KZT") == currencyIndex("KZT"));
  CHECK(errorOf(currency, "USX").why == "not an ISO 4217 code");
  unhinted(currency, "USX");
  unhinted(currency, "");
  hinted(currency, "398", "an ISO numeric code; write the alpha-3 code KZT", "KZT");
  hinted(currency, "KZ", "a country code; write the currency code KZT", "KZT");
  hinted(currency, "usd", "did you mean \"USD\"?", "USD");
  hinted(currency, "RUR", "a withdrawn code; write RUB", "RUB");
  hinted(currency, "tenge", "write the ISO code KZT", "KZT");
  hinted(currency, "₸", "write the ISO code KZT", "KZT");
  hinted(currency, "$", "write the ISO code USD", "USD");
}

TEST_CASE("scalar: dates", "[value][scalar]") {
  CHECK(parseDateText("2025-06-01") == parseDate("2025-06-01"));
  CHECK(errorOf(date, "2025-02-30").why == "not a date YYYY-MM-DD");
  unhinted(date, "2025-02-30");
  unhinted(date, "2025-01-02T10:00:00");
  unhinted(date, "31.02.2025");  // no such day, however written
  unhinted(date, "01.06.25");    // a two-digit year is not guessed
  unhinted(date, "01.06/2025");
  hinted(date, "01.06.2025", "a dd.mm.yyyy date; write 2025-06-01", "2025-06-01");
  hinted(date, "1.6.2025", "a dd.mm.yyyy date; write 2025-06-01", "2025-06-01");
  hinted(date, "01/06/2025", "a dd/mm/yyyy date; write 2025-06-01", "2025-06-01");
  hinted(date, "2025.06.01", "a yyyy.mm.dd date; write 2025-06-01", "2025-06-01");
  CHECK(meantDate("2025-06-01") == "2025-06-01");
  CHECK(meantDate("31.01.2025") == "2025-01-31");
  CHECK(meantDate("high").empty());
}

TEST_CASE("scalar: decimals and money", "[value][scalar]") {
  CHECK(parseDecimalText("0.5") == parseDecimal("0.5"));
  CHECK(parseMoneyText("1457685.00") == parseDecimal("1457685.00"));
  CHECK(errorOf(decimal, "abc").why == "not a number");
  CHECK(errorOf(decimal, "0.1234567").why == "more than 6 fractional digits");
  unhinted(decimal, "abc");
  unhinted(decimal, " 515.824");
  unhinted(decimal, "0,1234567");  // the number meant is not one either
  hinted(decimal, "0,5", "a decimal comma; write 0.5", "0.5");
  hinted(money, "1 000,50", "a decimal comma and grouped digits; write 1000.50", "1000.50");
  hinted(money, "1 000 000", "grouped digits; write 1000000", "1000000");
  hinted(money, "1,500.00", "grouped digits; write 1500.00", "1500.00");
  hinted(money, "1'500.00", "grouped digits; write 1500.00", "1500.00");
}

}  // namespace
}  // namespace daliz

#include "vm/value/decimal.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>

namespace daliz {
namespace {

// Results are compared as text: Catch2 cannot print __int128, and text is what a reader of
// the expectation wants to see anyway.
std::string show(std::optional<Decimal> d) { return d ? toString(*d) : "nullopt"; }

Decimal dec(std::string_view text) {
  const auto d = parseDecimal(text);
  REQUIRE(d.has_value());
  return *d;
}

std::string whyRejected(std::string_view text) {
  std::string why;
  return parseDecimal(text, &why) ? "accepted" : why;
}

const std::string kMax = "999999999999999999999999999999.999999";  // 10^30 - 10^-6
const std::string kTiny = "0.000001";

TEST_CASE("decimal: fromInt scales by 10^6 and covers int64", "[decimal]") {
  STATIC_REQUIRE(Decimal::fromInt(42).units == 42'000'000);
  STATIC_REQUIRE(Decimal::fromInt(-3) < Decimal::fromInt(0));
  CHECK(toString(Decimal::fromInt(std::numeric_limits<int64_t>::min())) == "-9223372036854775808");
  CHECK(toString(Decimal::fromInt(std::numeric_limits<int64_t>::max())) == "9223372036854775807");
  CHECK(inRange(Decimal::fromInt(std::numeric_limits<int64_t>::min())));
}

TEST_CASE("decimal: parses plain and JSON forms exactly", "[decimal]") {
  CHECK(show(parseDecimal("0")) == "0");
  CHECK(show(parseDecimal("30110")) == "30110");
  CHECK(show(parseDecimal("0.7")) == "0.7");
  CHECK(show(parseDecimal("-1.25")) == "-1.25");
  CHECK(show(parseDecimal("1.2500000")) == "1.25");  // trailing zeros beyond 6 digits are fine
  CHECK(show(parseDecimal("0.000001")) == "0.000001");
  CHECK(show(parseDecimal("007.50")) == "7.5");
  CHECK(show(parseDecimal("12.5e-1")) == "1.25");
  CHECK(show(parseDecimal("1e6")) == "1000000");
  CHECK(show(parseDecimal("1E+2")) == "100");
  CHECK(show(parseDecimal("2.5E-3")) == "0.0025");
  CHECK(show(parseDecimal("123456e-6")) == "0.123456");
  CHECK(show(parseDecimal("12345670e-7")) == "1.234567");
  CHECK(show(parseDecimal("0.00e-40")) == "0");
  CHECK(show(parseDecimal("0e999999999999999999999")) == "0");
  CHECK(show(parseDecimal(kMax)) == kMax);
  CHECK(show(parseDecimal("-" + kMax)) == "-" + kMax);
  CHECK(show(parseDecimal("9.99e29")) == "999000000000000000000000000000");
}

TEST_CASE("decimal: minus zero is plain zero", "[decimal]") {
  const Decimal z = dec("-0.000");
  CHECK(z == Decimal{0});
  CHECK(toString(z) == "0");
}

TEST_CASE("decimal: the valid range ends at 10^36 - 1 units", "[decimal]") {
  CHECK(dec(kMax).units == Decimal::kMaxUnits);
  CHECK(inRange(Decimal{Decimal::kMaxUnits}));
  CHECK_FALSE(inRange(Decimal{Decimal::kMaxUnits + 1}));
  CHECK_FALSE(inRange(Decimal{-Decimal::kMaxUnits - 1}));
}

TEST_CASE("decimal: rejects malformed text as not a number", "[decimal]") {
  for (const char* text :
       {"",    "+1",   "-",   ".5",    "5.",  "1e",  "1e+",      "e5",    " 1",    "1 ",
        "1,5", "0x10", "abc", "1.2.3", "--1", "NaN", "Infinity", "1_000", "1e5.5", "\xD9\xA1"}) {
    INFO("text: " << text);
    CHECK(whyRejected(text) == "not a number");
  }
}

TEST_CASE("decimal: rejects more than 6 fractional digits", "[decimal]") {
  for (const char* text : {"0.0000001", "1.1234567", "-0.0000005", "1e-7", "123456e-7", "0.5e-6"}) {
    INFO("text: " << text);
    CHECK(whyRejected(text) == "more than 6 fractional digits");
  }
  CHECK(whyRejected("1.0000000") == "accepted");
}

TEST_CASE("decimal: rejects values out of range", "[decimal]") {
  for (const char* text : {"1000000000000000000000000000000",  // 10^30
                           "-1000000000000000000000000000000", "1e30", "1.5e30", "1e999999999999",
                           "123456789012345678901234567890123456789012345"}) {
    INFO("text: " << text);
    CHECK(whyRejected(text) == "out of range");
  }
  CHECK(parseDecimal("1e30") == std::nullopt);  // and the reason is optional
}

TEST_CASE("decimal: add and sub are exact and stop at the range", "[decimal]") {
  CHECK(show(add(dec("0.1"), dec("0.2"))) == "0.3");
  CHECK(show(sub(dec("1"), dec("1.000001"))) == "-0.000001");
  CHECK(show(add(dec(kMax), dec("0"))) == kMax);
  CHECK(show(add(dec(kMax), dec(kTiny))) == "nullopt");
  CHECK(show(add(dec("-" + kMax), dec("-" + kTiny))) == "nullopt");
  CHECK(show(sub(dec("-" + kMax), dec(kTiny))) == "nullopt");
  CHECK(show(sub(dec(kMax), dec("-" + kTiny))) == "nullopt");
  CHECK(show(sub(dec(kMax), dec(kMax))) == "0");
}

TEST_CASE("decimal: neg is exact over the whole range", "[decimal]") {
  CHECK(show(neg(dec(kMax))) == "-" + kMax);
  CHECK(show(neg(dec("-2.5"))) == "2.5");
  CHECK(show(neg(Decimal{0})) == "0");
}

TEST_CASE("decimal: operands outside the range give nullopt", "[decimal]") {
  const Decimal bad{Decimal::kMaxUnits + 1};
  CHECK_FALSE(add(bad, Decimal{0}));
  CHECK_FALSE(sub(Decimal{0}, bad));
  CHECK_FALSE(neg(bad));
  CHECK_FALSE(mul(bad, Decimal::fromInt(1)));
  CHECK_FALSE(div(Decimal::fromInt(1), bad));
}

TEST_CASE("decimal: mul rounds half-even to 6 digits", "[decimal]") {
  CHECK(show(mul(dec("1.5"), dec("2"))) == "3");
  CHECK(show(mul(dec("0.001"), dec("0.001"))) == "0.000001");
  CHECK(show(mul(dec("0.0006"), dec("0.001"))) == "0.000001");  // 0.0000006 rounds up
  CHECK(show(mul(dec("0.0004"), dec("0.001"))) == "0");         // 0.0000004 rounds down
  // Ties go to the even last digit, both ways.
  CHECK(show(mul(dec("0.0005"), dec("0.001"))) == "0");         // 0.0000005 → 0.000000
  CHECK(show(mul(dec("0.0015"), dec("0.001"))) == "0.000002");  // 0.0000015 → 0.000002
  CHECK(show(mul(dec("0.0025"), dec("0.001"))) == "0.000002");  // 0.0000025 → 0.000002
  CHECK(show(mul(dec("0.0035"), dec("0.001"))) == "0.000004");  // 0.0000035 → 0.000004
  // Negative values round symmetrically, and a product that rounds to zero has no sign.
  CHECK(show(mul(dec("-0.0025"), dec("0.001"))) == "-0.000002");
  CHECK(show(mul(dec("-0.0035"), dec("0.001"))) == "-0.000004");
  CHECK(show(mul(dec("0.0005"), dec("-0.001"))) == "0");
  CHECK(show(mul(dec("-0.0006"), dec("-0.001"))) == "0.000001");
}

TEST_CASE("decimal: mul is exact when the product needs more than 128 bits", "[decimal]") {
  // Expected values computed with Python's decimal module (ROUND_HALF_EVEN).
  CHECK(show(mul(dec("12345678901234567890.123457"), dec("98765432.123456"))) ==
        "1219326311537865565432186577.381506");
  CHECK(show(mul(dec("-12345678901234567890.123457"), dec("98765432.123456"))) ==
        "-1219326311537865565432186577.381506");
  CHECK(show(mul(dec("123456789012345.678901"), dec("-8099999999999.999999"))) ==
        "-999999990999999998974643210.987654");
  // Ties in the wide path: ...0.0050025 → ...0.005002 and ...0.0150075 → ...0.015008.
  CHECK(show(mul(dec("1000000000000000000000000.000005"), dec("1000.5"))) ==
        "1000500000000000000000000000.005002");
  CHECK(show(mul(dec("-1000000000000000000000000.000015"), dec("1000.5"))) ==
        "-1000500000000000000000000000.015008");
  // The largest square with 15 integer digits still fits.
  CHECK(show(mul(dec("999999999999999.999999"), dec("999999999999999.999999"))) ==
        "999999999999999999998000000000");
}

TEST_CASE("decimal: mul overflows exactly at the bound", "[decimal]") {
  CHECK(show(mul(dec(kMax), dec("1"))) == kMax);
  CHECK(show(mul(dec(kMax), dec("-1"))) == "-" + kMax);
  CHECK(show(mul(dec(kMax), dec("1.000001"))) == "nullopt");
  CHECK(show(mul(dec("1e15"), dec("999999999999999"))) == "999999999999999000000000000000");
  CHECK(show(mul(dec("1e15"), dec("1e15"))) == "nullopt");  // 10^30
  CHECK(show(mul(dec(kMax), dec(kMax))) == "nullopt");
  CHECK(show(mul(dec("-" + kMax), dec(kMax))) == "nullopt");
  CHECK(show(mul(dec("199999999999999999999999999999.999999"), dec("5"))) ==
        "999999999999999999999999999999.999995");
  // Exactly 10^30 - 10^-6 after the product, with no rounding: still in range.
  CHECK(show(mul(dec("999999000000999999000000999999"), dec("1.000001"))) == kMax);
}

TEST_CASE("decimal: mul overflows when rounding crosses the bound", "[decimal]") {
  // The exact product is 10^30 - 0.0000000001: below the bound, but it rounds to 10^30.
  CHECK(show(mul(dec("999990000099999000009999900000.99999"), dec("1.00001"))) == "nullopt");
  CHECK(show(mul(dec("-999990000099999000009999900000.99999"), dec("1.00001"))) == "nullopt");
  // 333…333.333333 × 3 lands exactly on the largest value.
  CHECK(show(mul(dec("333333333333333333333333333333.333333"), dec("3"))) == kMax);
  CHECK(show(mul(dec("666666666666666666666666666666.666667"), dec("1.5"))) == "nullopt");
}

TEST_CASE("decimal: div rounds half-even and refuses zero", "[decimal]") {
  CHECK(show(div(dec("1"), dec("3"))) == "0.333333");
  CHECK(show(div(dec("2"), dec("3"))) == "0.666667");
  CHECK(show(div(dec("-1"), dec("3"))) == "-0.333333");
  CHECK(show(div(dec("2"), dec("-3"))) == "-0.666667");
  CHECK(show(div(dec("1"), dec("7"))) == "0.142857");
  CHECK(show(div(dec("10"), dec("4"))) == "2.5");
  CHECK(show(div(dec("1"), dec("64"))) == "0.015625");
  CHECK(show(div(dec("1"), dec("128"))) == "0.007812");  // 0.0078125: tie, 2 is even
  CHECK(show(div(dec("3"), dec("128"))) == "0.023438");  // 0.0234375: tie, 7 is odd
  CHECK(show(div(dec("0.000001"), dec("2"))) == "0");
  CHECK(show(div(dec("0.000003"), dec("2"))) == "0.000002");
  CHECK(show(div(dec("-0.000003"), dec("2"))) == "-0.000002");
  CHECK(show(div(dec("-0.000001"), dec("2"))) == "0");
  CHECK(show(div(dec("0"), dec("5"))) == "0");
  CHECK(show(div(dec("1"), dec("0"))) == "nullopt");
  CHECK(show(div(dec("0"), dec("0"))) == "nullopt");
  CHECK(show(div(dec("-" + kMax), dec("0"))) == "nullopt");
}

TEST_CASE("decimal: div is exact for wide operands and stops at the bound", "[decimal]") {
  CHECK(show(div(dec("12345678901234567890.123457"), dec("98765432.123456"))) ==
        "124999998843.751");
  CHECK(show(div(dec(kMax), dec("123456789.123456"))) == "8100000065610052371441.844113");
  CHECK(show(div(dec(kMax), dec(kMax))) == "1");
  CHECK(show(div(dec(kTiny), dec(kMax))) == "0");
  // Divisors so large that the remainder × 10^6 needs more than 128 bits.
  CHECK(show(div(dec("500000000000000000000000000000"), dec(kMax))) == "0.5");
  CHECK(show(div(dec("700100000000000000000000000"), dec("200000000000000000000000000000"))) ==
        "0.0035");  // 0.0035005: tie, 0 is even
  CHECK(show(div(dec("700300000000000000000000000"), dec("200000000000000000000000000000"))) ==
        "0.003502");  // 0.0035015: tie, 1 is odd
  CHECK(show(div(dec(kMax), dec("1"))) == kMax);
  CHECK(show(div(dec(kMax), dec("0.999999"))) == "nullopt");
  CHECK(show(div(dec("100000000000000000000000000000"), dec("0.1"))) == "nullopt");  // 10^30
  CHECK(show(div(dec("99999999999999999999999999999.999999"), dec("0.1"))) ==
        "999999999999999999999999999999.99999");
}

TEST_CASE("decimal: toString gives the shortest exact form", "[decimal]") {
  CHECK(toString(Decimal{0}) == "0");
  CHECK(toString(Decimal{1}) == "0.000001");
  CHECK(toString(Decimal{-1}) == "-0.000001");
  CHECK(toString(Decimal{30'110'000'000}) == "30110");
  CHECK(toString(Decimal{700'000}) == "0.7");
  CHECK(toString(Decimal{-1'250'000}) == "-1.25");
  CHECK(toString(Decimal{10'000'010}) == "10.00001");
}

TEST_CASE("decimal: toMoneyString rounds half-even to cents", "[decimal]") {
  CHECK(toMoneyString(dec("4.5")) == "4.50");
  CHECK(toMoneyString(dec("500450")) == "500450.00");
  CHECK(toMoneyString(dec("0")) == "0.00");
  CHECK(toMoneyString(dec("0.125")) == "0.12");  // tie, 2 is even
  CHECK(toMoneyString(dec("0.135")) == "0.14");  // tie, 3 is odd
  CHECK(toMoneyString(dec("2.675")) == "2.68");
  CHECK(toMoneyString(dec("0.1251")) == "0.13");  // above the tie
  CHECK(toMoneyString(dec("0.994999")) == "0.99");
  CHECK(toMoneyString(dec("0.995")) == "1.00");
  CHECK(toMoneyString(dec("-1.005")) == "-1.00");
  CHECK(toMoneyString(dec("-0.015")) == "-0.02");
  CHECK(toMoneyString(dec("-0.025")) == "-0.02");
  CHECK(toMoneyString(dec("-0.005")) == "0.00");  // rounds to zero: no "-0.00"
  CHECK(toMoneyString(dec("-0.000001")) == "0.00");
  CHECK(toMoneyString(dec(kMax)) == "1000000000000000000000000000000.00");
}

TEST_CASE("decimal: toInt only for integral values that fit", "[decimal]") {
  CHECK(toInt(dec("42")) == 42);
  CHECK(toInt(dec("-7")) == -7);
  CHECK(toInt(dec("42.5")) == std::nullopt);
  CHECK(toInt(dec("0.000001")) == std::nullopt);
  CHECK(toInt(dec("-9223372036854775808")) == std::numeric_limits<int64_t>::min());
  CHECK(toInt(dec("9223372036854775807")) == std::numeric_limits<int64_t>::max());
  CHECK(toInt(dec("9223372036854775808")) == std::nullopt);
  CHECK(toInt(dec("1e25")) == std::nullopt);
}

TEST_CASE("decimal: comparisons order by value", "[decimal]") {
  CHECK(dec("1.5") == dec("1.50"));
  CHECK(dec("1.5") < dec("1.500001"));
  CHECK(dec("-2") < dec("-1.999999"));
  CHECK(dec("0.7") > dec("0.699999"));
  CHECK((dec("3") <=> dec("3.0")) == std::strong_ordering::equal);
}

}  // namespace
}  // namespace daliz

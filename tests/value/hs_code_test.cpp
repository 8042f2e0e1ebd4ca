#include "vm/value/hs_code.h"

#include <catch2/catch.hpp>
#include <string>

namespace daliz {
namespace {

uint64_t hs(std::string_view digits) {
  const auto code = encodeHs(digits);
  REQUIRE(code.has_value());
  return *code;
}

std::string whyRejected(std::string_view digits) {
  std::string why;
  return encodeHs(digits, &why) ? "accepted" : why;
}

TEST_CASE("hs: packs digits and length", "[hs]") {
  CHECK(hs("6109") == ((6109u << 4) | 4));
  CHECK(hs("0101") == ((101u << 4) | 4));
  CHECK(hs("6109100000") == ((6109100000ull << 4) | 10));
  CHECK(hsLength(hs("61")) == 2);
  CHECK(hsLength(hs("610910")) == 6);
  CHECK(hsLength(hs("6109100000")) == 10);
}

TEST_CASE("hs: leading zeros are part of the code", "[hs]") {
  CHECK(hs("01") != hs("0101"));
  CHECK(hs("0101") != hs("000101"));
  CHECK(decodeHs(hs("0101")) == "0101");
  CHECK(decodeHs(hs("0000000000")) == "0000000000");
  CHECK(decodeHs(hs("00")) == "00");
}

TEST_CASE("hs: decode inverts encode", "[hs]") {
  for (const char* digits : {"01", "61", "6109", "610910", "61091000", "6109100000", "9999999999"})
    CHECK(decodeHs(hs(digits)) == digits);
}

TEST_CASE("hs: rejects what is not 2 to 10 digits of even length", "[hs]") {
  CHECK(whyRejected("") == "expected 2 to 10 digits");
  CHECK(whyRejected("6") == "expected 2 to 10 digits");
  CHECK(whyRejected("610910000000") == "expected 2 to 10 digits");
  CHECK(whyRejected("61091000001") == "expected 2 to 10 digits");
  CHECK(whyRejected("61a9") == "expected 2 to 10 digits");
  CHECK(whyRejected("6109 ") == "expected 2 to 10 digits");
  CHECK(whyRejected("-610") == "expected 2 to 10 digits");
  CHECK(whyRejected("61.09") == "expected 2 to 10 digits");
  CHECK(whyRejected("610") == "expected an even number of digits");
  CHECK(whyRejected("101") == "expected an even number of digits");
  CHECK(whyRejected("610910100") == "expected an even number of digits");
  CHECK_FALSE(encodeHs("610"));  // the reason is optional
}

TEST_CASE("hs: decodeHs refuses values encodeHs cannot produce", "[hs]") {
  CHECK(decodeHs(0) == "");
  CHECK(decodeHs((61u << 4) | 3) == "");     // odd length
  CHECK(decodeHs((12345u << 4) | 4) == "");  // more digits than the length
  CHECK(decodeHs((61u << 4) | 12) == "");    // longer than 10
}

TEST_CASE("hs: prefixes of 2, 4, 6, 8 digits", "[hs]") {
  const uint64_t tshirt = hs("6109100000");
  CHECK(hsPrefix(tshirt, 2) == hs("61"));
  CHECK(hsPrefix(tshirt, 4) == hs("6109"));
  CHECK(hsPrefix(tshirt, 6) == hs("610910"));
  CHECK(hsPrefix(tshirt, 8) == hs("61091000"));
  CHECK(hsPrefix(tshirt, 10) == tshirt);
  CHECK(hsPrefix(hs("0101210000"), 2) == hs("01"));
  CHECK(decodeHs(*hsPrefix(hs("0101210000"), 4)) == "0101");
}

TEST_CASE("hs: no prefix of odd, out-of-range or excessive length", "[hs]") {
  const uint64_t heading = hs("6109");
  CHECK_FALSE(hsPrefix(heading, 6));
  CHECK_FALSE(hsPrefix(heading, 3));
  CHECK_FALSE(hsPrefix(heading, 0));
  CHECK_FALSE(hsPrefix(heading, -2));
  CHECK_FALSE(hsPrefix(hs("6109100000"), 12));
  CHECK_FALSE(hsPrefix(0, 2));  // not a code
}

TEST_CASE("hs: hsHasPrefix is prefix-by-digits", "[hs]") {
  const uint64_t tshirt = hs("6109100000");
  CHECK(hsHasPrefix(tshirt, hs("61")));
  CHECK(hsHasPrefix(tshirt, hs("6109")));
  CHECK(hsHasPrefix(tshirt, tshirt));
  CHECK_FALSE(hsHasPrefix(tshirt, hs("62")));
  CHECK_FALSE(hsHasPrefix(tshirt, hs("6110")));
  CHECK_FALSE(hsHasPrefix(hs("6109"), hs("610910")));  // longer than the code
  CHECK(hsHasPrefix(hs("0101"), hs("01")));
  CHECK_FALSE(hsHasPrefix(hs("0101"), hs("00")));
  CHECK_FALSE(hsHasPrefix(hs("1001"), hs("01")));  // same digits, shifted: not a prefix
  CHECK_FALSE(hsHasPrefix(tshirt, 0));             // not a code
}

TEST_CASE("hs: codes of one length order as their digits", "[hs]") {
  CHECK(hs("6301") < hs("6305"));
  CHECK(hs("6305") < hs("6310"));
  CHECK(hs("0999") < hs("1000"));
  const uint64_t prefix = *hsPrefix(hs("6307909800"), 4);
  CHECK((hs("6301") <= prefix && prefix <= hs("6310")));
}

}  // namespace
}  // namespace daliz

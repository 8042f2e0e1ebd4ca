#include "vm/value/date.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>

namespace daliz {
namespace {

Date date(std::string_view text) {
  const auto d = parseDate(text);
  REQUIRE(d.has_value());
  return *d;
}

TEST_CASE("date: day numbers count from 1970-01-01", "[date]") {
  STATIC_REQUIRE(fromYmd(1970, 1, 1).days == 0);
  STATIC_REQUIRE(fromYmd(1969, 12, 31).days == -1);
  STATIC_REQUIRE(fromYmd(2000, 1, 1).days == 10957);
  STATIC_REQUIRE(kMinDate.days == -719162);
  STATIC_REQUIRE(kMaxDate.days == 2932896);
  CHECK(date("2025-03-01") == fromYmd(2025, 3, 1));
  CHECK(date("2025-03-01").days == 20148);
}

TEST_CASE("date: parses real calendar days only", "[date]") {
  CHECK(parseDate("2024-02-29"));        // 2024 is a leap year
  CHECK(parseDate("2000-02-29"));        // divisible by 400: leap
  CHECK_FALSE(parseDate("1900-02-29"));  // divisible by 100 only: not leap
  CHECK_FALSE(parseDate("2025-02-29"));
  CHECK_FALSE(parseDate("2025-02-30"));
  CHECK_FALSE(parseDate("2025-04-31"));
  CHECK(parseDate("2025-01-31"));
  CHECK(parseDate("2025-12-31"));
  CHECK_FALSE(parseDate("2025-13-01"));
  CHECK_FALSE(parseDate("2025-00-10"));
  CHECK_FALSE(parseDate("2025-01-00"));
  CHECK_FALSE(parseDate("2025-01-32"));
}

TEST_CASE("date: the year runs from 0001 to 9999", "[date]") {
  CHECK(date("0001-01-01") == kMinDate);
  CHECK(date("9999-12-31") == kMaxDate);
  CHECK_FALSE(parseDate("0000-01-01"));
  CHECK_FALSE(parseDate("10000-01-01"));
}

TEST_CASE("date: only the exact YYYY-MM-DD form", "[date]") {
  for (const char* text : {"", "2025-1-01", "2025-01-1", "25-01-01", "2025/01/01",
                           "2025-01-01T00:00", " 2025-01-01", "2025-01-01 ", "+025-01-01",
                           "-025-01-01", "2025-0a-01", "20250101", "2025--01-01", "2025-01-+1"}) {
    INFO("text: " << text);
    CHECK_FALSE(parseDate(text));
  }
}

TEST_CASE("date: toString round-trips", "[date]") {
  for (const char* text : {"0001-01-01", "0999-09-09", "1969-12-31", "1970-01-01", "2024-02-29",
                           "2025-03-01", "9999-12-31"}) {
    CHECK(toString(date(text)) == text);
  }
  CHECK(toString(Date{0}) == "1970-01-01");
}

TEST_CASE("date: fields and conversion agree for every day 1899..2101", "[date]") {
  const Date first = fromYmd(1899, 1, 1), last = fromYmd(2101, 12, 31);
  int y = 1899, m = 1, d = 1;
  for (Date x = first; x <= last; x.days++) {
    REQUIRE(year(x) == y);
    REQUIRE(month(x) == m);
    REQUIRE(day(x) == d);
    REQUIRE(fromYmd(y, m, d) == x);
    REQUIRE(parseDate(toString(x)) == x);
    // Step the expected fields independently of the code under test.
    const bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    const int lengths[] = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (++d > lengths[m - 1]) {
      d = 1;
      if (++m > 12) m = 1, ++y;
    }
  }
}

TEST_CASE("date: fields of known dates", "[date]") {
  const Date leapDay = date("2024-02-29");
  CHECK(year(leapDay) == 2024);
  CHECK(month(leapDay) == 2);
  CHECK(day(leapDay) == 29);
  CHECK(year(Date{-1}) == 1969);
  CHECK(month(Date{-1}) == 12);
  CHECK(day(Date{-1}) == 31);
  CHECK(year(kMinDate) == 1);
  CHECK(year(kMaxDate) == 9999);
}

TEST_CASE("date: ISO weekday, Monday 1 to Sunday 7", "[date]") {
  CHECK(weekday(date("2025-03-01")) == 6);  // Saturday
  CHECK(weekday(date("2025-03-02")) == 7);  // Sunday
  CHECK(weekday(date("2025-03-03")) == 1);  // Monday
  CHECK(weekday(date("1970-01-01")) == 4);  // Thursday
  CHECK(weekday(date("1969-12-31")) == 3);  // Wednesday, before the epoch
  CHECK(weekday(date("2000-01-01")) == 6);  // Saturday
  CHECK(weekday(date("0001-01-01")) == 1);  // proleptic Gregorian: a Monday
  CHECK(weekday(date("9999-12-31")) == 5);  // Friday
}

TEST_CASE("date: differences are day counts", "[date]") {
  CHECK(date("2025-03-01").days - date("2024-03-01").days == 365);
  CHECK(date("2024-03-01").days - date("2023-03-01").days == 366);
  CHECK(date("2025-01-01") < date("2025-01-02"));
  CHECK(date("1999-12-31") < date("2000-01-01"));
}

TEST_CASE("date: addDays stays within 0001..9999", "[date]") {
  CHECK(addDays(date("2024-02-28"), 1) == date("2024-02-29"));
  CHECK(addDays(date("2025-02-28"), 1) == date("2025-03-01"));
  CHECK(addDays(date("2025-01-01"), -1) == date("2024-12-31"));
  CHECK(addDays(date("2025-01-01"), 0) == date("2025-01-01"));
  CHECK(addDays(kMaxDate, 0) == kMaxDate);
  CHECK_FALSE(addDays(kMaxDate, 1));
  CHECK_FALSE(addDays(kMinDate, -1));
  CHECK(addDays(kMinDate, kMaxDate.days - kMinDate.days) == kMaxDate);
  CHECK_FALSE(addDays(date("2025-01-01"), std::numeric_limits<int64_t>::max()));
  CHECK_FALSE(addDays(date("2025-01-01"), std::numeric_limits<int64_t>::min()));
}

TEST_CASE("date: dates outside the calendar range still render", "[date]") {
  CHECK(toString(Date{std::numeric_limits<int32_t>::max()}).size() > 10);
  CHECK(toString(Date{std::numeric_limits<int32_t>::min()}).front() == '-');
  CHECK(weekday(Date{std::numeric_limits<int32_t>::min()}) >= 1);
}

}  // namespace
}  // namespace daliz

#pragma once
// Calendar dates as a day count, so that comparison, `d - d` and `d + n` are plain integer
// arithmetic (spec section 3).

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace daliz {

// A day of the proleptic Gregorian calendar, as days since 1970-01-01 (negative before it).
// Dates that parseDate accepts lie between kMinDate (0001-01-01) and kMaxDate (9999-12-31).
struct Date {
  int32_t days;

  friend constexpr auto operator<=>(Date, Date) = default;
  friend constexpr bool operator==(Date, Date) = default;
};

// The date y-m-d. Precondition: a real calendar day (month 1..12, day within the month).
// Howard Hinnant's days_from_civil, exact for every proleptic Gregorian date.
constexpr Date fromYmd(int y, int m, int d) noexcept {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;                                    // [0, 399]
  const int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365], from March 1
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return Date{era * 146097 + doe - 719468};
}

inline constexpr Date kMinDate = fromYmd(1, 1, 1);
inline constexpr Date kMaxDate = fromYmd(9999, 12, 31);

// Parses exactly "YYYY-MM-DD": 10 characters, ASCII digits, year 0001..9999, and a real day
// of that month (2024-02-29 is accepted, 2025-02-30 and 2025-13-01 are not). Nothing else is
// accepted: no sign, no time, no spaces.
std::optional<Date> parseDate(std::string_view text) noexcept;

// "YYYY-MM-DD", the form parseDate accepts, for every date from kMinDate to kMaxDate.
std::string toString(Date d) noexcept;

// The calendar fields of d: year, month 1..12, day of month 1..31.
int year(Date d) noexcept;
int month(Date d) noexcept;
int day(Date d) noexcept;

// ISO weekday: Monday 1 … Sunday 7.
int weekday(Date d) noexcept;

// d + n days; nullopt when the result falls outside kMinDate..kMaxDate, so every date the VM
// computes can still be rendered and parsed back.
std::optional<Date> addDays(Date d, int64_t n) noexcept;

}  // namespace daliz

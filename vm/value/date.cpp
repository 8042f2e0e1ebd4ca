#include "vm/value/date.h"

namespace daliz {
namespace {

struct Ymd {
  int y, m, d;
};

// Howard Hinnant's civil_from_days, the inverse of fromYmd. 64-bit so that any int32 day
// count, even one far outside the calendar range, stays defined.
Ymd civil(Date date) noexcept {
  const int64_t z = int64_t{date.days} + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;                                       // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const auto d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const auto m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return Ymd{static_cast<int>(yoe + era * 400 + (m <= 2)), m, d};
}

bool isLeap(int y) noexcept { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

int daysInMonth(int y, int m) noexcept {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

// The value of text[begin, begin + len) when all of it is ASCII digits, else -1.
int digitsAt(std::string_view text, size_t begin, size_t len) noexcept {
  int v = 0;
  for (size_t i = begin; i < begin + len; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

void appendPadded(std::string& out, int v, int width) {
  char buf[12];
  int len = 0;
  do {
    buf[len++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (int i = len; i < width; ++i) out += '0';
  while (len > 0) out += buf[--len];
}

}  // namespace

std::optional<Date> parseDate(std::string_view text) noexcept {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const int y = digitsAt(text, 0, 4), m = digitsAt(text, 5, 2), d = digitsAt(text, 8, 2);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return std::nullopt;
  return fromYmd(y, m, d);
}

std::string toString(Date date) noexcept {
  const Ymd c = civil(date);
  std::string out;
  // Years outside 1..9999 only arise from hand-made Dates; render them legibly anyway.
  if (c.y < 0) out += '-';
  appendPadded(out, c.y < 0 ? -c.y : c.y, 4);
  out += '-';
  appendPadded(out, c.m, 2);
  out += '-';
  appendPadded(out, c.d, 2);
  return out;
}

int year(Date d) noexcept { return civil(d).y; }
int month(Date d) noexcept { return civil(d).m; }
int day(Date d) noexcept { return civil(d).d; }

int weekday(Date d) noexcept {
  // 1970-01-01 was a Thursday (ISO 4); the floor modulo keeps earlier dates right.
  const auto r = static_cast<int>((int64_t{d.days} + 3) % 7);
  return (r < 0 ? r + 7 : r) + 1;
}

std::optional<Date> addDays(Date d, int64_t n) noexcept {
  // Compare before adding so that no n, however large, can overflow.
  if (n < static_cast<int64_t>(kMinDate.days) - d.days ||
      n > static_cast<int64_t>(kMaxDate.days) - d.days)
    return std::nullopt;
  return Date{static_cast<int32_t>(d.days + n)};
}

}  // namespace daliz

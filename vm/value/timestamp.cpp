#include "vm/value/timestamp.h"

#include <cstdio>

#include "vm/value/date.h"

namespace daliz {
namespace {

constexpr int64_t kDay = 86400;

bool twoDigits(std::string_view s, size_t at, int limit, int& out) {
  const char a = s[at], b = s[at + 1];
  if (a < '0' || a > '9' || b < '0' || b > '9') return false;
  out = (a - '0') * 10 + (b - '0');
  return out <= limit;
}

// Floor division, so that instants before 1970 fall on the right day.
int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

std::optional<int64_t> parseTimestamp(std::string_view text) noexcept {
  if (text.size() != 10 && text.size() != 20) return std::nullopt;
  const auto day = parseDate(text.substr(0, 10));
  if (!day) return std::nullopt;
  int64_t seconds = static_cast<int64_t>(day->days) * kDay;
  if (text.size() == 10) return seconds;
  if (text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z') return std::nullopt;
  int h = 0, m = 0, s = 0;
  if (!twoDigits(text, 11, 23, h) || !twoDigits(text, 14, 59, m) || !twoDigits(text, 17, 59, s))
    return std::nullopt;
  return seconds + h * 3600 + m * 60 + s;
}

std::string formatTimestamp(int64_t seconds) {
  const int64_t days = floorDiv(seconds, kDay);
  const int64_t rest = seconds - days * kDay;
  char clock[16];
  std::snprintf(clock, sizeof clock, "T%02d:%02d:%02dZ", static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return toString(Date{static_cast<int32_t>(days)}) + clock;
}

std::string formatTimestampMicros(int64_t microseconds) {
  const int64_t seconds = floorDiv(microseconds, 1000000);
  const int64_t micros = microseconds - seconds * 1000000;
  std::string s = formatTimestamp(seconds);
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%06d", static_cast<int>(micros));
  s.insert(s.size() - 1, fraction);
  return s;
}

}  // namespace daliz

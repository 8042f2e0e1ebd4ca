#pragma once
// Instants in UTC as seconds since the Unix epoch: a bundle's effective-from time, the time of
// a logged decision. Only the forms below are read and written, so that every time daliz
// writes can be read back.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace daliz {

// Reads "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SSZ". Nothing else: no offsets other
// than Z, no fractions, no spaces. nullopt when the text is not one of these or names no real
// day or time of day (hour 00..23, minute and second 00..59).
std::optional<int64_t> parseTimestamp(std::string_view text) noexcept;

// "YYYY-MM-DDTHH:MM:SSZ" for seconds within the years 0001..9999, the form parseTimestamp reads.
std::string formatTimestamp(int64_t seconds);

// "YYYY-MM-DDTHH:MM:SS.uuuuuuZ": with microseconds, for records that are ordered by time.
std::string formatTimestampMicros(int64_t microseconds);

}  // namespace daliz

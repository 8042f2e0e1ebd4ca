#pragma once
// HS / EAEU TN VED commodity codes packed into one integer, so that `==`, prefix tests
// (`in`, section 6) and `.chapter`/`.heading`/`.subheading` need no strings at run time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace daliz {

// Packing: (digits read as a decimal integer << 4) | number of digits. The length is kept
// because leading zeros matter ("0101" and "101" differ, and "01" is a prefix of "0101").
// For two codes of the same length the packed values order as their digit strings do, so
// a range such as "6301".."6310" is a comparison of packed values.

// Packs 2 to 10 ASCII digits of even length. On failure returns nullopt and, when why is
// given, stores "expected 2 to 10 digits" (wrong length or a non-digit) or "expected an even
// number of digits".
std::optional<uint64_t> encodeHs(std::string_view digits, std::string* why = nullptr) noexcept;

// The digit string of a packed code, leading zeros included; "" for a value encodeHs could
// not have produced.
std::string decodeHs(uint64_t code) noexcept;

// The number of digits of a packed code (2, 4, 6, 8 or 10 for a valid code).
int hsLength(uint64_t code) noexcept;

// The packed code of the first len digits of code: hsPrefix(encode("6109100000"), 4) is
// encode("6109"). nullopt when len is odd, outside 2..10, or longer than the code.
std::optional<uint64_t> hsPrefix(uint64_t code, int len) noexcept;

// True when prefix is a valid code whose digits begin code's digits (a code is a prefix of
// itself).
bool hsHasPrefix(uint64_t code, uint64_t prefix) noexcept;

}  // namespace daliz

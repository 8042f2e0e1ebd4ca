#include "vm/value/hs_code.h"

#include <algorithm>

namespace daliz {
namespace {

constexpr int kMinLength = 2;
constexpr int kMaxLength = 10;
constexpr uint64_t kLengthMask = 0xF;

bool validLength(int len) noexcept {
  return len >= kMinLength && len <= kMaxLength && len % 2 == 0;
}

constexpr uint64_t kPow10[kMaxLength + 1] = {1,         10,         100,         1000,         10000, 100000,
                                             1000000,   10000000,   100000000,   1000000000,   10000000000};

// n in 0..kMaxLength (callers check lengths first).
uint64_t pow10(int n) noexcept { return kPow10[n]; }

// digits / 10^n for the even n a prefix can drop: constant divisors, which compile to
// multiplications (this runs for every item against every indexed prefix length).
uint64_t dropDigits(uint64_t digits, int n) noexcept {
  switch (n) {
    case 0: return digits;
    case 2: return digits / 100;
    case 4: return digits / 10000;
    case 6: return digits / 1000000;
    default: return digits / 100000000;
  }
}

// A valid packed code: a valid length and no more digits than that length holds.
bool validCode(uint64_t code) noexcept {
  const int len = hsLength(code);
  return validLength(len) && (code >> 4) < pow10(len);
}

}  // namespace

std::optional<uint64_t> encodeHs(std::string_view digits, std::string* why) noexcept {
  const auto fail = [why](const char* reason) -> std::optional<uint64_t> {
    if (why != nullptr) *why = reason;
    return std::nullopt;
  };
  const auto size = static_cast<int>(std::min<size_t>(digits.size(), kMaxLength + 1));
  if (size < kMinLength || size > kMaxLength) return fail("expected 2 to 10 digits");
  uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return fail("expected 2 to 10 digits");
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (size % 2 != 0) return fail("expected an even number of digits");
  return (value << 4) | static_cast<uint64_t>(size);
}

std::string decodeHs(uint64_t code) noexcept {
  if (!validCode(code)) return {};
  const int len = hsLength(code);
  std::string out(static_cast<size_t>(len), '0');
  uint64_t value = code >> 4;
  for (int i = len - 1; i >= 0; --i, value /= 10)
    out[static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
  return out;
}

int hsLength(uint64_t code) noexcept { return static_cast<int>(code & kLengthMask); }

std::optional<uint64_t> hsPrefix(uint64_t code, int len) noexcept {
  if (!validLength(len) || !validCode(code) || len > hsLength(code)) return std::nullopt;
  const uint64_t digits = dropDigits(code >> 4, hsLength(code) - len);
  return (digits << 4) | static_cast<uint64_t>(len);
}

bool hsHasPrefix(uint64_t code, uint64_t prefix) noexcept {
  if (!validCode(prefix)) return false;
  const auto head = hsPrefix(code, hsLength(prefix));
  return head && *head == prefix;
}

}  // namespace daliz

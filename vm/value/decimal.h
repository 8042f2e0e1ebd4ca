#pragma once
// Exact decimal numbers for money and quantities: the language promises that no value ever
// passes through binary floating point (spec sections 1 and 3).

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace daliz {

// A decimal with exactly 6 fractional digits, stored as value × 10^6 in a 128-bit integer.
// Valid values satisfy |units| <= kMaxUnits (30 integer digits, more than the 24 the spec
// requires). Every operation below returns std::nullopt rather than leave that range, and
// treats an operand outside it as undefined (nullopt), so no result is ever silently wrong.
struct Decimal {
  __int128 units;

  static constexpr int kScale = 6;             // fractional digits
  static constexpr __int128 kOne = 1'000'000;  // units per 1
  static constexpr __int128 kMaxUnits =        // 10^36 - 1
      static_cast<__int128>(1'000'000'000'000'000'000) * 1'000'000'000'000'000'000 - 1;

  // The integer v as a decimal; always in range (|v| * 10^6 < 10^25).
  static constexpr Decimal fromInt(int64_t v) noexcept { return Decimal{v * kOne}; }

  friend constexpr auto operator<=>(Decimal, Decimal) = default;
  friend constexpr bool operator==(Decimal, Decimal) = default;
};

// True when d lies in the valid range.
constexpr bool inRange(Decimal d) noexcept {
  return d.units <= Decimal::kMaxUnits && d.units >= -Decimal::kMaxUnits;
}

// Parses a JSON number or the same shape as plain text, exactly: an optional '-', one or more
// digits, optionally '.' and one or more digits, optionally e/E, an optional sign and one or
// more digits. Leading zeros are accepted ("007.50"); a leading '+', spaces, ".5" and "5." are
// not. The value must have at most 6 fractional digits once the exponent is applied (trailing
// zeros do not count: "1.2500000" and "12.5e-1" are fine) and be within range. On failure
// returns nullopt and, when why is given, stores "not a number", "more than 6 fractional
// digits" or "out of range".
std::optional<Decimal> parseDecimal(std::string_view text, std::string* why = nullptr) noexcept;

// a + b, a - b, -a: nullopt when the exact result is out of range.
std::optional<Decimal> add(Decimal a, Decimal b) noexcept;
std::optional<Decimal> sub(Decimal a, Decimal b) noexcept;
std::optional<Decimal> neg(Decimal a) noexcept;

// a × b: the exact product rounded half-even to 6 fractional digits (ties go to the even last
// digit, symmetrically for negative values); nullopt when the rounded result is out of range.
std::optional<Decimal> mul(Decimal a, Decimal b) noexcept;

// A fraction in basis points (0.025 → 250; 1% is 100), rounded to a whole number, a half to the
// even one: the form of sample rates and plan shares in a bundle. `fraction` in 0..1.
uint32_t toBasisPoints(Decimal fraction) noexcept;

// a ÷ b rounded half-even to 6 fractional digits; nullopt when b is zero or the rounded
// result is out of range.
std::optional<Decimal> div(Decimal a, Decimal b) noexcept;

// The renderings below allocate; being noexcept, they terminate if memory runs out.

// The shortest exact text: no trailing fractional zeros, no '.' for integers, "-" only for
// negative values: "30110", "0.7", "-1.25", "0".
std::string toString(Decimal d) noexcept;

// Exactly 2 fractional digits, rounded half-even, the way money renders in a reason:
// 4.5 → "4.50", 0.125 → "0.12", 0.135 → "0.14". A value that rounds to zero renders "0.00",
// never "-0.00".
std::string toMoneyString(Decimal d) noexcept;

// The value as an int64 when it has no fractional part and fits; nullopt otherwise.
std::optional<int64_t> toInt(Decimal d) noexcept;

}  // namespace daliz

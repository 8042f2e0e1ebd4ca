#include "vm/value/decimal.h"

#include <limits>

namespace daliz {
namespace {

using u128 = unsigned __int128;

constexpr u128 kOneU = static_cast<u128>(Decimal::kOne);
constexpr u128 kMaxU = static_cast<u128>(Decimal::kMaxUnits);
constexpr u128 kU128Max = ~static_cast<u128>(0);
constexpr int kMaxDigits = 36;  // digits of kMaxUnits: any 36-digit magnitude is in range

// |v| computed in unsigned arithmetic, where negating the most negative value is defined.
u128 magnitude(__int128 v) noexcept { return v < 0 ? -static_cast<u128>(v) : static_cast<u128>(v); }

// The decimal with the given sign and magnitude, or nullopt when the magnitude is too large.
std::optional<Decimal> withSign(bool negative, u128 mag) noexcept {
  if (mag > kMaxU) return std::nullopt;
  auto v = static_cast<__int128>(mag);
  return Decimal{negative ? -v : v};
}

// Rounds the quotient q of a division by d with remainder r (r < d) half-even. The caller
// guarantees q + 1 does not wrap.
u128 roundHalfEven(u128 q, u128 r, u128 d) noexcept {
  u128 rest = d - r;  // compares 2r with d without computing 2r, which could overflow
  if (r > rest || (r == rest && (q & 1) != 0)) ++q;
  return q;
}

// A 256-bit unsigned integer as four 64-bit limbs, least significant first: just enough
// arithmetic for an exact 128×128-bit product divided by 10^6.
struct U256 {
  uint64_t limb[4];
};

U256 mulWide(u128 a, u128 b) noexcept {
  const auto a0 = static_cast<uint64_t>(a), a1 = static_cast<uint64_t>(a >> 64);
  const auto b0 = static_cast<uint64_t>(b), b1 = static_cast<uint64_t>(b >> 64);
  const u128 p00 = static_cast<u128>(a0) * b0, p01 = static_cast<u128>(a0) * b1;
  const u128 p10 = static_cast<u128>(a1) * b0, p11 = static_cast<u128>(a1) * b1;
  // Each partial sum is below 3 × 2^64, so it cannot overflow 128 bits.
  const u128 mid = (p00 >> 64) + static_cast<uint64_t>(p01) + static_cast<uint64_t>(p10);
  const u128 high = (mid >> 64) + (p01 >> 64) + (p10 >> 64) + static_cast<uint64_t>(p11);
  return U256{{static_cast<uint64_t>(p00), static_cast<uint64_t>(mid), static_cast<uint64_t>(high),
               static_cast<uint64_t>((high >> 64) + (p11 >> 64))}};
}

// x /= d, returning the remainder. Schoolbook division by one 64-bit digit: the running
// remainder stays below d, so (remainder << 64 | limb) always fits in 128 bits.
uint64_t divSmall(U256& x, uint64_t d) noexcept {
  u128 r = 0;
  for (int i = 3; i >= 0; --i) {
    const u128 cur = (r << 64) | x.limb[i];
    x.limb[i] = static_cast<uint64_t>(cur / d);
    r = cur % d;
  }
  return static_cast<uint64_t>(r);
}

std::string digitsOf(u128 v) {
  char buf[40];  // 2^128 has 39 decimal digits
  char* end = buf + sizeof buf;
  char* p = end;
  do {
    *--p = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v != 0);
  return std::string(p, end);
}

bool isDigit(char c) noexcept { return c >= '0' && c <= '9'; }

std::optional<Decimal> fail(std::string* why, const char* reason) noexcept {
  if (why != nullptr) *why = reason;
  return std::nullopt;
}

}  // namespace

std::optional<Decimal> parseDecimal(std::string_view text, std::string* why) noexcept {
  constexpr const char* kNotANumber = "not a number";
  const size_t n = text.size();
  size_t i = 0;
  const bool negative = i < n && text[i] == '-';
  if (negative) ++i;

  const size_t intBegin = i;
  while (i < n && isDigit(text[i])) ++i;
  const size_t intLen = i - intBegin;
  if (intLen == 0) return fail(why, kNotANumber);

  size_t fracBegin = i, fracLen = 0;
  if (i < n && text[i] == '.') {
    fracBegin = ++i;
    while (i < n && isDigit(text[i])) ++i;
    fracLen = i - fracBegin;
    if (fracLen == 0) return fail(why, kNotANumber);
  }

  // The exponent saturates at 10^9: beyond that the value is out of range (or has too many
  // fractional digits) for any text shorter than a gigabyte, and saturating keeps the
  // arithmetic below from overflowing.
  int64_t exponent = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool expNegative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) expNegative = text[i++] == '-';
    const size_t expBegin = i;
    for (; i < n && isDigit(text[i]); ++i)
      if (exponent < 1'000'000'000) exponent = exponent * 10 + (text[i] - '0');
    if (i == expBegin) return fail(why, kNotANumber);
    if (expNegative) exponent = -exponent;
  }
  if (i != n) return fail(why, kNotANumber);

  // The mantissa is the integer and fractional digits read as one digit string; only the
  // span from its first to its last nonzero digit matters.
  const size_t total = intLen + fracLen;
  auto digitAt = [&](size_t k) {
    return k < intLen ? text[intBegin + k] - '0' : text[fracBegin + (k - intLen)] - '0';
  };
  size_t first = 0;
  while (first < total && digitAt(first) == 0) ++first;
  if (first == total) return Decimal{0};  // "-0" is zero too: there is no negative zero
  size_t last = total - 1;
  while (digitAt(last) == 0) --last;

  // value = significant digits × 10^(exponent - fracLen + trailing zeros), so in units the
  // significant digits are followed by `shift` zeros.
  const int64_t shift = Decimal::kScale - static_cast<int64_t>(fracLen) + exponent +
                        static_cast<int64_t>(total - 1 - last);
  if (shift < 0) return fail(why, "more than 6 fractional digits");
  const int64_t sigLen = static_cast<int64_t>(last - first + 1);
  if (sigLen > kMaxDigits || sigLen + shift > kMaxDigits) return fail(why, "out of range");

  u128 mag = 0;
  for (size_t k = first; k <= last; ++k) mag = mag * 10 + static_cast<u128>(digitAt(k));
  for (int64_t k = 0; k < shift; ++k) mag *= 10;
  return withSign(negative, mag);
}

std::optional<Decimal> add(Decimal a, Decimal b) noexcept {
  if (!inRange(a) || !inRange(b)) return std::nullopt;
  const Decimal r{a.units + b.units};  // |a| + |b| < 2^121: no 128-bit overflow
  return inRange(r) ? std::optional(r) : std::nullopt;
}

std::optional<Decimal> sub(Decimal a, Decimal b) noexcept {
  if (!inRange(a) || !inRange(b)) return std::nullopt;
  const Decimal r{a.units - b.units};
  return inRange(r) ? std::optional(r) : std::nullopt;
}

std::optional<Decimal> neg(Decimal a) noexcept {
  if (!inRange(a)) return std::nullopt;
  return Decimal{-a.units};  // the range is symmetric
}

std::optional<Decimal> mul(Decimal a, Decimal b) noexcept {
  if (!inRange(a) || !inRange(b)) return std::nullopt;
  // units(a×b) = a.units × b.units / 10^6; the exact product needs up to 240 bits.
  U256 product = mulWide(magnitude(a.units), magnitude(b.units));
  const uint64_t rem = divSmall(product, static_cast<uint64_t>(kOneU));
  if (product.limb[3] != 0 || product.limb[2] != 0) return std::nullopt;
  const u128 q = (static_cast<u128>(product.limb[1]) << 64) | product.limb[0];
  if (q > kMaxU) return std::nullopt;  // also keeps the rounding increment from wrapping
  return withSign((a.units < 0) != (b.units < 0), roundHalfEven(q, rem, kOneU));
}

std::optional<Decimal> div(Decimal a, Decimal b) noexcept {
  if (!inRange(a) || !inRange(b) || b.units == 0) return std::nullopt;
  // units(a÷b) = a.units × 10^6 / b.units. The scaled dividend can need 140 bits, so divide
  // in two steps: the whole part first, then the remainder scaled by 10^6.
  const u128 x = magnitude(a.units), y = magnitude(b.units);
  const u128 whole = x / y;
  u128 r = x % y;
  if (whole > kMaxU / kOneU) return std::nullopt;  // whole × 10^6 alone exceeds the range
  u128 frac;
  if (r <= kU128Max / kOneU) {
    const u128 scaled = r * kOneU;
    frac = scaled / y;
    r = scaled % y;
  } else {
    // Divisors above about 3.4 × 10^32 units: one digit at a time (r × 10 < 10^37 fits).
    frac = 0;
    for (int k = 0; k < Decimal::kScale; ++k) {
      r *= 10;
      frac = frac * 10 + r / y;
      r %= y;
    }
  }
  return withSign((a.units < 0) != (b.units < 0), roundHalfEven(whole * kOneU + frac, r, y));
}

std::string toString(Decimal d) noexcept {
  const u128 mag = magnitude(d.units);
  std::string out = d.units < 0 ? "-" : "";
  out += digitsOf(mag / kOneU);
  auto frac = static_cast<uint32_t>(mag % kOneU);
  if (frac != 0) {
    char digits[Decimal::kScale];
    for (int k = Decimal::kScale - 1; k >= 0; --k, frac /= 10)
      digits[k] = static_cast<char>('0' + frac % 10);
    int len = Decimal::kScale;
    while (digits[len - 1] == '0') --len;
    out += '.';
    out.append(digits, static_cast<size_t>(len));
  }
  return out;
}

std::string toMoneyString(Decimal d) noexcept {
  constexpr u128 kUnitsPerCent = 10'000;
  const u128 mag = magnitude(d.units);
  const u128 cents = roundHalfEven(mag / kUnitsPerCent, mag % kUnitsPerCent, kUnitsPerCent);
  std::string out = d.units < 0 && cents != 0 ? "-" : "";
  out += digitsOf(cents / 100);
  const auto c = static_cast<int>(cents % 100);
  out += '.';
  out += static_cast<char>('0' + c / 10);
  out += static_cast<char>('0' + c % 10);
  return out;
}

std::optional<int64_t> toInt(Decimal d) noexcept {
  if (d.units % Decimal::kOne != 0) return std::nullopt;
  const __int128 whole = d.units / Decimal::kOne;
  if (whole < std::numeric_limits<int64_t>::min() || whole > std::numeric_limits<int64_t>::max())
    return std::nullopt;
  return static_cast<int64_t>(whole);
}

uint32_t toBasisPoints(Decimal fraction) noexcept {
  // units × 10,000 stays far inside __int128 for any fraction in 0..1.
  __int128 units = fraction.units * 10000;
  __int128 whole = units / Decimal::kOne, rest = units % Decimal::kOne;
  if (rest * 2 > Decimal::kOne || (rest * 2 == Decimal::kOne && whole % 2 == 1)) ++whole;
  return static_cast<uint32_t>(whole);
}

}  // namespace daliz

// Size parsing (see size_text.hpp).
#include "base/size_text.hpp"

#include <array>
#include <charconv>

namespace fragreplay {

SizeText parse_size_text(std::string_view s) {
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr == s.data()) return {0, "expected a size"};
  // A decimal fraction ("4.5GiB"): fraction / 10^digits.
  std::uint64_t fraction = 0;
  unsigned digits = 0;
  const char* end = s.data() + s.size();
  const char* p = ptr;
  if (p != end && *p == '.') {
    for (++p; p != end && *p >= '0' && *p <= '9'; ++p) {
      if (++digits > 18) return {0, "too many decimals"};
      fraction = fraction * 10 + static_cast<std::uint64_t>(*p - '0');
    }
    if (digits == 0) return {0, "expected digits after the decimal point"};
  }
  std::string_view unit(p, static_cast<std::size_t>(end - p));
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  struct Unit {
    std::string_view name;
    unsigned shift;
  };
  static constexpr std::array<Unit, 10> kUnits{{{"", 0},
                                                {"B", 0},
                                                {"K", 10},
                                                {"KiB", 10},
                                                {"M", 20},
                                                {"MiB", 20},
                                                {"G", 30},
                                                {"GiB", 30},
                                                {"T", 40},
                                                {"TiB", 40}}};
  for (const auto& u : kUnits) {
    if (u.name != unit) continue;
    if (u.shift != 0 && v > (~std::uint64_t{0} >> u.shift)) return {0, "size too large"};
    // The fraction must come to whole bytes: 4.5GiB does, 1.3B and 0.1KiB do not. It is
    // fraction * 2^shift / (5^digits * 2^digits), worked without overflow.
    std::uint64_t five = 1;
    for (unsigned i = 0; i < digits; ++i) five *= 5;
    const char* partial = "a fraction of a byte (give a whole number of bytes)";
    if (fraction % five != 0) return {0, partial};
    std::uint64_t extra = fraction / five;  // below 2^digits
    if (digits <= u.shift) {
      extra <<= u.shift - digits;
    } else {
      if (extra % (std::uint64_t{1} << (digits - u.shift)) != 0) return {0, partial};
      extra >>= digits - u.shift;
    }
    const std::uint64_t whole = v << u.shift;
    if (whole > ~std::uint64_t{0} - extra) return {0, "size too large"};
    return {whole + extra, {}};
  }
  if (unit == "KB" || unit == "MB" || unit == "GB" || unit == "TB") {
    return {0, "decimal units are ambiguous; use KiB, MiB, GiB or TiB"};
  }
  return {0, "unknown unit '" + std::string(unit) + "'"};
}

std::optional<std::uint64_t> parse_size_value(std::string_view text) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    std::uint64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data() + 2, text.data() + text.size(), v, 16);
    if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
    return v;
  }
  const SizeText size = parse_size_text(text);
  if (!size.error.empty()) return std::nullopt;
  return size.bytes;
}

}  // namespace fragreplay

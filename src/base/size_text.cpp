// Size parsing (see size_text.hpp).
#include "base/size_text.hpp"

#include <array>
#include <charconv>

namespace fragreplay {

SizeText parse_size_text(std::string_view s) {
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr == s.data()) return {0, "expected a size"};
  std::string_view unit(ptr, static_cast<std::size_t>(s.data() + s.size() - ptr));
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
    return {v << u.shift, {}};
  }
  if (unit == "KB" || unit == "MB" || unit == "GB" || unit == "TB") {
    return {0, "decimal units are ambiguous; use KiB, MiB, GiB or TiB"};
  }
  return {0, "unknown unit '" + std::string(unit) + "'"};
}

}  // namespace fragreplay

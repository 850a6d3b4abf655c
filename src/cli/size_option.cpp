// Size parsing for options (see size_option.hpp).
#include "cli/size_option.hpp"

#include <array>
#include <charconv>
#include <string_view>

#include "base/error.hpp"

namespace fragreplay::cli {

std::uint64_t parse_size(const std::string& text, const std::string& option) {
  auto bad = [&](const std::string& why) -> Error {
    return Error("option '--" + option + "': " + why + ", got \"" + text +
                 "\" (examples: 16GiB, 512MiB, 4096)");
  };
  std::string_view s(text);
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr == s.data()) throw bad("expected a size");
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
    if (u.shift != 0 && v > (~std::uint64_t{0} >> u.shift)) throw bad("size too large");
    return v << u.shift;
  }
  if (unit == "KB" || unit == "MB" || unit == "GB" || unit == "TB") {
    throw bad("decimal units are ambiguous; use KiB, MiB, GiB or TiB");
  }
  throw bad("unknown unit '" + std::string(unit) + "'");
}

std::optional<std::uint64_t> parse_size_value(std::string_view text) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    std::uint64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data() + 2, text.data() + text.size(), v, 16);
    if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
    return v;
  }
  try {
    return parse_size(std::string(text), "");
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace fragreplay::cli

// Trace-time parsing for options (see time_option.hpp).
#include "cli/time_option.hpp"

#include <array>
#include <cctype>
#include <string_view>

#include "base/error.hpp"

namespace fragreplay::cli {

std::uint64_t parse_trace_time(const std::string& text, const std::string& option) {
  auto bad = [&](const std::string& why) -> Error {
    return Error("option '--" + option + "': " + why + ", got \"" + text +
                 "\" (examples: 5ms, 2s, 1.5s, 250us, 1000 for nanoseconds)");
  };
  std::string_view s(text);
  std::size_t i = 0;
  std::uint64_t whole = 0;
  std::size_t digits = 0;
  constexpr std::uint64_t kMax = ~std::uint64_t{0};
  for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i, ++digits) {
    const auto d = static_cast<std::uint64_t>(s[i] - '0');
    if (whole > (kMax - d) / 10) throw bad("time too large");
    whole = whole * 10 + d;
  }
  std::string_view fraction;
  if (i < s.size() && s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    fraction = s.substr(start, i - start);
  }
  if (digits == 0 && fraction.empty()) throw bad("expected a time");
  std::string_view unit = s.substr(i);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  struct Unit {
    std::string_view name;
    std::uint64_t ns;
  };
  static constexpr std::array<Unit, 7> kUnits{{{"", 1},
                                               {"ns", 1},
                                               {"us", 1000},
                                               {"ms", 1'000'000},
                                               {"s", 1'000'000'000},
                                               {"min", 60'000'000'000},
                                               {"h", 3'600'000'000'000}}};
  for (const Unit& u : kUnits) {
    if (u.name != unit) continue;
    if (whole > kMax / u.ns) throw bad("time too large");
    std::uint64_t ns = whole * u.ns;
    // The fraction: digit by digit, each worth a tenth of the previous; it must come out whole.
    std::uint64_t place = u.ns;
    for (const char c : fraction) {
      const auto d = static_cast<std::uint64_t>(c - '0');
      if (place % 10 != 0) {
        if (d != 0) throw bad("finer than a nanosecond");
        continue;
      }
      place /= 10;
      if (ns > kMax - d * place) throw bad("time too large");
      ns += d * place;
    }
    return ns;
  }
  throw bad("unknown unit '" + std::string(unit) + "'");
}

}  // namespace fragreplay::cli

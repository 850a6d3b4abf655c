// Parsing of --sample-every (see sample_option.hpp).
#include "cli/sample_option.hpp"

#include <array>
#include <charconv>
#include <string_view>

#include "base/error.hpp"

namespace fragreplay::cli {

std::optional<replay::SamplerOptions> parse_sample_every(const std::string& text) {
  if (text == "off") return std::nullopt;
  auto bad = [&](const std::string& why) {
    return Error("option '--sample-every': " + why + ", got \"" + text +
                 "\" (examples: 1000 events, 5ms, 250us, off)");
  };
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || ptr == text.data()) throw bad("expected a count or a duration");
  if (v == 0) throw bad("the interval must be positive");
  const std::string_view unit(ptr, static_cast<std::size_t>(text.data() + text.size() - ptr));
  replay::SamplerOptions o;
  if (unit.empty()) {
    o.every = v;
    return o;
  }
  struct Unit {
    std::string_view name;
    std::uint64_t ns;
  };
  static constexpr std::array<Unit, 4> kUnits{
      {{"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000}}};
  for (const auto& u : kUnits) {
    if (u.name != unit) continue;
    if (v > ~std::uint64_t{0} / u.ns) throw bad("interval too large");
    o.every = v * u.ns;
    o.by_time = true;
    return o;
  }
  throw bad("unknown unit '" + std::string(unit) + "' (ns, us, ms, s)");
}

}  // namespace fragreplay::cli

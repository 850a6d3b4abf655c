// Parsing of --memory-map and --background (see machine_options.hpp).
#include "cli/machine_options.hpp"

#include <algorithm>
#include <charconv>

#include "base/error.hpp"
#include "cli/size_option.hpp"

namespace fragreplay::cli {

namespace {

std::uint64_t parse_number(const std::string& text, const std::string& option) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    std::uint64_t v = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data() + 2, end, v, 16);
    if (ec != std::errc{} || ptr != end) {
      throw Error("option '--" + option + "': expected a hex number, got \"" + text + "\"");
    }
    return v;
  }
  return parse_size(text, option);
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(' ');
  const auto e = s.find_last_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

std::vector<model::RamRange> parse_memory_map(const std::string& text, PageSize ps) {
  std::vector<model::RamRange> ranges;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::string item = trim(text.substr(at, comma - at));
    at = comma + 1;
    auto bad = [&](const std::string& why) {
      return Error("option '--memory-map': range \"" + item + "\": " + why +
                   " (examples: 0x1000-0x9ffff,1MiB+3071MiB,0x100000000+1GiB)");
    };
    if (item.empty()) throw bad("empty range");
    const std::size_t dash = item.find('-');
    const std::size_t plus = item.find('+');
    if ((dash == std::string::npos) == (plus == std::string::npos)) {
      throw bad("expected START-END or START+LENGTH");
    }
    const std::size_t sep = dash != std::string::npos ? dash : plus;
    const std::uint64_t start = parse_number(trim(item.substr(0, sep)), "memory-map");
    const std::uint64_t second = parse_number(trim(item.substr(sep + 1)), "memory-map");
    // Every bound is checked against kMaxModelledBytes before it is added to, so no sum wraps
    // (0xfffffffffffff000-0xffffffffffffffff would end at 0).
    const std::string above = "RAM above 4TiB (0x40000000000) cannot be modelled";
    if (start >= kMaxModelledBytes) throw bad(above);
    std::uint64_t end = 0;  // exclusive
    if (dash != std::string::npos) {
      if (second < start) throw bad("END is below START");
      if (second >= kMaxModelledBytes) throw bad(above);
      end = second + 1;
    } else {
      if (second > kMaxModelledBytes - start) throw bad(above);
      end = start + second;
    }
    if (end == start) throw bad("empty range");
    if (start % ps.bytes() != 0 || end % ps.bytes() != 0) {
      throw bad("not whole pages (START a multiple of the page size, END one byte below one)");
    }
    ranges.push_back({ps.frame_of(PhysAddr{start}), PageCount{(end - start) >> ps.shift}});
    if (comma == text.size()) break;
  }
  std::sort(ranges.begin(), ranges.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 1; i < ranges.size(); ++i) {
    if (ranges[i].first < ranges[i - 1].first + ranges[i - 1].count) {
      throw Error("option '--memory-map': ranges overlap at " +
                  std::to_string(ps.address_of(ranges[i].first).value) + " bytes");
    }
  }
  return ranges;
}

BackgroundOption parse_background(const std::string& text) {
  BackgroundOption b;
  const std::size_t colon = text.find(':');
  const std::string percent = text.substr(0, colon);
  auto bad = [&](const std::string& why) {
    return Error("option '--background': " + why + ", got \"" + text + "\" (examples: 30, 30:7)");
  };
  unsigned p = 0;
  const auto [ptr, ec] = std::from_chars(percent.data(), percent.data() + percent.size(), p);
  if (ec != std::errc{} || ptr != percent.data() + percent.size() || percent.empty()) {
    throw bad("expected PERCENT or PERCENT:SEED");
  }
  if (p > 100) throw bad("PERCENT must be 0 to 100");
  b.percent = p;
  if (colon != std::string::npos) {
    const std::string seed = text.substr(colon + 1);
    const auto [sp, sec] = std::from_chars(seed.data(), seed.data() + seed.size(), b.seed);
    if (sec != std::errc{} || sp != seed.data() + seed.size() || seed.empty()) {
      throw bad("SEED must be an unsigned integer");
    }
  }
  return b;
}

}  // namespace fragreplay::cli

// Number formatting for human-readable output (see format.hpp).
#include "base/format.hpp"

#include <array>
#include <cstdio>

namespace fragreplay {

std::string human_bytes(std::uint64_t bytes) {
  static constexpr std::array<const char*, 6> kUnits{"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1000) return std::to_string(bytes) + " B";
  double v = static_cast<double>(bytes);
  std::size_t unit = 0;
  // Switch units at 1000 so that no figure needs four digits ("0.98 GiB", not "1004 MiB").
  while (v >= 1000.0 && unit + 1 < kUnits.size()) {
    v /= 1024.0;
    ++unit;
  }
  char buf[32];
  const char* fmt = v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s";
  std::snprintf(buf, sizeof buf, fmt, v, kUnits[unit]);
  return buf;
}

std::string thousands(std::uint64_t v) {
  std::string digits = std::to_string(v);
  std::string out;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(digits[i]);
    const std::size_t left = n - 1 - i;
    if (left != 0 && left % 3 == 0) out.push_back(',');
  }
  return out;
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%",
                100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

std::string trace_time(std::uint64_t ns) {
  char buf[48];
  const double d = static_cast<double>(ns);
  if (ns < 1000) {
    std::snprintf(buf, sizeof buf, "%llu ns", static_cast<unsigned long long>(ns));
  } else if (ns < 1'000'000) {
    std::snprintf(buf, sizeof buf, "%.1f us", d / 1e3);
  } else if (ns < 1'000'000'000) {
    std::snprintf(buf, sizeof buf, "%.2f ms", d / 1e6);
  } else if (ns < 3600ull * 1'000'000'000) {
    std::snprintf(buf, sizeof buf, "%.3f s", d / 1e9);
  } else {
    const std::uint64_t minutes = ns / 60'000'000'000ull;
    std::snprintf(buf, sizeof buf, "%llu h %llu min", static_cast<unsigned long long>(minutes / 60),
                  static_cast<unsigned long long>(minutes % 60));
  }
  return buf;
}

std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string pad_left(const std::string& s, std::size_t width) {
  if (s.size() >= width) return s;
  return std::string(width - s.size(), ' ') + s;
}

std::string pad_right(const std::string& s, std::size_t width) {
  if (s.size() >= width) return s;
  return s + std::string(width - s.size(), ' ');
}

}  // namespace fragreplay

// Formatting of values and changes (see value_format.hpp).
#include "gate/value_format.hpp"

#include <cmath>
#include <cstdio>

#include "base/format.hpp"

namespace fragreplay::gate {
namespace {

std::string sign(double v) { return v < 0 ? "-" : ""; }

}  // namespace

std::uint64_t saturated_magnitude(double v) {
  const double m = std::round(std::fabs(v));
  // 2^64 is exactly representable; anything at or above it (or NaN) saturates.
  if (!(m < 18446744073709551616.0)) return ~std::uint64_t{0};
  return static_cast<std::uint64_t>(m);
}

std::string format_value(Unit unit, double v) {
  switch (unit) {
    case Unit::kBytes:
      return sign(v) + human_bytes(saturated_magnitude(v));
    case Unit::kCount:
      if (v != std::floor(v)) break;
      return sign(v) + thousands(saturated_magnitude(v));
    case Unit::kNanoseconds:
      return sign(v) + trace_time(saturated_magnitude(v));
    case Unit::kNumber:
      break;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string format_exact(Unit unit, double v) {
  if (v != std::floor(v) || unit == Unit::kNumber) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
  }
  const std::string digits = sign(v) + thousands(saturated_magnitude(v));
  switch (unit) {
    case Unit::kBytes:
      return digits + " B";
    case Unit::kNanoseconds:
      return digits + " ns";
    case Unit::kCount:
    case Unit::kNumber:
      break;
  }
  return digits;
}

std::pair<std::string, std::string> format_pair(Unit unit, double a, double b) {
  std::string sa = format_value(unit, a), sb = format_value(unit, b);
  if (a != b && sa == sb) return {format_exact(unit, a), format_exact(unit, b)};
  return {sa, sb};
}

std::string format_change(Unit unit, double delta) {
  if (delta == 0) return "0";
  std::string s = delta > 0 ? "+" : "";
  s += format_value(unit, delta);
  return s;
}

std::optional<double> relative_change(double old_value, double new_value) {
  if (old_value == new_value) return 0.0;
  if (old_value == 0) return std::nullopt;
  return 100.0 * (new_value - old_value) / std::fabs(old_value);
}

std::string format_percent(double percent) {
  if (percent == 0) return "0.0 %";
  if (std::fabs(percent) < 0.05) return percent > 0 ? "+<0.1 %" : "-<0.1 %";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f %%", percent);
  return buf;
}

std::string format_limit(Unit unit, double limit) {
  if (unit == Unit::kBytes && limit >= 1024 && limit == std::floor(limit)) {
    static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
    auto bytes = static_cast<std::uint64_t>(limit);
    int k = -1;
    while (k < 3 && bytes % 1024 == 0) {
      bytes /= 1024;
      ++k;
    }
    if (k >= 0) return thousands(bytes) + " " + kUnits[k];
  }
  return format_exact(unit, limit);
}

std::string format_against(Unit unit, double v, double limit) {
  if (format_limit(unit, limit) == format_exact(unit, limit)) return format_exact(unit, v);
  return format_pair(unit, v, limit).first;
}

std::string format_limit_percent(double percent) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g %%", percent);
  return buf;
}

}  // namespace fragreplay::gate

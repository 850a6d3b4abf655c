// Number formatting shared by the human-readable renderers: byte sizes in binary units,
// thousands separators, percentages and trace times. Deterministic (no locale).
#pragma once

#include <cstdint>
#include <string>

namespace fragreplay {

// "0 B", "512 B", "1.50 KiB", "12.0 MiB", "0.98 GiB": three significant digits, binary units.
std::string human_bytes(std::uint64_t bytes);
// "1,234,567".
std::string thousands(std::uint64_t v);
// 100 * part / whole with one decimal ("12.3 %"); "-" when whole is 0.
std::string percent(std::uint64_t part, std::uint64_t whole);
// A trace time in the largest fitting unit: "532 ns", "12.5 us", "3.20 ms", "1.500 s", "2 h 3 min".
std::string trace_time(std::uint64_t ns);
// "0x1f" (lower case, no padding).
std::string hex(std::uint64_t v);
// Pads or truncates to `width` columns (left or right aligned).
std::string pad_left(const std::string& s, std::size_t width);
std::string pad_right(const std::string& s, std::size_t width);

}  // namespace fragreplay

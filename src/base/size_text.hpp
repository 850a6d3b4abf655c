// Sizes written by people: "16GiB", "512MiB", "64K", "4096". One parser for every place that
// takes one (command-line options, limits files), so they accept and refuse the same spellings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fragreplay {

struct SizeText {
  std::uint64_t bytes = 0;
  std::string error;  // empty on success, else why `text` is not a size (no position, no quote)
};

// Plain bytes, or a number with a binary suffix: B, K/KiB, M/MiB, G/GiB, T/TiB (case-sensitive
// units, optional spaces before the unit). The number may have a decimal fraction that comes to
// whole bytes ("4.5GiB", "1.25MiB"). Decimal units (KB, MB, GB, TB) are refused to avoid
// guessing; so is anything that overflows 64 bits.
SizeText parse_size_text(std::string_view text);

// The same syntax, plus 0x-hexadecimal plain bytes: nullopt when the text is not a size (or
// overflows). Used where sizes come from files (profile documents).
std::optional<std::uint64_t> parse_size_value(std::string_view text);

}  // namespace fragreplay

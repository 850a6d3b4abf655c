// Parsing of sizes given on the command line: "16GiB", "512MiB", "64K", "4096".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fragreplay::cli {

// Plain bytes, or a number with a binary suffix: B, K/KiB, M/MiB, G/GiB, T/TiB (case-sensitive
// units, optional space). Decimal units (KB, MB, GB) are refused to avoid guessing. Throws Error
// naming `option` on anything else, or on overflow.
std::uint64_t parse_size(const std::string& text, const std::string& option);

// The same syntax, plus 0x-hexadecimal plain bytes, without an option to name: nullopt when the
// text is not a size (or overflows). Used where sizes come from files (profile documents).
std::optional<std::uint64_t> parse_size_value(std::string_view text);

}  // namespace fragreplay::cli

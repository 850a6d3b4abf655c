// Parsing of sizes given on the command line: "16GiB", "512MiB", "64K", "4096".
#pragma once

#include <cstdint>
#include <string>

namespace fragreplay::cli {

// Plain bytes, or a number with a binary suffix: B, K/KiB, M/MiB, G/GiB, T/TiB (case-sensitive
// units, optional space). Decimal units (KB, MB, GB) are refused to avoid guessing. Throws Error
// naming `option` on anything else, or on overflow.
std::uint64_t parse_size(const std::string& text, const std::string& option);

}  // namespace fragreplay::cli

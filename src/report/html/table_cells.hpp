// The cells the HTML report's tables share. Numeric cells carry their raw value in data-v, which
// the sort script orders by; text is escaped here.
#pragma once

#include <cstdint>
#include <string>

namespace fragreplay::report::html {

// A column heading of a sortable table (its label a button the script binds), or of a plain one.
std::string th(const char* label, bool numeric, bool sorted_desc = false);
std::string plain_th(const char* label, bool numeric);

std::string num_cell(std::uint64_t raw, const std::string& shown);
std::string bytes_cell(std::uint64_t bytes);
std::string count_cell(std::uint64_t n);
// part / whole as a percentage; sorted by thousandths.
std::string percent_cell(std::uint64_t part, std::uint64_t whole);
// The waste, with a bar showing its share of the largest row's.
std::string waste_cell(std::uint64_t waste, std::uint64_t max_waste);

}  // namespace fragreplay::report::html

// The cells the HTML tables share (see table_cells.hpp).
#include "report/html/table_cells.hpp"

#include "base/escape.hpp"
#include "base/format.hpp"

namespace fragreplay::report::html {

std::string th(const char* label, bool numeric, bool sorted_desc) {
  return std::string("<th") + (numeric ? " class=\"n\"" : "") +
         (sorted_desc ? " aria-sort=\"descending\"" : "") +
         " scope=\"col\"><button type=\"button\">" + label + "</button></th>";
}

std::string plain_th(const char* label, bool numeric) {
  return std::string("<th") + (numeric ? " class=\"n\"" : "") + " scope=\"col\">" + label + "</th>";
}

std::string num_cell(std::uint64_t raw, const std::string& shown) {
  return "<td class=\"n\" data-v=\"" + std::to_string(raw) + "\">" + html_escape(shown) + "</td>";
}

std::string bytes_cell(std::uint64_t bytes) { return num_cell(bytes, human_bytes(bytes)); }

std::string count_cell(std::uint64_t n) { return num_cell(n, thousands(n)); }

std::string percent_cell(std::uint64_t part, std::uint64_t whole) {
  const std::uint64_t permille = whole == 0 ? 0 : part * 1000 / whole;
  return num_cell(permille, percent(part, whole));
}

std::string waste_cell(std::uint64_t waste, std::uint64_t max_waste) {
  const std::uint64_t width = max_waste == 0 ? 0 : waste * 100 / max_waste;
  return "<td class=\"n bar\" data-v=\"" + std::to_string(waste) +
         "\"><span class=\"fill\" style=\"width:" + std::to_string(width) +
         "%\"></span><span class=\"v\">" + human_bytes(waste) + "</span></td>";
}

}  // namespace fragreplay::report::html

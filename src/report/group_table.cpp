// Blocks of rows of one row group (see group_table.hpp).
#include "report/group_table.hpp"

#include "base/escape.hpp"
#include "base/format.hpp"

namespace fragreplay::report {

namespace {

// Labels longer than the column are cut, so every line stays within 80 columns (the JSON and
// CSV reports hold them whole).
constexpr std::size_t kLabelWidth = 22;
std::string fitted(const std::string& label) {
  return label.size() <= kLabelWidth ? label : label.substr(0, kLabelWidth - 3) + "...";
}

}  // namespace

std::string group_rows_text(const std::string& title, const LabelledRows& rows, std::size_t top,
                            const std::string& noun) {
  std::string out = "\n" + pad_right(title, kLabelWidth + 2) + pad_left("allocs", 8) +
                    pad_left("requested", 11) + pad_left("footprint", 11) + pad_left("waste", 11) +
                    pad_left("% of footprint", 15) + "\n";
  for (std::size_t k = 0; k < rows.size() && k < top; ++k) {
    const replay::GroupStats& g = *rows[k].second;
    out += "  " + pad_right(fitted(rows[k].first), kLabelWidth) +
           pad_left(thousands(g.allocations), 8) + pad_left(human_bytes(g.requested.value), 11) +
           pad_left(human_bytes(g.footprint.value), 11) +
           pad_left(human_bytes(g.waste.total().value), 11) +
           pad_left(percent(g.waste.total().value, g.footprint.value), 15) + "\n";
  }
  if (rows.size() > top) {
    out += "  ... and " + thousands(rows.size() - top) + " more " + noun + " (see --json)\n";
  }
  return out;
}

std::string group_rows_markdown(const std::string& title, const std::string& column,
                                const LabelledRows& rows, std::size_t top,
                                const std::string& noun) {
  std::string out = "\n**" + title + "**\n\n| " + column +
                    " | allocations | requested | footprint | waste | "
                    "waste, % of footprint |\n|---|---:|---:|---:|---:|---:|\n";
  for (std::size_t k = 0; k < rows.size() && k < top; ++k) {
    const replay::GroupStats& g = *rows[k].second;
    out += "| " + markdown_code(rows[k].first) + " | " + thousands(g.allocations) + " | " +
           human_bytes(g.requested.value) + " | " + human_bytes(g.footprint.value) + " | " +
           human_bytes(g.waste.total().value) + " | " +
           percent(g.waste.total().value, g.footprint.value) + " |\n";
  }
  if (rows.size() > top) {
    out += "\n" + thousands(rows.size() - top) + " more " + noun + " in the full reports.\n";
  }
  return out;
}

}  // namespace fragreplay::report

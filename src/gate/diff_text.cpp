// Terminal tables of a diff (see diff_text.hpp).
#include "gate/diff_text.hpp"

#include <algorithm>
#include <array>

#include "base/format.hpp"
#include "gate/value_format.hpp"

namespace fragreplay::gate {
namespace {

std::string title_case(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// The label inside a section: the section already says what kind of row it is.
std::string row_name(const DiffRow& r) {
  return r.group ? display_key(*r.group, r.key) + " " + r.field : r.field;
}

}  // namespace

std::string percent_cell(const DiffRow& row) {
  if (!row.old_value && row.new_value) return "added";
  if (row.old_value && !row.new_value) return "removed";
  const auto p = row.percent();
  return p ? format_percent(*p) : "from 0";
}

std::string diff_tables(const ReportDiff& diff, const DiffTextOptions& options) {
  struct Line {
    const DiffRow* row;
    std::array<std::string, 5> cells;  // name, old, new, change, percent
  };
  std::vector<Line> lines;
  for (const DiffRow& r : diff.rows) {
    if (!options.all && !r.changed()) continue;
    const auto [o, n] = format_pair(r.unit, r.old_value.value_or(0), r.new_value.value_or(0));
    std::string name = "  ";
    name += row_name(r);
    lines.push_back({&r,
                     {std::move(name), r.old_value ? o : std::string(1, '-'),
                      r.new_value ? n : std::string(1, '-'), format_change(r.unit, r.change()),
                      percent_cell(r)}});
  }
  // One width per column for every section, so the columns line up down the whole output.
  std::array<std::size_t, 5> width{0, options.old_title.size(), options.new_title.size(), 6, 1};
  for (const Line& l : lines) {
    for (std::size_t c = 0; c < width.size(); ++c) width[c] = std::max(width[c], l.cells[c].size());
  }
  for (const Line& l : lines) width[0] = std::max(width[0], section_name(l.row->group).size());
  auto row_text = [&](const std::array<std::string, 5>& cells) {
    std::string s = pad_right(cells[0], width[0]);
    for (std::size_t c = 1; c < cells.size(); ++c) s += "  " + pad_left(cells[c], width[c]);
    return s + "\n";
  };
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i == 0 || lines[i].row->group != lines[i - 1].row->group) {
      out += '\n';
      out += row_text({title_case(section_name(lines[i].row->group)), options.old_title,
                       options.new_title, "change", "% of old"});
    }
    out += row_text(lines[i].cells);
  }
  return out;
}

std::string diff_count_line(const ReportDiff& diff, bool all) {
  const std::size_t total = diff.changed + diff.unchanged;
  if (diff.changed == 0) return "No value changed (" + thousands(total) + " compared).\n";
  std::string s = thousands(diff.changed) + " of " + thousands(total) +
                  (total == 1 ? " value" : " values") + " changed";
  if (!all && diff.unchanged != 0) {
    s += "; the " + thousands(diff.unchanged) + " unchanged are hidden (--all shows them)";
  }
  return s + ".\n";
}

std::string diff_text(const ReportDiff& diff, const ReportMetrics& old_report,
                      const ReportMetrics& new_report, bool all) {
  std::string out = "fragreplay diff\n";
  out += "  old  " + old_report.file + ": " + old_report.describe() + "\n";
  out += "  new  " + new_report.file + ": " + new_report.describe() + "\n";
  for (const std::string& note : diff.notes) out += "Note: " + note + ".\n";
  out += diff_tables(diff, DiffTextOptions{all, "old", "new"});
  out += '\n';
  out += diff_count_line(diff, all);
  return out;
}

}  // namespace fragreplay::gate

// Two reports side by side: every scalar metric, and every field of every tag, routine, DMA
// adapter and finding row, with the absolute and relative change. Rows are grouped in sections
// (metrics, then one per row group); within a section changed values come first, the largest
// relative change first (a value that was 0 or absent counts as the largest), ties broken by
// the absolute change; unchanged values follow in report order.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gate/report_metrics.hpp"

namespace fragreplay::gate {

struct DiffRow {
  std::optional<RowGroup> group;  // nullopt: a scalar metric
  std::string key;                // the row's key (empty for a scalar metric)
  std::string field;              // the metric name or the row's field
  Unit unit = Unit::kCount;
  std::optional<double> old_value;  // nullopt: not in the old report
  std::optional<double> new_value;  // nullopt: not in the new report

  // An absent value counts as 0: a tag that did not exist did nothing.
  bool changed() const { return old_value.value_or(0) != new_value.value_or(0); }
  // new - old, an absent value counting as 0.
  double change() const { return new_value.value_or(0) - old_value.value_or(0); }
  // Percent; nullopt when the old value is 0 or absent and the new one is not.
  std::optional<double> percent() const;
  // "totals.waste_bytes.total", "tag NicS waste_bytes".
  std::string label() const;
};

struct ReportDiff {
  std::vector<DiffRow> rows;
  std::size_t changed = 0;
  std::size_t unchanged = 0;
  // Facts that make the comparison less direct (other profile, other tool version, ...).
  std::vector<std::string> notes;
};

ReportDiff diff_reports(const ReportMetrics& old_report, const ReportMetrics& new_report);

// "metrics", or the row group's plural ("tags", ...), for section titles.
std::string section_name(const std::optional<RowGroup>& group);

}  // namespace fragreplay::gate

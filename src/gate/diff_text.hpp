// The terminal rendering of a ReportDiff: one table per section (metrics, tags, routines,
// adapters, findings) with the old and new values, the change and the relative change. Used by
// `fragreplay diff` and by `fragreplay check`, which prints every change before its verdict.
#pragma once

#include <string>

#include "gate/report_diff.hpp"

namespace fragreplay::gate {

struct DiffTextOptions {
  bool all = false;               // also the unchanged values
  std::string old_title = "old";  // column titles
  std::string new_title = "new";
};

// The tables, each preceded by a blank line; "" when no row is shown.
std::string diff_tables(const ReportDiff& diff, const DiffTextOptions& options);
// "3 of 152 values changed; the 149 unchanged are hidden (--all shows them)." and the like.
std::string diff_count_line(const ReportDiff& diff, bool all);
// The percent column: "+12.3 %", "added", "removed", "from 0".
std::string percent_cell(const DiffRow& row);

// The whole of `fragreplay diff`: which reports, notes, tables, count.
std::string diff_text(const ReportDiff& diff, const ReportMetrics& old_report,
                      const ReportMetrics& new_report, bool all);

}  // namespace fragreplay::gate

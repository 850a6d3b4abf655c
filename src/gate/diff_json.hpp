// The machine-readable rendering of a ReportDiff (`fragreplay diff --json`, and the "changes" of
// `fragreplay check --json`). Numbers are written as the reports wrote them: integers as
// integers. Field names live here; docs/schema.md §10 documents them.
#pragma once

#include <nlohmann/json.hpp>

#include "gate/report_diff.hpp"

namespace fragreplay::gate {

inline constexpr int kDiffSchemaVersion = 1;

// The changed rows (every row with `all`), in the order of the text tables.
nlohmann::ordered_json diff_rows_json(const ReportDiff& diff, bool all);
// {"file", "trace", "profile", "ram_bytes", "schema_version", "tool_version"} of one report.
nlohmann::ordered_json report_identity_json(const ReportMetrics& report);
// The whole `fragreplay diff --json` document.
nlohmann::ordered_json diff_json(const ReportDiff& diff, const ReportMetrics& old_report,
                                 const ReportMetrics& new_report, bool all);
// A value as JSON: an integer when it is one, else a double.
nlohmann::ordered_json json_number(double v);

}  // namespace fragreplay::gate

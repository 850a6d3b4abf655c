// The JSON report's schema version: written by the report stage (report/json_report.cpp,
// report/what_if_report.cpp) and checked when a report is read back (gate/report_reader.cpp,
// gate/fleet.cpp). One constant, so writer and readers cannot disagree.
#pragma once

namespace fragreplay {

inline constexpr int kSchemaVersion = 1;

}  // namespace fragreplay

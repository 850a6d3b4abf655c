// Reading a report of schema_version 1 (the JSON that json_report.cpp writes) into
// ReportMetrics. Fields this version does not know are tolerated: numeric ones are kept as
// unknown metrics (so `diff` still shows them), others are ignored.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "gate/report_metrics.hpp"

namespace fragreplay::gate {

// REQUIRES: `doc` is an object whose schema_version is 1. Throws Error naming `file` and the JSON
// path of a field whose type is wrong, or when the document is not the report of one replay.
ReportMetrics read_schema_v1(const nlohmann::ordered_json& doc, const std::string& file);

}  // namespace fragreplay::gate

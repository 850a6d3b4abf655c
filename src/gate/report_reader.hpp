// Reading a JSON report back, whatever schema version wrote it: the version is looked up in a
// table of readers (one per version this fragreplay knows), and a version it does not know is
// refused with a message naming both. Adding schema 2 means adding a reader to that table.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "gate/report_metrics.hpp"

namespace fragreplay::gate {

// Throws Error naming `file`: not an object, no or a bad schema_version, a version this
// fragreplay does not read, or a field of the wrong type.
ReportMetrics read_report(const nlohmann::ordered_json& doc, const std::string& file);
ReportMetrics read_report_file(const std::string& path);

// "1" or "1, 2": the schema versions this fragreplay reads, for messages.
std::string readable_schema_versions();

}  // namespace fragreplay::gate

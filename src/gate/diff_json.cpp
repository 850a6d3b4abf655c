// JSON rendering of a diff (see diff_json.hpp).
#include "gate/diff_json.hpp"

#include <cmath>
#include <cstdint>

namespace fragreplay::gate {

using nlohmann::ordered_json;

ordered_json json_number(double v) {
  if (v == std::floor(v) && std::fabs(v) < 9.2e18) return static_cast<std::int64_t>(v);
  return v;
}

ordered_json diff_rows_json(const ReportDiff& diff, bool all) {
  ordered_json rows = ordered_json::array();
  for (const DiffRow& r : diff.rows) {
    if (!all && !r.changed()) continue;
    ordered_json row;
    row["section"] = section_name(r.group);
    if (r.group) row["key"] = r.key;
    row["metric"] = r.field;
    row["unit"] = unit_name(r.unit);
    row["old"] = r.old_value ? json_number(*r.old_value) : ordered_json(nullptr);
    row["new"] = r.new_value ? json_number(*r.new_value) : ordered_json(nullptr);
    row["change"] = json_number(r.change());
    const auto p = r.percent();
    row["change_percent"] = p ? ordered_json(*p) : ordered_json(nullptr);
    row["status"] = !r.old_value && r.new_value   ? "added"
                    : r.old_value && !r.new_value ? "removed"
                    : r.changed()                 ? "changed"
                                                  : "unchanged";
    rows.push_back(std::move(row));
  }
  return rows;
}

ordered_json report_identity_json(const ReportMetrics& r) {
  return ordered_json{{"file", r.file},
                      {"trace", r.trace_name},
                      {"profile", r.profile_name},
                      {"ram_bytes", json_number(r.ram_bytes)},
                      {"schema_version", r.schema_version},
                      {"tool_version", r.tool_version}};
}

ordered_json diff_json(const ReportDiff& diff, const ReportMetrics& old_report,
                       const ReportMetrics& new_report, bool all) {
  ordered_json j;
  j["schema_version"] = kDiffSchemaVersion;
  j["old"] = report_identity_json(old_report);
  j["new"] = report_identity_json(new_report);
  j["notes"] = diff.notes;
  j["changed"] = diff.changed;
  j["unchanged"] = diff.unchanged;
  j["rows"] = diff_rows_json(diff, all);
  return j;
}

}  // namespace fragreplay::gate

// Lookups on a report read back (see report_metrics.hpp).
#include "gate/report_metrics.hpp"

#include "base/format.hpp"
#include "gate/value_format.hpp"

namespace fragreplay::gate {

const Metric* Row::field(std::string_view name) const {
  for (const Metric& m : fields) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::string finding_key(const Finding& f) {
  auto part = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
  return part(f.rule) + " " + part(f.tag) + " " + part(f.routine);
}

const Metric* ReportMetrics::metric(std::string_view name) const {
  for (const Metric& m : metrics) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

const Row* ReportMetrics::row(RowGroup group, std::string_view key) const {
  for (const Row& r : rows_of(group)) {
    if (r.key == key) return &r;
  }
  return nullptr;
}

std::string ReportMetrics::describe_model() const {
  std::string s = profile_name.empty() ? std::string("profile unknown") : profile_name;
  if (ram_bytes > 0) s += ", " + human_bytes(saturated_magnitude(ram_bytes)) + " RAM";
  return s;
}

std::string ReportMetrics::describe() const {
  return (trace_name.empty() ? std::string("(trace unknown)") : trace_name) + ", " +
         describe_model();
}

RowIndex index_rows(const std::vector<Row>& rows) {
  RowIndex index;
  index.reserve(rows.size());
  for (const Row& r : rows) index.emplace(r.key, &r);
  return index;
}

const Row* find_row(const RowIndex& index, std::string_view key) {
  const auto it = index.find(key);
  return it == index.end() ? nullptr : it->second;
}

std::string display_key(RowGroup group, const std::string& key) {
  if (group == RowGroup::kTag && key.empty()) return "(none)";
  if (group == RowGroup::kProcess && key.empty()) return "(not recorded)";
  if (group == RowGroup::kModule && key.empty()) return "(unowned)";
  return key;
}

}  // namespace fragreplay::gate

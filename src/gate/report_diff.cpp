// Diff of two reports (see report_diff.hpp).
#include "gate/report_diff.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "base/format.hpp"
#include "gate/value_format.hpp"

namespace fragreplay::gate {
namespace {

// Appends one row per field in either list: the old list's order, then fields only the new has.
void add_fields(std::vector<DiffRow>& out, std::optional<RowGroup> group, const std::string& key,
                const std::vector<Metric>* old_fields, const std::vector<Metric>* new_fields) {
  auto find = [](const std::vector<Metric>* fields, const std::string& name) -> const Metric* {
    if (fields == nullptr) return nullptr;
    for (const Metric& m : *fields) {
      if (m.name == name) return &m;
    }
    return nullptr;
  };
  auto add = [&](const Metric& m) {
    const Metric* o = find(old_fields, m.name);
    const Metric* n = find(new_fields, m.name);
    DiffRow row{group, key, m.name, m.unit, std::nullopt, std::nullopt};
    if (o != nullptr) row.old_value = o->value;
    if (n != nullptr) row.new_value = n->value;
    out.push_back(std::move(row));
  };
  if (old_fields != nullptr) {
    for (const Metric& m : *old_fields) add(m);
  }
  if (new_fields != nullptr) {
    for (const Metric& m : *new_fields) {
      if (find(old_fields, m.name) == nullptr) add(m);
    }
  }
}

// Changed rows by size of change (stable), unchanged rows after them in their order.
void sort_section(std::vector<DiffRow>::iterator first, std::vector<DiffRow>::iterator last) {
  auto size = [](const DiffRow& r) {
    const auto p = r.percent();
    return p ? std::fabs(*p) : std::numeric_limits<double>::infinity();
  };
  std::stable_sort(first, last, [&](const DiffRow& a, const DiffRow& b) {
    if (a.changed() != b.changed()) return a.changed();
    if (!a.changed()) return false;
    const double sa = size(a), sb = size(b);
    if (sa != sb) return sa > sb;
    return std::fabs(a.change()) > std::fabs(b.change());
  });
}

void add_notes(ReportDiff& d, const ReportMetrics& o, const ReportMetrics& n) {
  if (o.profile_name != n.profile_name) {
    d.notes.push_back("the reports were replayed under different profiles (" + o.profile_name +
                      " and " + n.profile_name + ")");
  } else if (o.ram_bytes != n.ram_bytes) {
    d.notes.push_back("the reports model different RAM sizes (" +
                      human_bytes(saturated_magnitude(o.ram_bytes)) + " and " +
                      human_bytes(saturated_magnitude(n.ram_bytes)) + ")");
  }
  // By file name: one trace named from two directories ("traces/x.csv", "../traces/x.csv") is
  // the same trace.
  if (std::filesystem::path(o.trace_name).filename() !=
      std::filesystem::path(n.trace_name).filename()) {
    d.notes.push_back("the reports are of traces with different names (" + o.trace_name + " and " +
                      n.trace_name + ")");
  }
  if (o.tool_version != n.tool_version) {
    d.notes.push_back("the reports were written by different fragreplay versions (" +
                      o.tool_version + " and " + n.tool_version +
                      "); a change of the model shows as a change here");
  }
  if (o.has_findings != n.has_findings) {
    d.notes.push_back("only " + (o.has_findings ? o.file : n.file) +
                      " lists findings; the other report was written without them");
  }
}

}  // namespace

std::optional<double> DiffRow::percent() const {
  return relative_change(old_value.value_or(0), new_value.value_or(0));
}

std::string DiffRow::label() const {
  if (!group) return field;
  return std::string(row_group_name(*group)) + " " + display_key(*group, key) + " " + field;
}

std::string section_name(const std::optional<RowGroup>& group) {
  return group ? std::string(row_group_plural(*group)) : std::string("metrics");
}

ReportDiff diff_reports(const ReportMetrics& old_report, const ReportMetrics& new_report) {
  ReportDiff d;
  add_fields(d.rows, std::nullopt, "", &old_report.metrics, &new_report.metrics);
  sort_section(d.rows.begin(), d.rows.end());
  for (std::size_t g = 0; g < kRowGroupCount; ++g) {
    const auto group = static_cast<RowGroup>(g);
    const std::size_t first = d.rows.size();
    const RowIndex old_rows = index_rows(old_report.rows_of(group));
    const RowIndex new_rows = index_rows(new_report.rows_of(group));
    for (const Row& o : old_report.rows_of(group)) {
      const Row* n = find_row(new_rows, o.key);
      add_fields(d.rows, group, o.key, &o.fields, n != nullptr ? &n->fields : nullptr);
    }
    for (const Row& n : new_report.rows_of(group)) {
      if (find_row(old_rows, n.key) == nullptr)
        add_fields(d.rows, group, n.key, nullptr, &n.fields);
    }
    sort_section(d.rows.begin() + static_cast<std::ptrdiff_t>(first), d.rows.end());
  }
  for (const DiffRow& r : d.rows) (r.changed() ? d.changed : d.unchanged)++;
  add_notes(d, old_report, new_report);
  return d;
}

}  // namespace fragreplay::gate

// A JSON report read back for `diff` and `check`: its scalar metrics and keyed rows under the
// catalog's names (metric_catalog.hpp), its findings, and the first contiguous failures, whatever
// schema version it was written in. Strings from the report are made printable on the way in
// (control characters become \xNN), so no renderer can be tricked into emitting a line break.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/finding.hpp"
#include "gate/metric_catalog.hpp"

namespace fragreplay::gate {

struct Metric {
  std::string name;
  Unit unit = Unit::kCount;
  double value = 0;      // exact for integers below 2^53, far beyond any byte count here
  bool integral = true;  // the report wrote an integer
  bool known = true;     // in the catalog (false: a field this version does not know)
};

struct Row {
  std::string key;
  std::vector<Metric> fields;

  const Metric* field(std::string_view name) const;
};

// What makes a finding (report/findings.hpp) the same one in two reports: "rule tag routine"
// ("-" for an empty part).
std::string finding_key(const Finding& f);

// One entry of contiguous.failure_log.
struct ContiguousFailure {
  std::uint64_t line = 0;
  std::string routine;
  std::string tag;
  std::string cause;
  double bytes = 0;
  double free_in_window = 0;
  double largest_run = 0;
};

struct ReportMetrics {
  std::string file;  // where it was read from, for messages
  int schema_version = 0;
  std::string tool_version;
  std::string trace_name;
  std::string trace_format;
  std::string profile_name;
  double ram_bytes = 0;

  std::vector<Metric> metrics;  // catalog order, then unknown fields in report order
  std::array<std::vector<Row>, kRowGroupCount> rows;
  bool has_findings = false;  // the report has a `findings` array (it may be empty)
  std::vector<Finding> findings;
  std::vector<ContiguousFailure> failure_samples;  // the first few of each cause, in trace order

  const Metric* metric(std::string_view name) const;
  const Row* row(RowGroup group, std::string_view key) const;
  const std::vector<Row>& rows_of(RowGroup group) const {
    return rows[static_cast<std::size_t>(group)];
  }
  // "traces/x.csv, win7-x64, 4.00 GiB RAM" (what was replayed, for headers).
  std::string describe() const;
  // "win7-x64, 4.00 GiB RAM" (how it was replayed).
  std::string describe_model() const;
};

// The rows of one group by key, for lookups in constant time (reports may hold thousands of
// tags). REQUIRES: `rows` outlives the index and is not modified while it is used.
using RowIndex = std::unordered_map<std::string_view, const Row*>;
RowIndex index_rows(const std::vector<Row>& rows);
// The row with `key`, or nullptr.
const Row* find_row(const RowIndex& index, std::string_view key);

// How reports show a key: an empty tag is "(none)".
std::string display_key(RowGroup group, const std::string& key);

}  // namespace fragreplay::gate

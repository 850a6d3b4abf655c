// The limits file of `fragreplay check`: which changes fail CI. A JSON document
//   {"limits_version": 1, "rules": [ {...}, ... ]}
// whose rules are of three kinds (docs/schema.md §8 has the reference):
//   - a metric rule: {"metric": M, "max": X, "max_increase_percent": P, "min_increase": D}
//     on a scalar metric, or on a field of every tag/routine/adapter whose name matches a
//     pattern ("tag": "Nic*"; '*' matches any run of characters);
//   - {"no_contiguous_failures": CAUSE or [CAUSES] or "any"};
//   - {"no_new_findings": SEVERITY}.
// Parsing validates everything it can before any replay, and every error names the file, the
// JSON path of the bad rule (rules[2].max) and what was expected.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gate/metric_catalog.hpp"
#include "gate/report_metrics.hpp"

namespace fragreplay::gate {

inline constexpr int kLimitsVersion = 1;

enum class RuleKind : unsigned char { kMetric, kContiguousFailures, kNewFindings };

// A metric rule. Violated when the current value is above `max`, or when it rose from the
// baseline's by more than `max_increase_percent` percent AND by more than `min_increase`
// (a rise from 0 is an infinite percentage). A limit that is met exactly passes.
struct MetricLimit {
  std::optional<RowGroup> group;  // per-row rule when set
  std::string pattern;            // which rows (group set): a name, or '*' wildcards
  std::string metric;             // catalog name (a row field when group is set)
  Unit unit = Unit::kCount;
  std::optional<double> max;
  std::optional<double> max_increase_percent;
  double min_increase = 0;
};

struct Rule {
  std::string
      name;  // as given, or made from the rule ("totals.waste_bytes.total at most 1.00 MiB")
  std::string note;   // the file's explanation, shown with a violation ("" when none)
  std::string where;  // its JSON path in the limits file: "rules[2]"
  RuleKind kind = RuleKind::kMetric;
  MetricLimit limit;                           // kMetric
  std::vector<std::string> causes;             // kContiguousFailures: cause names, or {"any"}
  Severity min_severity = Severity::kWarning;  // kNewFindings

  // Relative limits and new findings compare with a baseline.
  bool needs_baseline() const {
    return kind == RuleKind::kNewFindings ||
           (kind == RuleKind::kMetric && limit.max_increase_percent.has_value());
  }
};

struct Limits {
  std::string file;
  std::vector<Rule> rules;
};

// Throws Error "file: rules[2].max: expected ..., got ..." on anything it cannot use.
Limits parse_limits(const nlohmann::ordered_json& doc, const std::string& file);
// Reads `path` (JSON; // and /* */ comments allowed; a key given twice is an error).
Limits read_limits_file(const std::string& path);

// Glob match: '*' matches any run of characters (including none), everything else itself.
bool key_matches(std::string_view pattern, std::string_view key);

}  // namespace fragreplay::gate

// JSON verdict of a check (see check_json.hpp).
#include "gate/check_json.hpp"

#include "gate/diff_json.hpp"

namespace fragreplay::gate {

using nlohmann::ordered_json;

namespace {

std::string_view kind_name(RuleKind k) {
  switch (k) {
    case RuleKind::kMetric:
      return "metric";
    case RuleKind::kContiguousFailures:
      return "no_contiguous_failures";
    case RuleKind::kNewFindings:
      return "no_new_findings";
  }
  return "metric";
}

ordered_json optional_number(const std::optional<double>& v) {
  return v ? json_number(*v) : ordered_json(nullptr);
}

// The rule as the limits file gave it, with sizes in bytes.
ordered_json limit_json(const Rule& rule) {
  ordered_json j;
  switch (rule.kind) {
    case RuleKind::kMetric: {
      const MetricLimit& l = rule.limit;
      if (l.group) j[std::string(row_group_name(*l.group))] = l.pattern;
      j["metric"] = l.metric;
      j["unit"] = unit_name(l.unit);
      j["max"] = optional_number(l.max);
      j["max_increase_percent"] = optional_number(l.max_increase_percent);
      j["min_increase"] = json_number(l.min_increase);
      break;
    }
    case RuleKind::kContiguousFailures:
      j["no_contiguous_failures"] = rule.causes;
      break;
    case RuleKind::kNewFindings:
      j["no_new_findings"] = severity_name(rule.min_severity);
      break;
  }
  return j;
}

}  // namespace

ordered_json check_json(const CheckReport& c, bool all) {
  ordered_json j;
  j["schema_version"] = kCheckSchemaVersion;
  j["verdict"] = c.verdict.passed() ? "passed" : "failed";
  j["exit_status"] = c.exit_status;
  j["rules_checked"] = c.verdict.results.size() - c.verdict.skipped;
  j["rules_violated"] = c.verdict.violated;
  j["rules_skipped"] = c.verdict.skipped;
  ordered_json current = report_identity_json(*c.current);
  current["file"] = c.input;
  current["replayed"] = c.replayed;
  j["current"] = std::move(current);
  j["baseline"] = c.baseline != nullptr ? report_identity_json(*c.baseline) : ordered_json(nullptr);
  j["baseline_rewritten"] = !c.baseline_rewritten.empty();
  j["limits"] = c.limits->file;
  j["notes"] = c.notes;
  ordered_json rules = ordered_json::array();
  for (const RuleResult& r : c.verdict.results) {
    ordered_json rule;
    rule["name"] = r.rule->name;
    rule["where"] = r.rule->where;
    rule["kind"] = kind_name(r.rule->kind);
    rule["status"] = rule_status_name(r.status);
    rule["summary"] = r.summary;
    rule["note"] = r.rule->note;
    rule["limit"] = limit_json(*r.rule);
    ordered_json violations = ordered_json::array();
    for (const Violation& v : r.violations) {
      violations.push_back(
          {{"subject", v.subject},
           {"unit", unit_name(v.unit)},
           {"baseline", optional_number(v.baseline)},
           {"current", optional_number(v.current)},
           {"change", v.baseline && v.current ? json_number(*v.current - *v.baseline)
                                              : ordered_json(nullptr)},
           {"message", v.message},
           {"trace_line", v.trace_line}});
    }
    rule["violations"] = std::move(violations);
    rules.push_back(std::move(rule));
  }
  j["rules"] = std::move(rules);
  j["changes"] = c.diff ? diff_rows_json(*c.diff, all) : ordered_json::array();
  return j;
}

std::string check_json_text(const CheckReport& c, bool all) {
  return check_json(c, all).dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace fragreplay::gate

// Rule evaluation (see rule_check.hpp).
#include "gate/rule_check.hpp"

#include <cmath>
#include <set>

#include "base/error.hpp"
#include "base/format.hpp"
#include "gate/value_format.hpp"

namespace fragreplay::gate {
namespace {

// Keys of rows named in a summary before "and N more".
constexpr std::size_t kKeysInSummary = 5;

[[noreturn]] void fail(const Limits& limits, const Rule& rule, const std::string& what) {
  throw Error(Position{limits.file, 0, 0, false}, rule.where + " (\"" + rule.name + "\"): " + what);
}

// "519 KiB" or, with a baseline value, "512 KiB -> 519 KiB (+7.00 KiB, +1.4 %)".
std::string describe_values(Unit unit, std::optional<double> baseline, double current) {
  if (!baseline) return format_value(unit, current);
  const auto [b, c] = format_pair(unit, *baseline, current);
  if (*baseline == current) return c + " (unchanged)";
  const auto p = relative_change(*baseline, current);
  return b + " -> " + c + " (" + format_change(unit, current - *baseline) +
         (p ? ", " + format_percent(*p) : std::string()) + ")";
}

// Checks one value against a metric limit; appends what went over.
void check_value(const MetricLimit& l, const std::string& subject, std::optional<double> baseline,
                 double current, std::vector<Violation>& out) {
  if (l.max && current > *l.max) {
    out.push_back({subject, l.unit, baseline, current,
                   subject + " is " + format_against(l.unit, current, *l.max) +
                       ", above the maximum " + format_limit(l.unit, *l.max)});
  }
  if (l.max_increase_percent && baseline) {
    const double rise = current - *baseline;
    const double pct = *l.max_increase_percent;
    const bool over_percent = *baseline == 0 ? rise > 0 : 100.0 * rise > pct * std::fabs(*baseline);
    if (rise > l.min_increase && over_percent) {
      std::string allowed = format_limit_percent(pct);
      if (l.min_increase > 0) allowed += " and " + format_limit(l.unit, l.min_increase);
      const auto [b, c] = format_pair(l.unit, *baseline, current);
      const auto p = relative_change(*baseline, current);
      out.push_back({subject, l.unit, baseline, current,
                     subject + " rose from " + b + " to " + c + " (" + format_change(l.unit, rise) +
                         (p ? ", " + format_percent(*p) : "") + "), more than the allowed " +
                         allowed});
    }
  }
}

RuleResult check_scalar(const Limits& limits, const Rule& rule, const CheckInputs& in) {
  const MetricLimit& l = rule.limit;
  const Metric* c = in.current->metric(l.metric);
  if (c == nullptr) fail(limits, rule, "the metric is not in " + in.current->file);
  std::optional<double> baseline;
  if (in.baseline != nullptr) {
    const Metric* b = in.baseline->metric(l.metric);
    if (b != nullptr) {
      baseline = b->value;
    } else if (l.max_increase_percent) {
      fail(limits, rule,
           "the metric is not in the baseline " + in.baseline->file +
               " (written by an older fragreplay? refresh it with --update-baseline)");
    }
  }
  RuleResult r{&rule, RuleStatus::kPassed, {}, {}};
  check_value(l, l.metric, baseline, c->value, r.violations);
  if (r.violations.empty()) {
    // Without a baseline the value stands beside its maximum, written alike.
    r.summary = !baseline && l.max ? format_against(l.unit, c->value, *l.max)
                                   : describe_values(l.unit, baseline, c->value);
  } else {
    r.status = RuleStatus::kViolated;
    for (const Violation& v : r.violations)
      r.summary += (r.summary.empty() ? "" : "; ") + v.message;
  }
  return r;
}

RuleResult check_rows(const Rule& rule, const CheckInputs& in) {
  const MetricLimit& l = rule.limit;
  const RowGroup group = *l.group;
  // Rows of either report whose key matches, current report's order first.
  std::vector<std::string> keys;
  std::set<std::string> seen;
  for (const ReportMetrics* rep : {in.current, in.baseline}) {
    if (rep == nullptr) continue;
    for (const Row& row : rep->rows_of(group)) {
      if (key_matches(l.pattern, row.key) && seen.insert(row.key).second) keys.push_back(row.key);
    }
  }
  const RowIndex current_rows = index_rows(in.current->rows_of(group));
  const RowIndex baseline_rows =
      in.baseline != nullptr ? index_rows(in.baseline->rows_of(group)) : RowIndex{};
  // A row missing from a report did nothing there: its fields are 0.
  auto value = [&](const ReportMetrics& rep, const std::string& key) {
    const Row* row = find_row(&rep == in.current ? current_rows : baseline_rows, key);
    const Metric* m = row != nullptr ? row->field(l.metric) : nullptr;
    return m != nullptr ? m->value : 0.0;
  };
  auto baseline_value = [&](const std::string& key) -> std::optional<double> {
    if (in.baseline == nullptr) return std::nullopt;
    return value(*in.baseline, key);
  };
  RuleResult r{&rule, RuleStatus::kPassed, {}, {}};
  std::vector<std::string> over;
  for (const std::string& key : keys) {
    const std::size_t before = r.violations.size();
    check_value(l,
                std::string(row_group_name(group)) + " " + display_key(group, key) + " " + l.metric,
                baseline_value(key), value(*in.current, key), r.violations);
    if (r.violations.size() != before) over.push_back(display_key(group, key));
  }
  const std::string plural(row_group_plural(group));
  const std::string name(row_group_name(group));
  if (keys.empty()) {
    r.summary = "no " + name + " matches \"" + l.pattern + "\"";
  } else if (over.empty()) {
    // A rule naming one row says its value; a pattern says how many rows it covered.
    const bool literal = l.pattern.find('*') == std::string::npos;
    r.summary = literal
                    ? describe_values(l.unit, baseline_value(keys[0]), value(*in.current, keys[0]))
                    : thousands(keys.size()) + " " + (keys.size() == 1 ? name : plural) +
                          " within the limit";
  } else if (l.pattern.find('*') == std::string::npos) {
    r.status = RuleStatus::kViolated;  // one row: its violations say it all
    for (const Violation& v : r.violations)
      r.summary += (r.summary.empty() ? "" : "; ") + v.message;
  } else {
    r.status = RuleStatus::kViolated;
    r.summary = thousands(over.size()) + " of " + thousands(keys.size()) + " " +
                (keys.size() == 1 ? name : plural) + " over the limit: ";
    for (std::size_t i = 0; i < over.size() && i < kKeysInSummary; ++i) {
      r.summary += (i == 0 ? "" : ", ") + over[i];
    }
    if (over.size() > kKeysInSummary) {
      r.summary += " and " + thousands(over.size() - kKeysInSummary) + " more";
    }
  }
  return r;
}

RuleResult check_contiguous(const Limits& limits, const Rule& rule, const CheckInputs& in) {
  RuleResult r{&rule, RuleStatus::kPassed, {}, {}};
  double total = 0;
  for (const std::string& cause : rule.causes) {
    const bool any = cause == "any";
    const std::string name = any ? "contiguous.failures" : "contiguous.failures_by_cause." + cause;
    const Metric* m = in.current->metric(name);
    if (m == nullptr) fail(limits, rule, "the metric " + name + " is not in " + in.current->file);
    total += m->value;
    if (m->value <= 0) continue;
    Violation v{any ? "contiguous.failures" : "contiguous failures from " + cause,
                Unit::kCount,
                std::nullopt,
                m->value,
                {}};
    v.message = format_value(Unit::kCount, m->value) +
                (m->value == 1 ? " contiguous allocation" : " contiguous allocations") + " failed" +
                (any ? "" : " from " + cause);
    for (const ContiguousFailure& f : in.current->failure_samples) {
      if (!any && f.cause != cause) continue;
      v.trace_line = f.line;
      v.message +=
          "; the first at trace line " + std::to_string(f.line) + ": " + f.routine +
          (f.tag.empty() ? "" : " " + f.tag) + " " + format_value(Unit::kBytes, f.bytes) +
          (any ? " (" + f.cause + ")" : "") + ", " + format_value(Unit::kBytes, f.free_in_window) +
          " free in the window, largest free run " + format_value(Unit::kBytes, f.largest_run);
      break;
    }
    r.violations.push_back(std::move(v));
  }
  if (r.violations.empty()) {
    r.summary = "none failed";
  } else {
    r.status = RuleStatus::kViolated;
    r.summary = r.violations.size() == 1
                    ? r.violations[0].message
                    : format_value(Unit::kCount, total) + " contiguous allocations failed";
  }
  return r;
}

RuleResult check_findings(const Limits& limits, const Rule& rule, const CheckInputs& in) {
  RuleResult r{&rule, RuleStatus::kPassed, {}, {}};
  const ReportMetrics& cur = *in.current;
  if (!cur.has_findings) {
    r.summary = "the report lists no findings (it was written without them)";
    return r;
  }
  // A baseline written before findings existed would make every finding "new".
  if (!in.baseline->has_findings) {
    fail(limits, rule,
         "the baseline " + in.baseline->file +
             " lists no findings (written by an older fragreplay?); refresh it with "
             "--update-baseline");
  }
  std::set<std::string> known;
  for (const Finding& f : in.baseline->findings) known.insert(finding_key(f));
  std::size_t at_severity = 0;
  for (const Finding& f : cur.findings) {
    if (f.severity < rule.min_severity) continue;
    ++at_severity;
    if (known.count(finding_key(f)) != 0) continue;
    Violation v{"finding " + finding_key(f),  Unit::kCount, std::nullopt,
                static_cast<double>(f.count), {},           f.first_line};
    v.message = "new " + std::string(severity_name(f.severity)) + " finding " + f.rule;
    if (!f.tag.empty()) v.message += " for tag " + f.tag;
    if (!f.routine.empty()) v.message += (f.tag.empty() ? " for " : ", ") + f.routine;
    v.message += ": " + format_value(Unit::kCount, static_cast<double>(f.count)) +
                 (f.count == 1 ? " time" : " times");
    if (f.bytes > 0) v.message += ", " + format_value(Unit::kBytes, static_cast<double>(f.bytes));
    if (f.first_line > 0) v.message += ", first at trace line " + std::to_string(f.first_line);
    if (!f.rationale.empty()) v.message += " (" + f.rationale + ")";
    r.violations.push_back(std::move(v));
  }
  if (r.violations.empty()) {
    r.summary = thousands(at_severity) + (at_severity == 1 ? " finding" : " findings") +
                " at that severity, none new";
  } else {
    r.status = RuleStatus::kViolated;
    r.summary = thousands(r.violations.size()) +
                (r.violations.size() == 1 ? " new finding" : " new findings") + " of severity " +
                std::string(severity_name(rule.min_severity)) +
                (rule.min_severity == Severity::kError ? "" : " or above");
  }
  return r;
}

}  // namespace

std::string_view rule_status_name(RuleStatus s) {
  switch (s) {
    case RuleStatus::kPassed:
      return "passed";
    case RuleStatus::kViolated:
      return "violated";
    case RuleStatus::kSkipped:
      return "skipped";
  }
  return "passed";
}

Verdict check_rules(const Limits& limits, const CheckInputs& in) {
  Verdict verdict;
  for (const Rule& rule : limits.rules) {
    if (rule.needs_baseline() && in.updating_baseline) {
      verdict.results.push_back(
          {&rule, RuleStatus::kSkipped, "the baseline is being rewritten from this run", {}});
      ++verdict.skipped;
      continue;
    }
    if (rule.needs_baseline() && in.baseline == nullptr) {
      fail(limits, rule, "compares with a baseline; give one with --baseline FILE");
    }
    RuleResult r;
    switch (rule.kind) {
      case RuleKind::kMetric:
        r = rule.limit.group ? check_rows(rule, in) : check_scalar(limits, rule, in);
        break;
      case RuleKind::kContiguousFailures:
        r = check_contiguous(limits, rule, in);
        break;
      case RuleKind::kNewFindings:
        r = check_findings(limits, rule, in);
        break;
    }
    if (r.status == RuleStatus::kViolated) ++verdict.violated;
    verdict.results.push_back(std::move(r));
  }
  return verdict;
}

}  // namespace fragreplay::gate

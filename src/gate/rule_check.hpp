// Evaluating a limits file's rules on a report, against a baseline: the verdict of
// `fragreplay check`. Every rule gets a result (passed, violated, or skipped while the baseline
// is being rewritten) with a one-line summary of what was measured, and one Violation per value
// over its limit, so each renderer (terminal, JUnit, annotations, Markdown, JSON) says the same.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gate/limits.hpp"
#include "gate/report_metrics.hpp"

namespace fragreplay::gate {

struct Violation {
  std::string subject;  // what went over: "totals.waste_bytes.total", "tag NicS waste_bytes", ...
  Unit unit = Unit::kCount;
  std::optional<double> baseline;
  std::optional<double> current;
  std::string message;           // one line, self-contained
  std::uint64_t trace_line = 0;  // where in the trace it shows first (0 = nowhere in particular)
};

enum class RuleStatus : unsigned char { kPassed, kViolated, kSkipped };
std::string_view rule_status_name(RuleStatus s);  // "passed", "violated", "skipped"

struct RuleResult {
  const Rule* rule = nullptr;
  RuleStatus status = RuleStatus::kPassed;
  std::string summary;  // one line
  std::vector<Violation> violations;
};

struct Verdict {
  std::vector<RuleResult> results;  // in the limits file's order
  std::size_t violated = 0;
  std::size_t skipped = 0;
  bool passed() const { return violated == 0; }
};

struct CheckInputs {
  const ReportMetrics* current = nullptr;
  const ReportMetrics* baseline = nullptr;  // nullptr: no baseline
  // The baseline is being rewritten from this run: rules that compare with it are skipped.
  bool updating_baseline = false;
};

// REQUIRES: inputs.current. Throws Error (naming the limits file and the rule's JSON path) when a
// rule cannot be evaluated: a metric missing from a report, or no baseline for a rule needing one.
Verdict check_rules(const Limits& limits, const CheckInputs& inputs);

}  // namespace fragreplay::gate

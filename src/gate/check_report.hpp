// Everything one `fragreplay check` run found, as its renderers (terminal text, JSON verdict,
// JUnit XML, GitHub annotations, Markdown summary) need it. A plain aggregate the command fills.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gate/limits.hpp"
#include "gate/report_diff.hpp"
#include "gate/report_metrics.hpp"
#include "gate/rule_check.hpp"

namespace fragreplay::gate {

struct CheckReport {
  std::string input;                        // TRACE or REPORT.json as given
  bool replayed = false;                    // the input was a trace, replayed by this run
  const ReportMetrics* current = nullptr;   // never null
  const ReportMetrics* baseline = nullptr;  // null: no baseline to compare with
  const Limits* limits = nullptr;           // never null
  std::optional<ReportDiff> diff;           // set when there is a baseline
  Verdict verdict;
  std::vector<std::string> notes;  // comparison caveats and what happened to the baseline
  std::string baseline_rewritten;  // the baseline file this run rewrote ("" when none)
  int exit_status = 0;

  // The trace a violation's trace_line refers to, when it is a file this run read ("" if none).
  std::string trace_file() const { return replayed && input != "-" ? input : std::string(); }
  // "check passed: 7 rules, none violated" and the like (no newline).
  std::string verdict_line() const;
};

}  // namespace fragreplay::gate

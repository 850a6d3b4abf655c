// Rule evaluation: where each kind of limit starts to fail (a limit met exactly passes; a
// relative rule fails only past both its percentage and its minimum change), rows matched by
// pattern, contiguous failures with the line they show first, and which findings are new.
#include <gtest/gtest.h>

#include "base/error.hpp"
#include "gate/limits.hpp"
#include "gate/report_reader.hpp"
#include "gate/rule_check.hpp"
#include "json/json_file.hpp"

namespace fragreplay::gate {
namespace {

using nlohmann::ordered_json;

ReportMetrics report(const std::string& body, const std::string& file = "r.json") {
  return read_report(ordered_json::parse(R"({"schema_version": 1, )" + body + "}"), file);
}

Limits limits(const std::string& rules) {
  return parse_limits(ordered_json::parse(R"({"limits_version": 1, "rules": [)" + rules + "]}"),
                      "l.json");
}

Verdict check(const Limits& l, const ReportMetrics& current, const ReportMetrics* baseline) {
  return check_rules(l, CheckInputs{&current, baseline, false});
}

TEST(RuleCheck, MaximumIsInclusive) {
  const Limits l = limits(R"({"metric": "totals.requested_bytes", "max": 1024},
                             {"metric": "totals.footprint_bytes", "max": "1KiB"})");
  const ReportMetrics r = report(R"("totals": {"requested_bytes": 1024, "footprint_bytes": 1025})");
  const Verdict v = check(l, r, nullptr);
  ASSERT_EQ(v.results.size(), 2u);
  EXPECT_EQ(v.results[0].status, RuleStatus::kPassed);
  EXPECT_EQ(v.results[0].summary, "1.00 KiB");
  EXPECT_EQ(v.results[1].status, RuleStatus::kViolated);
  // The limit reads as it was written; 1025 would round to 1.00 KiB, so it is shown exactly.
  EXPECT_EQ(v.results[1].summary, "totals.footprint_bytes is 1,025 B, above the maximum 1 KiB");
  ASSERT_EQ(v.results[1].violations.size(), 1u);
  EXPECT_EQ(v.results[1].violations[0].current, 1025);
  EXPECT_EQ(v.violated, 1u);
  EXPECT_FALSE(v.passed());
}

TEST(RuleCheck, RelativeRuleNeedsBothPercentAndMinimum) {
  // Baseline 10,000 bytes. Limit: +10 % and more than 2,000 bytes.
  const Limits l = limits(
      R"({"metric": "totals.requested_bytes", "max_increase_percent": 10, "min_increase": 2000})");
  const ReportMetrics base = report(R"("totals": {"requested_bytes": 10000})", "base.json");
  auto status = [&](int current) {
    const ReportMetrics r =
        report(R"("totals": {"requested_bytes": )" + std::to_string(current) + "}");
    return check(l, r, &base).results[0].status;
  };
  EXPECT_EQ(status(11000), RuleStatus::kPassed) << "+10 % exactly: the limit is met";
  EXPECT_EQ(status(11500), RuleStatus::kPassed) << "+15 % but only +1,500 bytes";
  EXPECT_EQ(status(12000), RuleStatus::kPassed) << "+2,000 bytes exactly";
  EXPECT_EQ(status(12001), RuleStatus::kViolated) << "+20.01 % and +2,001 bytes";
  EXPECT_EQ(status(5000), RuleStatus::kPassed) << "a decrease never fails";

  const ReportMetrics r = report(R"("totals": {"requested_bytes": 12288})");
  const Verdict v = check(l, r, &base);
  EXPECT_EQ(v.results[0].summary,
            "totals.requested_bytes rose from 9.77 KiB to 12.0 KiB (+2.23 KiB, +22.9 %), more "
            "than the allowed 10 % and 2,000 B");
  EXPECT_EQ(v.results[0].violations[0].baseline, 10000);
}

TEST(RuleCheck, RiseFromZeroIsOverAnyPercentage) {
  const Limits l = limits(R"({"metric": "contiguous.failures", "max_increase_percent": 1000},
                             {"metric": "contiguous.requests", "max_increase_percent": 1000,
                              "min_increase": 5})");
  const ReportMetrics base =
      report(R"("contiguous": {"failures": 0, "requests": 0}, "totals": {})");
  const ReportMetrics r = report(R"("contiguous": {"failures": 1, "requests": 5}, "totals": {})");
  const Verdict v = check(l, r, &base);
  EXPECT_EQ(v.results[0].status, RuleStatus::kViolated);
  EXPECT_EQ(v.results[0].summary,
            "contiguous.failures rose from 0 to 1 (+1), more than the allowed 1000 %");
  EXPECT_EQ(v.results[1].status, RuleStatus::kPassed) << "+5 is not more than 5";
  EXPECT_EQ(v.results[1].summary, "0 -> 5 (+5)");
}

TEST(RuleCheck, RowRulesCoverEveryMatchingRowOfEitherReport) {
  const Limits l = limits(R"({"tag": "*", "metric": "waste_bytes", "max_increase_percent": 10,
                              "min_increase": 100},
                             {"tag": "Nic*", "metric": "waste_bytes", "max": 5000},
                             {"tag": "Zzz*", "metric": "waste_bytes", "max": 0},
                             {"tag": "NicA", "metric": "waste_bytes", "max": 5000},
                             {"routine": "*", "metric": "failures", "max": 0})");
  const ReportMetrics base = report(R"("totals": {}, "by_tag": [
      {"tag": "NicA", "waste_bytes": 4000}, {"tag": "NicB", "waste_bytes": 1000},
      {"tag": "Gone", "waste_bytes": 9000}])",
                                    "base.json");
  const ReportMetrics r = report(R"("totals": {}, "by_tag": [
      {"tag": "NicA", "waste_bytes": 4400}, {"tag": "NicB", "waste_bytes": 1101},
      {"tag": "NicC", "waste_bytes": 101}],
      "by_routine": [{"routine": "ExAllocatePoolWithTag", "failures": 0}])");
  const Verdict v = check(l, r, &base);
  // NicA: +400 = +10 % exactly, passes. NicB: +101 (+10.1 %) fails. NicC: from nothing, +101.
  // Gone: went to 0, a decrease.
  EXPECT_EQ(v.results[0].status, RuleStatus::kViolated);
  EXPECT_EQ(v.results[0].summary, "2 of 4 tags over the limit: NicB, NicC");
  ASSERT_EQ(v.results[0].violations.size(), 2u);
  EXPECT_EQ(v.results[0].violations[0].subject, "tag NicB waste_bytes");
  EXPECT_EQ(v.results[0].violations[1].message,
            "tag NicC waste_bytes rose from 0 B to 101 B (+101 B), more than the allowed 10 % and "
            "100 B");
  EXPECT_EQ(v.results[1].status, RuleStatus::kPassed);
  EXPECT_EQ(v.results[1].summary, "3 tags within the limit");
  EXPECT_EQ(v.results[2].summary, "no tag matches \"Zzz*\"");
  EXPECT_EQ(v.results[3].summary, "3.91 KiB -> 4.30 KiB (+400 B, +10.0 %)");
  EXPECT_EQ(v.results[4].summary, "1 routine within the limit");
}

TEST(RuleCheck, ProcessRulesNameTheProcessOrSayItWasNotRecorded) {
  const Limits l = limits(R"({"process": "*", "metric": "footprint_bytes", "max": 8192},
                             {"process": "svchost*", "metric": "live_allocations", "max": 2})");
  const ReportMetrics r = report(R"("totals": {}, "by_process": [
      {"process": "svchost.exe", "footprint_bytes": 8192, "live_allocations": 3},
      {"process": "", "footprint_bytes": 12288, "live_allocations": 1}])");
  const Verdict v = check(l, r, nullptr);
  // 8192 meets the maximum exactly; the events without a process are over it.
  EXPECT_EQ(v.results[0].status, RuleStatus::kViolated);
  EXPECT_EQ(v.results[0].summary, "1 of 2 processes over the limit: (not recorded)");
  ASSERT_EQ(v.results[0].violations.size(), 1u);
  EXPECT_EQ(v.results[0].violations[0].subject, "process (not recorded) footprint_bytes");
  EXPECT_EQ(v.results[1].status, RuleStatus::kViolated);
  EXPECT_EQ(v.results[1].violations[0].subject, "process svchost.exe live_allocations");
}

TEST(RuleCheck, ContiguousFailuresPointAtTheirFirstLine) {
  const Limits l = limits(R"({"no_contiguous_failures": "fragmentation"},
                             {"no_contiguous_failures": ["constraint", "invalid"]},
                             {"no_contiguous_failures": "any"})");
  const ReportMetrics r = report(R"("totals": {}, "contiguous": {"failures": 3,
      "failures_by_cause": {"exhaustion": 1, "fragmentation": 2, "constraint": 0, "invalid": 0},
      "failure_log": [
        {"line": 40, "routine": "MmAllocateContiguousMemory", "tag": "NicX", "bytes": 1048576,
         "cause": "exhaustion", "free_bytes_in_window": 4096,
         "largest_free_run_bytes_in_window": 4096},
        {"line": 52, "routine": "MmAllocateContiguousMemory", "tag": "NicX", "bytes": 1048576,
         "cause": "fragmentation", "free_bytes_in_window": 2097152,
         "largest_free_run_bytes_in_window": 65536},
        {"line": 60, "routine": "MmAllocateContiguousMemory", "tag": "NicX", "bytes": 1048576,
         "cause": "fragmentation", "free_bytes_in_window": 2097152,
         "largest_free_run_bytes_in_window": 65536}]})");
  const Verdict v = check(l, r, nullptr);
  EXPECT_EQ(v.results[0].status, RuleStatus::kViolated);
  EXPECT_EQ(v.results[0].summary,
            "2 contiguous allocations failed from fragmentation; the first at trace line 52: "
            "MmAllocateContiguousMemory NicX 1.00 MiB, 2.00 MiB free in the window, largest free "
            "run 64.0 KiB");
  EXPECT_EQ(v.results[0].violations[0].trace_line, 52u);
  EXPECT_EQ(v.results[1].status, RuleStatus::kPassed);
  EXPECT_EQ(v.results[1].summary, "none failed");
  EXPECT_EQ(v.results[2].violations[0].trace_line, 40u);
  EXPECT_NE(v.results[2].summary.find("NicX 1.00 MiB (exhaustion)"), std::string::npos)
      << v.results[2].summary;
}

TEST(RuleCheck, NewFindingsAreThoseWhoseRuleTagAndRoutineTheBaselineLacks) {
  const Limits l = limits(R"({"no_new_findings": "warning"}, {"no_new_findings": "error"},
                             {"no_new_findings": "info"})");
  const ReportMetrics base = report(R"("totals": {}, "findings": [
      {"rule": "small-noncached", "severity": "info", "tag": "NicS",
       "routine": "MmAllocateNonCachedMemory", "count": 1}])",
                                    "base.json");
  const ReportMetrics r = report(R"("totals": {}, "findings": [
      {"rule": "small-noncached", "severity": "error", "tag": "NicS",
       "routine": "MmAllocateNonCachedMemory", "count": 9},
      {"rule": "small-noncached", "severity": "warning", "tag": "NicT",
       "routine": "MmAllocateNonCachedMemory", "count": 2, "bytes": 6144, "first_line": 17,
       "rationale": "a page for 1 KiB"},
      {"rule": "header-heavy", "severity": "info", "tag": "NicP", "count": 1}])");
  const Verdict v = check(l, r, &base);
  // The NicS finding got worse but is not new; NicT's is new (warning); NicP's is new (info).
  EXPECT_EQ(v.results[0].status, RuleStatus::kViolated);
  EXPECT_EQ(v.results[0].summary, "1 new finding of severity warning or above");
  ASSERT_EQ(v.results[0].violations.size(), 1u);
  EXPECT_EQ(v.results[0].violations[0].message,
            "new warning finding small-noncached for tag NicT, MmAllocateNonCachedMemory: 2 "
            "times, 6.00 KiB, first at trace line 17 (a page for 1 KiB)");
  EXPECT_EQ(v.results[0].violations[0].trace_line, 17u);
  EXPECT_EQ(v.results[1].status, RuleStatus::kPassed);
  EXPECT_EQ(v.results[1].summary, "1 finding at that severity, none new");
  EXPECT_EQ(v.results[2].violations.size(), 2u);

  // A report without findings (written before they existed) has none, new or old.
  const ReportMetrics without = report(R"("totals": {})");
  EXPECT_EQ(check(l, without, &base).results[0].summary,
            "the report lists no findings (it was written without them)");
  // A baseline written without findings cannot say which are new: refresh it (exit status 2).
  try {
    check(l, r, &without);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "l.json: rules[0] (\"no new findings of severity warning or above\"): the baseline "
              "r.json lists no findings (written by an older fragreplay?); refresh it with "
              "--update-baseline");
  }
}

TEST(RuleCheck, SkipsBaselineRulesWhileTheBaselineIsRewritten) {
  const Limits l = limits(R"({"metric": "totals.frees", "max": 1},
                             {"metric": "totals.frees", "max_increase_percent": 0},
                             {"no_new_findings": "error"})");
  const ReportMetrics r = report(R"("totals": {"frees": 2})");
  const Verdict v = check_rules(l, CheckInputs{&r, nullptr, true});
  EXPECT_EQ(v.results[0].status, RuleStatus::kViolated) << "absolute limits still apply";
  EXPECT_EQ(v.results[1].status, RuleStatus::kSkipped);
  EXPECT_EQ(v.results[2].status, RuleStatus::kSkipped);
  EXPECT_EQ(v.skipped, 2u);
  EXPECT_EQ(v.violated, 1u);
}

TEST(RuleCheck, RefusesRulesItCannotEvaluate) {
  const ReportMetrics r = report(R"("totals": {"frees": 2})");
  auto error = [&](const std::string& rules, const ReportMetrics* baseline) {
    try {
      check(limits(rules), r, baseline);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error(R"({"metric": "totals.frees", "max_increase_percent": 5})", nullptr),
            "l.json: rules[0] (\"totals.frees up at most 5 %\"): compares with a baseline; give "
            "one with --baseline FILE");
  EXPECT_EQ(error(R"({"metric": "totals.allocations", "max": 5})", nullptr),
            "l.json: rules[0] (\"totals.allocations at most 5\"): the metric is not in r.json");
  const ReportMetrics old = report(R"("totals": {})", "old.json");
  EXPECT_EQ(error(R"({"metric": "totals.frees", "max_increase_percent": 5})", &old),
            "l.json: rules[0] (\"totals.frees up at most 5 %\"): the metric is not in the "
            "baseline old.json (written by an older fragreplay? refresh it with "
            "--update-baseline)");
}

}  // namespace
}  // namespace fragreplay::gate

// The limits file: every kind of rule parsed, the names rules get, and one clear message (file,
// JSON path, what was expected) for each way a file can be wrong.
#include <gtest/gtest.h>

#include "base/error.hpp"
#include "gate/limits.hpp"
#include "json/json_file.hpp"

namespace fragreplay::gate {
namespace {

Limits parse(const std::string& rules) {
  return parse_limits(parse_json_text(R"({"limits_version": 1, "rules": [)" + rules + "]}",
                                      "l.json", JsonParseOptions{true, true}),
                      "l.json");
}

std::string error_of(const std::string& text) {
  try {
    parse_limits(parse_json_text(text, "l.json", JsonParseOptions{true, true}), "l.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

std::string rule_error(const std::string& rule) {
  return error_of(R"({"limits_version": 1, "rules": [)" + rule + "]}");
}

TEST(Limits, ParsesEveryKindOfRule) {
  const Limits l = parse(R"(
    {"metric": "totals.waste_bytes.total", "max": "1MiB", "note": "budget"},
    {"metric": "totals.waste_bytes.total", "max_increase_percent": 5, "min_increase": "16KiB"},
    {"tag": "Nic*", "metric": "waste_bytes", "max_increase_percent": 2.5},
    {"routine": "MmAllocateNonCachedMemory", "metric": "allocations", "max": 100},
    {"adapter": "nic0", "metric": "peak", "max_increase_percent": 0},
    {"no_contiguous_failures": ["constraint", "invalid"], "name": "hard failures"},
    {"no_contiguous_failures": "any"},
    // comments are allowed
    {"no_new_findings": "warning", "comment": "ignored"},
    {"no_new_findings": "error"})");
  ASSERT_EQ(l.rules.size(), 9u);
  const MetricLimit& max = l.rules[0].limit;
  EXPECT_EQ(max.metric, "totals.waste_bytes.total");
  EXPECT_EQ(max.unit, Unit::kBytes);
  EXPECT_EQ(max.max, 1048576.0);
  EXPECT_FALSE(max.max_increase_percent);
  EXPECT_FALSE(l.rules[0].needs_baseline());
  EXPECT_EQ(l.rules[0].note, "budget");
  EXPECT_EQ(l.rules[0].where, "rules[0]");
  EXPECT_EQ(l.rules[1].limit.max_increase_percent, 5.0);
  EXPECT_EQ(l.rules[1].limit.min_increase, 16384.0);
  EXPECT_TRUE(l.rules[1].needs_baseline());
  EXPECT_EQ(l.rules[2].limit.group, RowGroup::kTag);
  EXPECT_EQ(l.rules[2].limit.pattern, "Nic*");
  EXPECT_EQ(l.rules[3].limit.group, RowGroup::kRoutine);
  EXPECT_EQ(l.rules[3].limit.unit, Unit::kCount);
  EXPECT_EQ(l.rules[4].limit.group, RowGroup::kAdapter);
  EXPECT_EQ(l.rules[5].kind, RuleKind::kContiguousFailures);
  EXPECT_EQ(l.rules[5].causes, (std::vector<std::string>{"constraint", "invalid"}));
  EXPECT_EQ(l.rules[7].kind, RuleKind::kNewFindings);
  EXPECT_EQ(l.rules[7].min_severity, Severity::kWarning);
  EXPECT_TRUE(l.rules[7].needs_baseline());

  std::vector<std::string> names;
  for (const Rule& r : l.rules) names.push_back(r.name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "totals.waste_bytes.total at most 1 MiB",
                       "totals.waste_bytes.total up at most 5 % or 16 KiB",
                       "tag Nic* waste_bytes up at most 2.5 %",
                       "routine MmAllocateNonCachedMemory allocations at most 100",
                       "adapter nic0 peak no increase",
                       "hard failures",
                       "no contiguous failures",
                       "no new findings of severity warning or above",
                       "no new findings of severity error",
                   }));
}

TEST(Limits, RefusesBadFilesWithThePathOfTheProblem) {
  EXPECT_EQ(error_of("[]"),
            "l.json: expected a JSON object with \"limits_version\" and \"rules\", got an array");
  EXPECT_EQ(error_of(R"({"rules": []})"),
            "l.json: missing \"limits_version\": 1 (the format of this file)");
  EXPECT_EQ(error_of(R"({"limits_version": 2, "rules": []})"),
            "l.json: limits_version: this fragreplay reads limits_version 1, got the number 2");
  EXPECT_EQ(error_of(R"({"limits_version": 1, "rule": []})"),
            "l.json: unknown key \"rule\" (did you mean \"rules\"?); the limits file takes: "
            "limits_version, rules, comment");
  EXPECT_EQ(error_of(R"({"limits_version": 1, "rules": []})"),
            "l.json: rules: expected at least one rule (a check without rules checks nothing)");
  EXPECT_EQ(error_of(R"({"limits_version": 1, "rules": [{"metric": "totals.frees", "max": 1,)"
                     R"( "max": 2}]})"),
            "l.json: invalid JSON: the key \"max\" appears twice in one object");
  EXPECT_EQ(rule_error("7"), "l.json: rules[0]: expected a rule (an object), got the number 7");
  EXPECT_EQ(rule_error("{}"),
            "l.json: rules[0]: expected one of \"metric\", \"no_contiguous_failures\" or "
            "\"no_new_findings\"");
  EXPECT_EQ(rule_error(R"({"metric": "totals.frees", "no_new_findings": "info"})"),
            "l.json: rules[0]: expected only one of \"metric\", \"no_contiguous_failures\" or "
            "\"no_new_findings\", got metric and no_new_findings");
  EXPECT_EQ(rule_error(R"({"metric": "totals.frees", "maximum": 3})"),
            "l.json: rules[0]: unknown key \"maximum\" (did you mean \"max\"?); a metric rule "
            "takes: metric, tag, routine, process, module, adapter, call_site, pool_kind, max, "
            "max_increase_percent, min_increase, name, note, comment");
  EXPECT_EQ(
      rule_error(R"({"metric": "totals.waste_byte.total", "max": 3})"),
      "l.json: rules[0].metric: unknown metric \"totals.waste_byte.total\" (did you mean "
      "\"totals.waste_bytes.total\"?); known: " +
          [] {
            std::string s;
            for (const MetricInfo& m : known_metrics())
              s += (s.empty() ? "" : ", ") + std::string(m.name);
            return s;
          }());
  EXPECT_TRUE(rule_error(R"({"metric": "waste_bytes", "max": 3})")
                  .starts_with("l.json: rules[0].metric: unknown metric \"waste_bytes\" (a "
                               "per-tag, per-routine or per-process field: add \"tag\": \"*\", "
                               "\"routine\": \"*\" or \"process\": \"*\"); known: "
                               "totals.allocations, "));
  EXPECT_EQ(
      rule_error(R"({"tag": "*", "metric": "wast_bytes", "max": 3})"),
      "l.json: rules[0].metric: unknown per-tag metric \"wast_bytes\" (did you mean "
      "\"waste_bytes\"?); known: allocations, failures, frees, init_allocations, "
      "requested_bytes, refused_bytes, footprint_bytes, waste_bytes, waste.pool_header, "
      "waste.granularity, "
      "waste.sub_page_rounding, live_allocations, live_requested_bytes, "
      "live_footprint_bytes, live_waste_bytes, live_waste.pool_header, live_waste.granularity, "
      "live_waste.sub_page_rounding, at_peak.live_allocations, at_peak.live_requested_bytes, "
      "at_peak.live_footprint_bytes, at_peak.live_waste_bytes, at_peak.live_waste.pool_header, "
      "at_peak.live_waste.granularity, at_peak.live_waste.sub_page_rounding, pinned_frames");
  EXPECT_EQ(rule_error(R"({"tag": "*", "routine": "*", "metric": "frees", "max": 3})"),
            "l.json: rules[0]: expected only one of \"tag\", \"routine\", \"process\" or "
            "\"adapter\"");
  // Process rows have the tag fields but pinned frames, which are counted per tag only.
  EXPECT_EQ(
      rule_error(R"({"process": "*", "metric": "pinned_frames", "max": 3})"),
      "l.json: rules[0].metric: unknown per-process metric \"pinned_frames\"; known: "
      "allocations, failures, frees, init_allocations, requested_bytes, refused_bytes, "
      "footprint_bytes, "
      "waste_bytes, waste.pool_header, waste.granularity, waste.sub_page_rounding, "
      "live_allocations, live_requested_bytes, live_footprint_bytes, live_waste_bytes, "
      "live_waste.pool_header, live_waste.granularity, live_waste.sub_page_rounding, "
      "at_peak.live_allocations, at_peak.live_requested_bytes, at_peak.live_footprint_bytes, "
      "at_peak.live_waste_bytes, at_peak.live_waste.pool_header, at_peak.live_waste.granularity, "
      "at_peak.live_waste.sub_page_rounding");
  EXPECT_EQ(rule_error(R"({"metric": 3, "max": 3})"),
            "l.json: rules[0].metric: expected a metric name, got the number 3");
  EXPECT_EQ(rule_error(R"({"metric": "totals.frees"})"),
            "l.json: rules[0]: a metric rule needs \"max\", \"max_increase_percent\" or both");
  EXPECT_EQ(rule_error(R"({"metric": "totals.frees", "max": -1})"),
            "l.json: rules[0].max: expected a number >= 0, got the number -1");
  EXPECT_EQ(rule_error(R"({"metric": "totals.frees", "max": "1MiB"})"),
            "l.json: rules[0].max: 'totals.frees' is measured in count, not bytes; expected a "
            "plain number, got a string (\"1MiB\")");
  EXPECT_EQ(rule_error(R"({"metric": "totals.requested_bytes", "max": "1 MB"})"),
            "l.json: rules[0].max: expected a size such as \"16KiB\" or a number of bytes, got "
            "\"1 MB\": decimal units are ambiguous; use KiB, MiB, GiB or TiB");
  EXPECT_EQ(rule_error(R"({"metric": "totals.requested_bytes", "max": true})"),
            "l.json: rules[0].max: expected a number or a size such as \"16KiB\", got true");
  EXPECT_EQ(rule_error(R"({"metric": "totals.frees", "max_increase_percent": "5%"})"),
            "l.json: rules[0].max_increase_percent: expected a percentage >= 0 such as 5 or 2.5, "
            "got a string (\"5%\")");
  EXPECT_EQ(rule_error(R"({"metric": "totals.frees", "max": 1, "min_increase": 3})"),
            "l.json: rules[0].min_increase: only used with \"max_increase_percent\" (a rise must "
            "exceed both to fail)");
  EXPECT_EQ(rule_error(R"({"metric": "totals.frees", "max": 1, "name": ""})"),
            "l.json: rules[0].name: expected a non-empty name");
  EXPECT_EQ(rule_error(R"({"metric": "totals.frees", "max": 1, "note": "a\nb"})"),
            "l.json: rules[0].note: expected one line of text without control characters");
  EXPECT_EQ(rule_error(R"({"metric": "totals.frees", "max": 1},
                          {"metric": "totals.frees", "max": 1})"),
            "l.json: rules[1]: another rule has the name \"totals.frees at most 1\"; give one of "
            "them a different \"name\"");
  EXPECT_EQ(rule_error(R"({"no_contiguous_failures": "fragmentaton"})"),
            "l.json: rules[0].no_contiguous_failures: unknown cause \"fragmentaton\" (did you "
            "mean \"fragmentation\"?); known: exhaustion, fragmentation, constraint, "
            "map_registers, invalid, any");
  EXPECT_EQ(rule_error(R"({"no_contiguous_failures": ["any", "invalid"]})"),
            "l.json: rules[0].no_contiguous_failures: \"any\" already covers every cause; list "
            "it alone");
  EXPECT_EQ(rule_error(R"({"no_contiguous_failures": ["invalid", "invalid"]})"),
            "l.json: rules[0].no_contiguous_failures[1]: \"invalid\" is listed twice");
  EXPECT_EQ(rule_error(R"({"no_contiguous_failures": []})"),
            "l.json: rules[0].no_contiguous_failures: expected at least one cause");
  EXPECT_EQ(rule_error(R"({"no_new_findings": "high"})"),
            "l.json: rules[0].no_new_findings: expected the lowest severity that fails: info, "
            "warning or error, got a string (\"high\")");
  EXPECT_EQ(rule_error(R"({"no_new_findings": "info", "tag": "*"})"),
            "l.json: rules[0]: unknown key \"tag\"; a findings rule takes: no_new_findings, name, "
            "note, comment");
}

TEST(Limits, KeyPatterns) {
  struct Case {
    const char* pattern;
    const char* key;
    bool matches;
  };
  for (const Case& c :
       {Case{"*", "", true}, Case{"*", "NicS", true}, Case{"Nic*", "NicS", true},
        Case{"Nic*", "Nic", true}, Case{"Nic*", "Ndis", false},
        Case{"*Memory", "MmAllocateNonCachedMemory", true},
        Case{"Mm*Contiguous*", "MmAllocateContiguousMemorySpecifyCache", true},
        Case{"Mm*Contiguous", "MmAllocateContiguousMemory", false}, Case{"NicS", "NicS", true},
        Case{"NicS", "NicSx", false}, Case{"", "x", false}, Case{"", "", true}}) {
    EXPECT_EQ(key_matches(c.pattern, c.key), c.matches) << c.pattern << " ~ " << c.key;
  }
}

}  // namespace
}  // namespace fragreplay::gate

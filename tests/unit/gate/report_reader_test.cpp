// Reports read back for diff and check: schema 1 maps onto the catalog's names, unknown fields
// are kept (numbers) or ignored (the rest), and every refusal names the file and the JSON path.
#include <gtest/gtest.h>

#include "base/error.hpp"
#include "gate/report_reader.hpp"
#include "json/json_file.hpp"
#include "report/json_report.hpp"
#include "test_support.hpp"

namespace fragreplay::gate {
namespace {

using nlohmann::ordered_json;

// win7-x64: a 100-byte pool block, a 1024-byte noncached buffer, a 1-byte common buffer and a
// contiguous request that no RAM layout can satisfy.
const char* kTrace =
    "0,alloc,ExAllocatePoolWithTag,NonPagedPool,Nic1,100,0x10,,,,,,,,\n"
    "1,alloc,MmAllocateNonCachedMemory,,Nic2,1024,0x20,,,,,,,,\n"
    "2,alloc,AllocateCommonBuffer,,Nic3,1,0x30,,,,,,,,\n"
    "3,alloc,MmAllocateContiguousMemorySpecifyCache,,Nic4,33554432,0x40,0x0,0xffffff,0x1000000,"
    "MmNonCached,,,,\n";

std::string error_of(const std::string& json_text) {
  try {
    read_report(ordered_json::parse(json_text), "r.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(ReportReader, SchemaOneMapsOntoTheCatalog) {
  const ReportMetrics r = read_report(report::to_json(testing::replay_text(kTrace)), "r.json");
  EXPECT_EQ(r.schema_version, 1);
  EXPECT_EQ(r.profile_name, "win7-x64");
  EXPECT_EQ(r.trace_name, "t.csv");
  // §1.2/§3.2: (100 + 16 + 15) >> 4 = 8 blocks of 16 bytes; §5.4 and §5.5: a page each.
  ASSERT_NE(r.metric("totals.footprint_bytes"), nullptr);
  EXPECT_EQ(r.metric("totals.footprint_bytes")->value, 128 + 4096 + 4096);
  EXPECT_EQ(r.metric("totals.footprint_bytes")->unit, Unit::kBytes);
  EXPECT_EQ(r.metric("totals.waste_bytes.sub_page_rounding")->value, 3072 + 4095);
  EXPECT_EQ(r.metric("totals.waste_bytes.pool_header")->value, 16);
  // §5.3: 32 MiB below 16 MiB cannot fit on any machine.
  EXPECT_EQ(r.metric("contiguous.failures_by_cause.constraint")->value, 1);
  EXPECT_EQ(r.metric("contiguous.failures_by_cause.constraint")->unit, Unit::kCount);
  EXPECT_EQ(r.metric("trace.duration_ns")->unit, Unit::kNanoseconds);
  // Identities and positions are not metrics.
  EXPECT_EQ(r.metric("peak.line"), nullptr);
  EXPECT_EQ(r.metric("profile.page_size"), nullptr);
  EXPECT_EQ(r.metric("trace.first_time_ns"), nullptr);
  for (const Metric& m : r.metrics) EXPECT_TRUE(m.known) << m.name << " is not in the catalog";
  // Every catalog metric is in a schema-1 report, but rundown's, written only for a trace that
  // has rundown allocations (below), and null_frees, written only on a Linux profile (below).
  std::size_t always = 0;
  for (const MetricInfo& m : known_metrics()) {
    always += m.name.starts_with("rundown.") || m.name == "data_quality.null_frees" ? 0 : 1;
  }
  EXPECT_EQ(r.metrics.size(), always);

  const Row* nic3 = r.row(RowGroup::kTag, "Nic3");
  ASSERT_NE(nic3, nullptr);
  EXPECT_EQ(nic3->field("waste_bytes")->value, 4095);
  EXPECT_EQ(nic3->field("waste.sub_page_rounding")->value, 4095);
  EXPECT_EQ(nic3->field("waste.total"), nullptr) << "a repeat of waste_bytes";
  EXPECT_EQ(nic3->fields.size(), known_row_fields(RowGroup::kTag).size());
  ASSERT_NE(r.row(RowGroup::kRoutine, "AllocateCommonBuffer"), nullptr);
  // No process column: one process row keyed "", holding all three allocations' footprint.
  const Row* process = r.row(RowGroup::kProcess, "");
  ASSERT_NE(process, nullptr);
  EXPECT_EQ(process->field("footprint_bytes")->value, 128 + 4096 + 4096);
  EXPECT_EQ(process->field("failures")->value, 1);
  EXPECT_EQ(process->fields.size(), known_row_fields(RowGroup::kProcess).size());
  EXPECT_EQ(r.row(RowGroup::kAdapter, "default")->field("peak")->value, 1);
  // Findings (report/findings.cpp) come back with their key: NonPagedPool is executable pool.
  ASSERT_TRUE(r.has_findings);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(finding_key(r.findings[0]), "executable-nonpaged-pool Nic1 ExAllocatePoolWithTag");
  EXPECT_EQ(r.findings[0].severity, Severity::kWarning);
  EXPECT_EQ(r.findings[0].first_line, 3u);
  ASSERT_EQ(r.failure_samples.size(), 1u);
  EXPECT_EQ(r.failure_samples[0].line, 6u);
  EXPECT_EQ(r.failure_samples[0].cause, "constraint");
  EXPECT_EQ(r.failure_samples[0].tag, "Nic4");
  EXPECT_EQ(r.failure_samples[0].bytes, 33554432);
}

TEST(ReportReader, RundownMetricsAreInTheCatalog) {
  // One allocation that predates the trace and one freed during it: §1.2/§3.2, (100 + 16 + 15)
  // >> 4 = 8 blocks of 16 bytes.
  const ReportMetrics r =
      read_report(report::to_json(testing::replay_text(
                      "0,rundown,ExAllocatePoolWithTag,NonPagedPool,Old,100,0x10,,,,,,,,\n"
                      "1,rundown,ExAllocatePoolWithTag,NonPagedPool,Old,100,0x20,,,,,,,,\n"
                      "2,free,ExFreePoolWithTag,,,,0x20,,,,,,,,\n")),
                  "r.json");
  for (const Metric& m : r.metrics) EXPECT_TRUE(m.known) << m.name << " is not in the catalog";
  ASSERT_NE(r.metric("rundown.allocations"), nullptr);
  EXPECT_EQ(r.metric("rundown.allocations")->value, 2);
  EXPECT_EQ(r.metric("rundown.freed")->value, 1);
  EXPECT_EQ(r.metric("rundown.footprint_bytes")->value, 2 * 128);
  EXPECT_EQ(r.metric("rundown.footprint_bytes")->unit, Unit::kBytes);
  EXPECT_EQ(r.metrics.size(), known_metrics().size() - 1) << "all but the Linux null_frees";
}

TEST(ReportReader, NullFreesAreInTheCatalog) {
  // kfree(NULL): a legal no-op (Linux include/linux/slab.h ZERO_OR_NULL_PTR), counted apart.
  const ReportMetrics r =
      read_report(report::to_json(testing::replay_text("0,alloc,kmalloc,,,100,0x1000,,,,,,,,\n"
                                                       "1,free,kfree,,,,0x0,,,,,,,,\n",
                                                       "linux-slub")),
                  "r.json");
  for (const Metric& m : r.metrics) EXPECT_TRUE(m.known) << m.name << " is not in the catalog";
  ASSERT_NE(r.metric("data_quality.null_frees"), nullptr);
  EXPECT_EQ(r.metric("data_quality.null_frees")->value, 1);
}

TEST(ReportReader, KeepsUnknownNumbersAndIgnoresTheRest) {
  const ReportMetrics r = read_report(ordered_json::parse(R"({
    "schema_version": 1,
    "totals": {"requested_bytes": 10, "future_count": 3, "note": "text"},
    "fragmentation": {"jw_measure_4": 0.25, "worst_ns": 7, "series": [1, 2]},
    "timeline": [{"t": 1}],
    "by_tag": [{"tag": "A", "waste_bytes": 5, "future_frames": 2, "flags": {"x": true}}]
  })"),
                                      "r.json");
  ASSERT_EQ(r.metrics.size(), 4u);
  EXPECT_EQ(r.metrics[0].name, "totals.requested_bytes");
  EXPECT_TRUE(r.metrics[0].known);
  EXPECT_EQ(r.metrics[1].name, "totals.future_count");
  EXPECT_FALSE(r.metrics[1].known);
  EXPECT_EQ(r.metrics[1].unit, Unit::kCount);
  EXPECT_EQ(r.metrics[2].name, "fragmentation.jw_measure_4");
  EXPECT_EQ(r.metrics[2].unit, Unit::kNumber);
  EXPECT_FALSE(r.metrics[2].integral);
  EXPECT_EQ(r.metrics[3].name, "fragmentation.worst_ns");
  EXPECT_EQ(r.metrics[3].unit, Unit::kNanoseconds);
  const Row* a = r.row(RowGroup::kTag, "A");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->fields.size(), 2u);
  EXPECT_EQ(a->fields[1].name, "future_frames");
  EXPECT_FALSE(a->fields[1].known);
}

TEST(ReportReader, ReadsFindings) {
  const ReportMetrics r = read_report(ordered_json::parse(R"({
    "schema_version": 1, "totals": {},
    "findings": [
      {"rule": "r1", "severity": "warning", "tag": "NicS", "routine": "MmAllocateNonCachedMemory",
       "count": 3, "bytes": 9216, "first_line": 12, "rationale": "why"},
      {"rule": "r2", "severity": "error", "tag": null, "routine": "", "count": 1, "bytes": 0},
      {"rule": "r2", "severity": "error", "count": 2}
    ]})"),
                                      "r.json");
  ASSERT_TRUE(r.has_findings);
  ASSERT_EQ(r.findings.size(), 3u);
  EXPECT_EQ(finding_key(r.findings[0]), "r1 NicS MmAllocateNonCachedMemory");
  EXPECT_EQ(r.findings[0].severity, Severity::kWarning);
  EXPECT_EQ(r.findings[0].first_line, 12u);
  EXPECT_EQ(finding_key(r.findings[1]), "r2 - -");
  // The two r2 entries share a key: their row adds them up, nothing is dropped.
  ASSERT_EQ(r.rows_of(RowGroup::kFinding).size(), 2u);
  EXPECT_EQ(r.row(RowGroup::kFinding, "r2 - -")->field("count")->value, 3);
}

TEST(ReportReader, RefusesWhatItCannotRead) {
  EXPECT_EQ(error_of("[1]"),
            "r.json: not a fragreplay report: expected a JSON object, got an array");
  EXPECT_EQ(error_of("{}"),
            "r.json: not a fragreplay report: it has no schema_version (reports are written by "
            "'fragreplay analyze --json')");
  EXPECT_EQ(error_of(R"({"schema_version": "1"})"),
            "r.json: schema_version: expected a positive integer, got a string (\"1\")");
  EXPECT_EQ(error_of(R"({"schema_version": 2, "totals": {}})"),
            "r.json: report schema_version 2 is not known to fragreplay 0.1.0, which reads "
            "schema_version 1 (was the report written by a newer fragreplay?)");
  EXPECT_EQ(error_of(R"({"schema_version": 1})"),
            "r.json: totals: missing: this is not the report of one replay (a report has a "
            "'totals' object; multi-profile reports are compared profile by profile)");
  EXPECT_EQ(error_of(R"({"schema_version": 1, "totals": {"requested_bytes": "12"}})"),
            "r.json: totals.requested_bytes: expected a number, got a string (\"12\")");
  EXPECT_EQ(error_of(R"({"schema_version": 1, "totals": {}, "by_tag": {}})"),
            "r.json: by_tag: expected an array, got an object");
  EXPECT_EQ(error_of(R"({"schema_version": 1, "totals": {}, "by_tag": [{"tag": 5}]})"),
            "r.json: by_tag[0].tag: expected a string, got the number 5");
  EXPECT_EQ(error_of(R"({"schema_version": 1, "totals": {},
                         "by_routine": [{"routine": "X"}, {"routine": "X"}]})"),
            "r.json: by_routine[1]: routine \"X\" appears twice");
  EXPECT_EQ(error_of(R"({"schema_version": 1, "totals": {},
                         "by_tag": [{"tag": "A", "waste": {"granularity": []}}]})"),
            "r.json: by_tag[0].waste.granularity: expected a number, got an array");
  EXPECT_EQ(error_of(R"({"schema_version": 1, "totals": {},
                         "findings": [{"rule": "x", "severity": "fatal"}]})"),
            "r.json: findings[0].severity: expected info, warning or error, got \"fatal\"");
  EXPECT_EQ(error_of(R"({"schema_version": 1, "totals": {}, "findings": [{"severity": "info"}]})"),
            "r.json: findings[0].rule: expected the name of the finding's rule");
}

TEST(ReportReader, MakesStringsPrintable) {
  const ReportMetrics r = read_report(
      ordered_json::parse(
          R"({"schema_version": 1, "totals": {}, "by_tag": [{"tag": "a\nb", "allocations": 1}]})"),
      "r.json");
  ASSERT_EQ(r.rows_of(RowGroup::kTag).size(), 1u);
  EXPECT_EQ(r.rows_of(RowGroup::kTag)[0].key, "a\\x0ab");
}

TEST(ReportReader, RefusesAbsurdNesting) {
  std::string deep = R"({"schema_version": 1, "totals": {}, "x": )";
  for (int i = 0; i < 20; ++i) deep += R"({"y": )";
  deep += "1";
  for (int i = 0; i < 21; ++i) deep += "}";
  const std::string e = error_of(deep);
  EXPECT_NE(e.find("nested more than 12 deep"), std::string::npos) << e;
}

TEST(ReportReader, ParseErrorsNameTheLine) {
  try {
    read_report(parse_json_text("{\n  \"schema_version\": 1,\n  \"totals\": {,\n}", "r.json"),
                "r.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "r.json:3: invalid JSON (column 14): syntax error while parsing object key - "
              "unexpected ','; expected string literal");
  }
  try {  // found by fuzzing: nlohmann reports this one without a position
    parse_json_text("{\n\"a\": 1,\n\"b\": 1e999}", "r.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "r.json:3: invalid JSON: number overflow parsing '1e999'");
  }
}

TEST(JsonFile, DepthCountsBracketsOutsideStringsAndComments) {
  const std::string limit(kMaxJsonDepth, '[');
  const std::string closed = limit + std::string(kMaxJsonDepth, ']');
  EXPECT_NO_THROW(check_json_depth(closed, "a.json"));
  // Brackets in strings (escaped quotes included) and comments do not nest.
  EXPECT_NO_THROW(check_json_depth("[\"\\\"" + limit + "\"]", "a.json"));
  EXPECT_NO_THROW(check_json_depth("[// " + limit + "\n]", "a.json"));
  EXPECT_NO_THROW(check_json_depth("[/* " + limit + " */]", "a.json"));
  // Closed levels do not count, one level more does.
  EXPECT_NO_THROW(check_json_depth(closed + closed, "a.json"));
  try {
    check_json_depth("{\"a\": " + limit + "}", "a.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "a.json: JSON nested deeper than 128 levels");
  }
  EXPECT_THROW(parse_json_text("{\"a\": " + closed + "}", "a.json"), Error);
}

}  // namespace
}  // namespace fragreplay::gate

// Two reports side by side: absolute and relative changes, absent rows, the order of rows, the
// notes that qualify a comparison, and the way values and changes are written.
#include <gtest/gtest.h>

#include "gate/diff_json.hpp"
#include "gate/diff_text.hpp"
#include "gate/report_diff.hpp"
#include "gate/report_reader.hpp"
#include "gate/value_format.hpp"

namespace fragreplay::gate {
namespace {

using nlohmann::ordered_json;

ReportMetrics report(const std::string& body, const std::string& file,
                     const std::string& profile = "win7-x64") {
  return read_report(ordered_json::parse(R"({"schema_version": 1, "tool": {"version": "0.1.0"},
      "profile": {"name": ")" + profile + R"(", "ram_bytes": 4294569984},
      "trace": {"name": "t.csv"}, )" + body +
                                         "}"),
                     file);
}

const DiffRow& find(const ReportDiff& d, const std::string& label) {
  for (const DiffRow& r : d.rows) {
    if (r.label() == label) return r;
  }
  throw std::runtime_error("no row " + label);
}

TEST(ReportDiff, ChangesAbsoluteAndRelative) {
  const ReportDiff d = diff_reports(
      report(R"("totals": {"requested_bytes": 1000, "footprint_bytes": 2048, "frees": 4})", "a"),
      report(R"("totals": {"requested_bytes": 1100, "footprint_bytes": 2048, "frees": 0})", "b"));
  const DiffRow& req = find(d, "totals.requested_bytes");
  EXPECT_TRUE(req.changed());
  EXPECT_EQ(req.change(), 100);
  EXPECT_DOUBLE_EQ(*req.percent(), 10.0);
  EXPECT_FALSE(find(d, "totals.footprint_bytes").changed());
  EXPECT_DOUBLE_EQ(*find(d, "totals.frees").percent(), -100.0);
  EXPECT_EQ(d.changed, 2u);
  EXPECT_EQ(d.unchanged, 1u);
  EXPECT_TRUE(d.notes.empty());
}

TEST(ReportDiff, RowsOnOneSideCountAsZero) {
  const ReportDiff d = diff_reports(
      report(R"("totals": {}, "by_tag": [{"tag": "Old", "waste_bytes": 64, "failures": 0}])", "a"),
      report(R"("totals": {}, "by_tag": [{"tag": "New", "waste_bytes": 32, "failures": 0}])", "b"));
  const DiffRow& gone = find(d, "tag Old waste_bytes");
  EXPECT_EQ(gone.old_value, 64);
  EXPECT_EQ(gone.new_value, std::nullopt);
  EXPECT_EQ(gone.change(), -64);
  EXPECT_EQ(percent_cell(gone), "removed");
  const DiffRow& added = find(d, "tag New waste_bytes");
  EXPECT_EQ(added.change(), 32);
  EXPECT_EQ(added.percent(), std::nullopt) << "no finite relative change from nothing";
  EXPECT_EQ(percent_cell(added), "added");
  // A new tag's fields that are 0 did not change anything.
  EXPECT_FALSE(find(d, "tag New failures").changed());
  EXPECT_EQ(d.changed, 2u);
}

TEST(ReportDiff, SortsEachSectionByTheSizeOfTheChange) {
  const ReportDiff d =
      diff_reports(report(R"("totals": {"allocations": 100, "frees": 100, "requested_bytes": 1000,
                "footprint_bytes": 0, "init_allocations": 5},
                "by_tag": [{"tag": "A", "allocations": 10}, {"tag": "B", "allocations": 10}])",
                          "a"),
                   report(R"("totals": {"allocations": 150, "frees": 101, "requested_bytes": 2000,
                "footprint_bytes": 7, "init_allocations": 5},
                "by_tag": [{"tag": "A", "allocations": 11}, {"tag": "B", "allocations": 20}])",
                          "b"));
  // From 0 (no finite percentage) first; then +100 %, +50 %, +1 %; unchanged last, in report
  // order. Metrics before tags.
  std::vector<std::string> order;
  for (const DiffRow& r : d.rows) order.push_back(r.label());
  EXPECT_EQ(order, (std::vector<std::string>{"totals.footprint_bytes", "totals.requested_bytes",
                                             "totals.allocations", "totals.frees",
                                             "totals.init_allocations", "tag B allocations",
                                             "tag A allocations"}));
}

TEST(ReportDiff, SaysWhatMakesTheComparisonIndirect) {
  const ReportDiff d = diff_reports(report(R"("totals": {})", "a.json", "nt5-x86"),
                                    report(R"("totals": {}, "findings": [])", "b.json"));
  EXPECT_EQ(d.notes, (std::vector<std::string>{
                         "the reports were replayed under different profiles (nt5-x86 and "
                         "win7-x64)",
                         "only b.json lists findings; the other report was written without them"}));
}

TEST(ReportDiff, TextAndJson) {
  const ReportMetrics a = report(R"("totals": {"requested_bytes": 1000, "frees": 4},
                "by_routine": [{"routine": "ExAllocatePoolWithTag", "waste_bytes": 2048}])",
                                 "a.json");
  const ReportMetrics b = report(R"("totals": {"requested_bytes": 1536, "frees": 4},
                "by_routine": [{"routine": "ExAllocatePoolWithTag", "waste_bytes": 2049}])",
                                 "b.json");
  const ReportDiff d = diff_reports(a, b);
  EXPECT_EQ(diff_text(d, a, b, false),
            "fragreplay diff\n"
            "  old  a.json: t.csv, win7-x64, 4.00 GiB RAM\n"
            "  new  b.json: t.csv, win7-x64, 4.00 GiB RAM\n"
            "\n"
            "Metrics                                   old       new  change  % of old\n"
            "  totals.requested_bytes             0.98 KiB  1.50 KiB  +536 B  +53.6 %\n"
            "\n"
            "Routines                                  old       new  change  % of old\n"
            "  ExAllocatePoolWithTag waste_bytes   2,048 B   2,049 B    +1 B  +<0.1 %\n"
            "\n"
            "2 of 3 values changed; the 1 unchanged are hidden (--all shows them).\n");
  const ordered_json j = diff_json(d, a, b, true);
  EXPECT_EQ(j["changed"], 2);
  ASSERT_EQ(j["rows"].size(), 3u);
  EXPECT_EQ(j["rows"][0]["metric"], "totals.requested_bytes");
  EXPECT_EQ(j["rows"][0]["old"], 1000);
  EXPECT_EQ(j["rows"][0]["new"], 1536);
  EXPECT_EQ(j["rows"][0]["change"], 536);
  EXPECT_DOUBLE_EQ(j["rows"][0]["change_percent"].get<double>(), 53.6);
  EXPECT_EQ(j["rows"][0]["status"], "changed");
  EXPECT_EQ(j["rows"][1]["status"], "unchanged");
  EXPECT_EQ(j["rows"][2]["section"], "routines");
  EXPECT_EQ(j["rows"][2]["key"], "ExAllocatePoolWithTag");
}

TEST(ValueFormat, ReadsTheSameEverywhere) {
  EXPECT_EQ(format_value(Unit::kBytes, 1536), "1.50 KiB");
  EXPECT_EQ(format_value(Unit::kBytes, -1536), "-1.50 KiB");
  EXPECT_EQ(format_value(Unit::kCount, 1234567), "1,234,567");
  EXPECT_EQ(format_value(Unit::kNanoseconds, 3'200'000), "3.20 ms");
  EXPECT_EQ(format_value(Unit::kNumber, 0.123456), "0.1235");
  EXPECT_EQ(format_change(Unit::kBytes, 0), "0");
  EXPECT_EQ(format_change(Unit::kCount, -3), "-3");
  // Rounding never makes two different values read the same.
  EXPECT_EQ(format_pair(Unit::kBytes, 531768, 531784),
            (std::pair<std::string, std::string>{"531,768 B", "531,784 B"}));
  EXPECT_EQ(format_pair(Unit::kBytes, 1024, 2048),
            (std::pair<std::string, std::string>{"1.00 KiB", "2.00 KiB"}));
  EXPECT_EQ(relative_change(0, 0), 0.0);
  EXPECT_EQ(relative_change(0, 5), std::nullopt);
  EXPECT_DOUBLE_EQ(*relative_change(-4, -2), 50.0);
  EXPECT_EQ(format_percent(0), "0.0 %");
  EXPECT_EQ(format_percent(0.01), "+<0.1 %");
  EXPECT_EQ(format_percent(-0.01), "-<0.1 %");
  EXPECT_EQ(format_percent(12.345), "+12.3 %");
  EXPECT_EQ(format_limit_percent(2.5), "2.5 %");
}

}  // namespace
}  // namespace fragreplay::gate

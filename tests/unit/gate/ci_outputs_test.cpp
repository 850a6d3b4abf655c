// The CI-native renderings of a check: JUnit XML, GitHub Actions annotations, the Markdown
// summary and the JSON verdict; above all their escaping of text that came from a report or a
// limits file, and GitHub's limit of ten error annotations per step.
#include <gtest/gtest.h>

#include "gate/check_json.hpp"
#include "gate/check_text.hpp"
#include "gate/github_annotations.hpp"
#include "gate/input_error.hpp"
#include "gate/junit_xml.hpp"
#include "gate/limits.hpp"
#include "gate/report_reader.hpp"
#include "gate/step_summary.hpp"

namespace fragreplay::gate {
namespace {

using nlohmann::ordered_json;

// A check of `current` against `baseline` under `rules`, as the command assembles it.
struct Fixture {
  Fixture(const std::string& rules, const std::string& current_body,
          const std::string& baseline_body)
      : limits(parse_limits(
            ordered_json::parse(R"({"limits_version": 1, "rules": [)" + rules + "]}"), "l.json")),
        current(read_report(ordered_json::parse(R"({"schema_version": 1, "trace": {"name":
                                                  "t.csv"}, "profile": {"name": "win7-x64"}, )" +
                                                current_body + "}"),
                            "t.csv")),
        baseline(
            read_report(ordered_json::parse(R"({"schema_version": 1, "trace": {"name": "t.csv"},
                                    "profile": {"name": "win7-x64"}, )" +
                                            baseline_body + "}"),
                        "base.json")) {
    check.input = "t.csv";
    check.replayed = true;
    check.current = &current;
    check.baseline = &baseline;
    check.limits = &limits;
    check.diff = diff_reports(baseline, current);
    check.verdict = check_rules(limits, CheckInputs{&current, &baseline, false});
    check.exit_status = check.verdict.passed() ? 0 : 1;
  }
  Limits limits;
  ReportMetrics current;
  ReportMetrics baseline;
  CheckReport check;
};

TEST(XmlEscape, EscapesMarkupControlsAndBadUtf8) {
  EXPECT_EQ(xml_escape("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
  EXPECT_EQ(xml_escape("x\ty\nz\r"), "x&#9;y&#10;z&#13;");
  EXPECT_EQ(xml_escape("x\ty\nz\r", false), "x\ty\nz&#13;");
  EXPECT_EQ(xml_escape(std::string("nul\0bell\x07", 9)), "nul\\x00bell\\x07");
  EXPECT_EQ(xml_escape("caf\xC3\xA9"), "caf\xC3\xA9") << "UTF-8 passes through";
  EXPECT_EQ(xml_escape("bad\xC3(\xFF"), "bad\xEF\xBF\xBD(\xEF\xBF\xBD");
  EXPECT_EQ(xml_escape("\xEF\xBF\xBF"), "\xEF\xBF\xBD") << "U+FFFF is not an XML character";
  EXPECT_EQ(xml_escape("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD")
      << "a surrogate is not UTF-8";
}

TEST(GithubEscape, FollowsTheRunnersRules) {
  EXPECT_EQ(github_escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
  EXPECT_EQ(github_escape_property("50% a\r\nb: c, d"), "50%25 a%0D%0Ab%3A c%2C d");
}

TEST(CiOutputs, JunitHasOneTestCasePerRule) {
  Fixture f(R"({"metric": "totals.frees", "max": 1, "name": "frees <= 1 & \"more\""},
               {"metric": "totals.frees", "max_increase_percent": 50, "note": "a <note>"},
               {"no_contiguous_failures": "any"})",
            R"("totals": {"frees": 3}, "contiguous": {"failures": 0})",
            R"("totals": {"frees": 1}, "contiguous": {"failures": 0})");
  EXPECT_EQ(
      junit_xml(f.check),
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"fragreplay check\" tests=\"3\" failures=\"2\" errors=\"0\" "
      "time=\"0\">\n"
      "  <testsuite name=\"fragreplay check: l.json\" tests=\"3\" failures=\"2\" errors=\"0\" "
      "skipped=\"0\" time=\"0\">\n"
      "    <properties>\n"
      "      <property name=\"current\" value=\"t.csv\"/>\n"
      "      <property name=\"trace\" value=\"t.csv\"/>\n"
      "      <property name=\"profile\" value=\"win7-x64\"/>\n"
      "      <property name=\"baseline\" value=\"base.json\"/>\n"
      "      <property name=\"limits\" value=\"l.json\"/>\n"
      "    </properties>\n"
      "    <testcase name=\"frees &lt;= 1 &amp; &quot;more&quot;\" classname=\"fragreplay.check\" "
      "time=\"0\">\n"
      "      <failure message=\"totals.frees is 3, above the maximum 1\" "
      "type=\"fragreplay.limit\">totals.frees is 3, above the maximum 1\n"
      "</failure>\n"
      "    </testcase>\n"
      "    <testcase name=\"totals.frees up at most 50 %\" classname=\"fragreplay.check\" "
      "time=\"0\">\n"
      "      <failure message=\"totals.frees rose from 1 to 3 (+2, +200.0 %), more than the "
      "allowed 50 %\" type=\"fragreplay.limit\">totals.frees rose from 1 to 3 (+2, +200.0 %), "
      "more than the allowed 50 %\n"
      "note: a &lt;note&gt;\n"
      "</failure>\n"
      "    </testcase>\n"
      "    <testcase name=\"no contiguous failures\" classname=\"fragreplay.check\" time=\"0\"/>\n"
      "  </testsuite>\n"
      "</testsuites>\n");
}

TEST(CiOutputs, AnnotationsAtMostTenErrors) {
  std::string rules;
  for (int i = 0; i < 12; ++i) {
    rules += std::string(i == 0 ? "" : ",") + R"({"metric": "totals.frees", "max": )" +
             std::to_string(i) + "}";
  }
  Fixture f(rules, R"("totals": {"frees": 100})", R"("totals": {"frees": 100})");
  const std::string a = github_annotations(f.check);
  std::vector<std::string> lines;
  for (std::size_t at = 0, nl; (nl = a.find('\n', at)) != std::string::npos; at = nl + 1) {
    lines.push_back(a.substr(at, nl - at));
  }
  ASSERT_EQ(lines.size(), kMaxErrorAnnotations);
  EXPECT_EQ(lines[0],
            "::error title=fragreplay check%3A totals.frees at most 0::totals.frees is 100, above "
            "the maximum 0");
  EXPECT_EQ(lines[9],
            "::error title=fragreplay check%3A 3 more rules violated::See the job log for the "
            "details.%0Atotals.frees at most 9: totals.frees is 100, above the maximum 9%0A"
            "totals.frees at most 10: totals.frees is 100, above the maximum 10%0A"
            "totals.frees at most 11: totals.frees is 100, above the maximum 11");
}

TEST(CiOutputs, AnnotationPointsAtTheTraceLine) {
  Fixture f(R"({"no_contiguous_failures": "constraint", "name": "no constraint, ever: 100%"})",
            R"("totals": {}, "contiguous": {"failures_by_cause": {"constraint": 1},
               "failure_log": [{"line": 7, "routine": "MmAllocateContiguousMemory", "tag": "T",
                                "bytes": 4096, "cause": "constraint"}]})",
            R"("totals": {})");
  EXPECT_EQ(
      github_annotations(f.check),
      "::error file=t.csv,line=7,title=fragreplay check%3A no constraint%2C ever%3A "
      "100%25::1 contiguous allocation failed from constraint; the first at trace line 7: "
      "MmAllocateContiguousMemory T 4.00 KiB, 0 B free in the window, largest free run 0 B\n");
  f.check.replayed = false;  // a report's trace may not be where the report says
  EXPECT_EQ(github_annotations(f.check).find("file="), std::string::npos);
}

// A check that could not run is shown where a violated rule would be (gate/input_error.hpp):
// the annotation's file and line properties escape ':' and ',' as the runner asks (%3A, %2C),
// and a problem with no file (a bad option) has neither property.
TEST(CiOutputs, InputErrorAnnotationNamesFileAndLine) {
  EXPECT_EQ(
      github_input_error({"c:\\t,1.csv", 7, "bad\nline"}),
      "::error file=c%3A\\t%2C1.csv,line=7,title=fragreplay check could not run::bad%0Aline\n");
  EXPECT_EQ(github_input_error({"t.etl", 0, "truncated"}),
            "::error file=t.etl,title=fragreplay check could not run::truncated\n");
  EXPECT_EQ(github_input_error({"", 0, "no limits"}),
            "::error title=fragreplay check could not run::no limits\n");
}

// The JUnit form: one suite, one test case "run" with one <error>; the counts say 1 test and
// 1 error, so CI lists the run as broken rather than passed.
TEST(CiOutputs, InputErrorJunitIsOneErroredTestCase) {
  const std::string xml = junit_input_error({"t.csv", 4, "column 'bytes': <12a>"}, "t.csv");
  EXPECT_NE(xml.find("<testsuites name=\"fragreplay check\" tests=\"1\" failures=\"0\" "
                     "errors=\"1\" time=\"0\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<error message=\"t.csv:4: column &#39;bytes&#39;: &lt;12a&gt;\" "
                     "type=\"fragreplay.input\">t.csv:4: column &#39;bytes&#39;: &lt;12a&gt;\n"
                     "</error>"),
            std::string::npos)
      << xml;
  EXPECT_EQ(xml.find("<failure"), std::string::npos);
}

TEST(CiOutputs, MarkdownSummaryEscapesAndCollapsesTheChanges) {
  Fixture f(R"({"tag": "*", "metric": "waste_bytes", "max": 100, "name": "waste | tag_*"})",
            R"("totals": {}, "by_tag": [{"tag": "A|B", "waste_bytes": 200}])",
            R"("totals": {}, "by_tag": [{"tag": "A|B", "waste_bytes": 50}])");
  EXPECT_EQ(
      markdown_summary(f.check),
      "### ❌ check FAILED: 1 of 1 rule violated\n"
      "\n"
      "Checked t.csv (win7-x64, replayed) against the baseline base.json with the limits "
      "in l.json.\n"
      "\n"
      "| | Rule | Result |\n"
      "|:-:|---|---|\n"
      "| ❌ | waste \\| tag\\_\\* | 1 of 1 tag over the limit: A\\|B<br>tag A\\|B waste\\_bytes "
      "is 200 B, above the maximum 100 B |\n"
      "\n"
      "<details><summary>1 of 1 values changed from the baseline</summary>\n"
      "\n"
      "| Value | Baseline | Current | Change | % |\n"
      "|---|--:|--:|--:|--:|\n"
      "| tag A\\|B waste\\_bytes | 50 B | 200 B | +150 B | +300.0 % |\n"
      "\n"
      "</details>\n"
      "\n");
}

TEST(CiOutputs, JsonVerdict) {
  Fixture f(R"({"metric": "totals.frees", "max_increase_percent": 50, "min_increase": 1})",
            R"("totals": {"frees": 3})", R"("totals": {"frees": 1})");
  const ordered_json j = ordered_json::parse(check_json_text(f.check, false));
  EXPECT_EQ(j["verdict"], "failed");
  EXPECT_EQ(j["exit_status"], 1);
  EXPECT_EQ(j["rules_violated"], 1);
  EXPECT_EQ(j["current"]["replayed"], true);
  EXPECT_EQ(j["baseline"]["file"], "base.json");
  const auto& rule = j["rules"][0];
  EXPECT_EQ(rule["status"], "violated");
  EXPECT_EQ(rule["where"], "rules[0]");
  EXPECT_EQ(rule["limit"]["max_increase_percent"], 50);
  EXPECT_EQ(rule["limit"]["min_increase"], 1);
  EXPECT_EQ(rule["limit"]["max"], nullptr);
  EXPECT_EQ(rule["violations"][0]["baseline"], 1);
  EXPECT_EQ(rule["violations"][0]["current"], 3);
  EXPECT_EQ(rule["violations"][0]["change"], 2);
  ASSERT_EQ(j["changes"].size(), 1u);
  EXPECT_EQ(j["changes"][0]["metric"], "totals.frees");
}

TEST(CiOutputs, TerminalTextListsEveryViolation) {
  Fixture f(R"({"tag": "*", "metric": "waste_bytes", "max": 100, "note": "ask the NIC team"},
               {"metric": "totals.frees", "max": 5})",
            R"("totals": {"frees": 3}, "by_tag": [{"tag": "A", "waste_bytes": 200},
                                                  {"tag": "B", "waste_bytes": 300}])",
            R"("totals": {"frees": 3}, "by_tag": [{"tag": "A", "waste_bytes": 200},
                                                  {"tag": "B", "waste_bytes": 300}])");
  EXPECT_EQ(check_text(f.check, CheckTextOptions{false, true}),
            "  FAIL  tag * waste_bytes at most 100 B: 2 of 2 tags over the limit: A, B\n"
            "          tag A waste_bytes is 200 B, above the maximum 100 B\n"
            "          tag B waste_bytes is 300 B, above the maximum 100 B\n"
            "          note: ask the NIC team\n"
            "check FAILED: 1 of 2 rules violated\n");
}

}  // namespace
}  // namespace fragreplay::gate

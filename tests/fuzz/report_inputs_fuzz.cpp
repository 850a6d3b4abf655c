// Fuzz target for what `diff` and `check` read from files people hand them: any bytes are
// parsed as JSON (comments allowed), then read as a limits file and as a report; a report is
// diffed with itself and with an empty one, checked under rules of every kind, and rendered in
// every output format. Anything but fragreplay's Error escaping, or a sanitizer report, is a bug.
// Built with -fsanitize=fuzzer under clang (fuzz_report_inputs); its corpus (corpus/report_inputs)
// is replayed as an ordinary test by fuzz_driver.cpp.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/error.hpp"
#include "gate/check_json.hpp"
#include "gate/check_text.hpp"
#include "gate/diff_json.hpp"
#include "gate/diff_text.hpp"
#include "gate/github_annotations.hpp"
#include "gate/junit_xml.hpp"
#include "gate/limits.hpp"
#include "gate/report_reader.hpp"
#include "gate/step_summary.hpp"
#include "json/json_file.hpp"

namespace {

using namespace fragreplay;
using namespace fragreplay::gate;

const char* kLimitRules = R"({"limits_version": 1, "rules": [
  {"metric": "totals.waste_bytes.total", "max": "1KiB"},
  {"metric": "totals.requested_bytes", "max_increase_percent": 5, "min_increase": 16},
  {"tag": "*", "metric": "waste_bytes", "max_increase_percent": 1},
  {"routine": "Mm*", "metric": "failures", "max": 0},
  {"adapter": "*", "metric": "peak", "max": 1},
  {"no_contiguous_failures": "any"},
  {"no_contiguous_failures": ["constraint", "fragmentation"]},
  {"no_new_findings": "info"}]})";

void check_and_render(const Limits& limits, const ReportMetrics& current,
                      const ReportMetrics& baseline) {
  CheckReport check;
  check.input = current.file;
  check.replayed = true;
  check.current = &current;
  check.baseline = &baseline;
  check.limits = &limits;
  check.diff = diff_reports(baseline, current);
  try {
    check.verdict = check_rules(limits, CheckInputs{&current, &baseline, false});
  } catch (const fragreplay::Error&) {
    return;  // a metric a rule names is missing: the command's exit status 2
  }
  (void)check_text(check, CheckTextOptions{true, false});
  (void)check_json_text(check, true);
  (void)junit_xml(check);
  (void)github_annotations(check);
  (void)markdown_summary(check);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  nlohmann::ordered_json doc;
  try {
    doc = parse_json_text(text, "fuzz.json", JsonParseOptions{true, true});
  } catch (const fragreplay::Error&) {
    return 0;
  }
  try {
    (void)parse_limits(doc, "fuzz.json");
  } catch (const fragreplay::Error&) {
  }
  try {
    const ReportMetrics report = read_report(doc, "fuzz.json");
    const ReportMetrics empty = read_report(
        nlohmann::ordered_json::parse(R"({"schema_version": 1, "totals": {}})"), "empty.json");
    const ReportDiff d = diff_reports(empty, report);
    (void)diff_text(d, empty, report, true);
    (void)diff_json(d, empty, report, true)
        .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    const Limits limits = parse_limits(nlohmann::ordered_json::parse(kLimitRules), "rules.json");
    check_and_render(limits, report, report);
    check_and_render(limits, report, empty);
  } catch (const fragreplay::Error&) {
  }
  return 0;
}

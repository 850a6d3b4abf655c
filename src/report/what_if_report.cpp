// What-if reports (see what_if_report.hpp).
#include "report/what_if_report.hpp"

#include <algorithm>
#include <functional>
#include <sstream>

#include "base/format.hpp"
#include "json/json_text.hpp"
#include "report/findings.hpp"
#include "report/json_report.hpp"
#include "version.hpp"

namespace fragreplay::report {

using replay::Results;

namespace {

struct Row {
  std::string label;
  std::function<std::string(const Results&)> value;
};

std::uint64_t anomalies(const Results& r) {
  std::uint64_t n = r.data_quality.bad_lines;
  for (const auto& a : r.data_quality.anomalies) n += a.count;
  return n;
}

}  // namespace

std::string what_if_text(const std::vector<Results>& results) {
  const Results& first = results.front();
  std::ostringstream os;
  os << "fragreplay " << kVersion << ": " << first.trace_name << " (" << first.trace_format
     << ")\n";
  os << "What-if      " << thousands(first.events) << " events over "
     << trace_time(first.last_time_ns - first.first_time_ns) << ", replayed under "
     << results.size() << " profiles\n\n";

  auto bytes = [](auto field) {
    return [field](const Results& r) { return human_bytes(field(r)); };
  };
  auto count = [](auto field) { return [field](const Results& r) { return thousands(field(r)); }; };
  const std::vector<Row> rows{
      {"RAM", bytes([](const Results& r) { return r.ram.value; })},
      {"Allocations ok", count([](const Results& r) { return r.totals.allocations; })},
      {"Allocations failed", count([](const Results& r) { return r.totals.failures; })},
      {"Requested (granted)", bytes([](const Results& r) { return r.totals.requested.value; })},
      {"Requested (refused)", bytes([](const Results& r) { return r.totals.refused.value; })},
      {"Footprint", bytes([](const Results& r) { return r.totals.footprint.value; })},
      {"Waste", bytes([](const Results& r) { return r.totals.waste.total().value; })},
      {"  pool header", bytes([](const Results& r) { return r.totals.waste.pool_header.value; })},
      {"  granularity", bytes([](const Results& r) { return r.totals.waste.granularity.value; })},
      {"  sub-page rounding",
       bytes([](const Results& r) { return r.totals.waste.sub_page.value; })},
      {"Waste, % of footprint",
       [](const Results& r) {
         return percent(r.totals.waste.total().value, r.totals.footprint.value);
       }},
      {"Peak live footprint", bytes([](const Results& r) { return r.peak.live_footprint.value; })},
      {"End live footprint", bytes([](const Results& r) { return r.end.live_footprint.value; })},
      {"End pool pages", bytes([](const Results& r) { return r.end.pool_page_bytes.value; })},
      {"End pool-page slack", bytes([](const Results& r) { return r.end.pool_page_slack.value; })},
      {"Contiguous requests", count([](const Results& r) { return r.contiguous.requests; })},
      {"Contiguous failures", count([](const Results& r) { return r.contiguous.failures; })},
  };
  std::size_t width = 14;
  for (const auto& r : results) width = std::max(width, r.profile.name.size() + 2);
  constexpr std::size_t kLabel = 24;
  os << pad_right("", kLabel);
  for (const auto& r : results) os << pad_left(r.profile.name, width);
  os << "\n";
  auto line = [&](const std::string& label, const std::function<std::string(const Results&)>& f) {
    os << pad_right(label, kLabel);
    for (const auto& r : results) os << pad_left(f(r), width);
    os << "\n";
  };
  for (const Row& row : rows) line(row.label, row.value);
  for (unsigned k = 1; k < model::kFailCauseCount; ++k) {
    const bool any = std::any_of(results.begin(), results.end(), [&](const Results& r) {
      return r.contiguous.failures_by_cause[k] != 0;
    });
    if (!any) continue;
    line(std::string("  ") + model::fail_cause_name(static_cast<model::FailCause>(k)),
         [k](const Results& r) { return thousands(r.contiguous.failures_by_cause[k]); });
  }
  const bool agreement = std::any_of(results.begin(), results.end(),
                                     [](const Results& r) { return r.model_agreement.compared; });
  if (agreement) {
    line("Model agreement, % of compared", [](const Results& r) {
      return percent(r.model_agreement.matching, r.model_agreement.compared);
    });
  }
  line("Findings", [](const Results& r) { return thousands(findings(r).size()); });
  line("Data-quality anomalies", [](const Results& r) { return thousands(anomalies(r)); });

  // The profile under which the trace costs least.
  const auto best =
      std::min_element(results.begin(), results.end(), [](const Results& a, const Results& b) {
        return a.peak.live_footprint < b.peak.live_footprint;
      });
  const auto worst =
      std::max_element(results.begin(), results.end(), [](const Results& a, const Results& b) {
        return a.peak.live_footprint < b.peak.live_footprint;
      });
  if (best->peak.live_footprint != worst->peak.live_footprint) {
    os << "\nLowest peak footprint: " << best->profile.name << ", "
       << human_bytes((worst->peak.live_footprint - best->peak.live_footprint).value) << " below "
       << worst->profile.name << ".\n";
  }
  os << "Per-profile details (findings included): --json, one full report per profile.\n";
  return os.str();
}

nlohmann::ordered_json what_if_json(const std::vector<Results>& results) {
  using nlohmann::ordered_json;
  const Results& first = results.front();
  ordered_json j;
  j["schema_version"] = kSchemaVersion;
  j["kind"] = "what_if";
  j["tool"] = {{"name", "fragreplay"}, {"version", kVersion}};
  j["trace"] = {
      {"name", first.trace_name}, {"format", first.trace_format}, {"events", first.events}};
  ordered_json names = ordered_json::array();
  ordered_json each = ordered_json::array();
  for (const auto& r : results) {
    names.push_back(r.profile.name);
    each.push_back(to_json(r));
  }
  j["profiles"] = std::move(names);
  j["results"] = std::move(each);
  return j;
}

std::string what_if_json_text(const std::vector<Results>& results) {
  return json_text(what_if_json(results)) + "\n";
}

}  // namespace fragreplay::report

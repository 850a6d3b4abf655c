// The pull-request summary (see markdown_report.hpp).
#include "report/markdown_report.hpp"

#include <algorithm>

#include "base/escape.hpp"
#include "base/format.hpp"
#include "report/call_sites.hpp"
#include "report/findings.hpp"
#include "report/kind_split_rows.hpp"
#include "report/modules.hpp"
#include "report/pool_kinds.hpp"
#include "report/row_order.hpp"
#include "version.hpp"

namespace fragreplay::report {

using replay::Results;

namespace {

std::string code(const std::string& s) {
  return s.empty() ? std::string("(none)") : markdown_code(s);
}

}  // namespace

std::string markdown_report(const Results& r, const MarkdownOptions& options) {
  const replay::GroupStats& t = r.totals;
  const auto& c = r.contiguous;
  const std::vector<Finding> list = findings(r);
  std::string out =
      "### fragreplay: " + code(r.trace_name) + " on " + markdown_escape(r.profile.name) + "\n\n";
  if (r.window.active) {
    out += "Counting trace time " + trace_time(r.window.from_ns) + " to " +
           (r.window.to_ns == ~std::uint64_t{0} ? std::string("the end")
                                                : trace_time(r.window.to_ns)) +
           " only (" + thousands(r.window.events_before) +
           (r.window.events_before == 1 ? " event" : " events") +
           " before it replayed, not counted).\n\n";
  }
  const std::uint64_t first = r.window.active ? r.window.first_time_ns : r.first_time_ns;
  const std::uint64_t last = r.window.active ? r.window.last_time_ns : r.last_time_ns;
  out += "| | |\n|---|---|\n";
  out += "| Events | " + thousands(r.events) + " over " + trace_time(last - first) + " |\n";
  out += "| Requested | " + human_bytes(t.requested.value) + " in " + thousands(t.allocations) +
         " allocations; " + human_bytes(t.refused.value) + " in " + thousands(t.failures) +
         " refused |\n";
  // What is resident at the peak and at the end comes first; the rows after it are turnover.
  const model::Waste& pw = r.peak.live_waste;
  out += "| Resident waste | **" + human_bytes(pw.total().value) + "** at the peak (" +
         percent(pw.total().value, r.peak.live_footprint.value) +
         " of its live footprint): pool header " + human_bytes(pw.pool_header.value) +
         ", granularity " + human_bytes(pw.granularity.value) + ", sub-page rounding " +
         human_bytes(pw.sub_page.value) + "; " + human_bytes(r.end.live_waste.total().value) +
         " at the end |\n";
  out += "| Footprint | " + human_bytes(t.footprint.value) + " |\n";
  out += "| Waste over the trace | **" + human_bytes(t.waste.total().value) + "** (" +
         percent(t.waste.total().value, t.footprint.value) + " of footprint): pool header " +
         human_bytes(t.waste.pool_header.value) + ", granularity " +
         human_bytes(t.waste.granularity.value) + ", sub-page rounding " +
         human_bytes(t.waste.sub_page.value) + " |\n";
  out += "| Peak footprint | " + human_bytes(r.peak.live_footprint.value) + " at " +
         trace_time(r.peak.time_ns) + " (line " + std::to_string(r.peak.line) + ") |\n";
  out += "| Contiguous failures | **" + thousands(c.failures) + "** of " + thousands(c.requests);
  for (unsigned k = 1, n = 0; k < model::kFailCauseCount; ++k) {
    if (c.failures_by_cause[k] == 0) continue;
    out += (n++ == 0 ? ": " : ", ") + thousands(c.failures_by_cause[k]) + " " +
           model::fail_cause_name(static_cast<model::FailCause>(k));
  }
  out += " |\n";
  out += "| Findings | " + (list.empty() ? std::string("none") : severity_counts(list)) + " |\n";

  if (!list.empty()) {
    out +=
        "\n**Findings**\n\n| severity | rule | tag | routine | count | at stake | line | why |\n"
        "|---|---|---|---|---:|---:|---:|---|\n";
    for (std::size_t i = 0; i < list.size() && i < options.top_findings; ++i) {
      const Finding& f = list[i];
      out += "| " + std::string(severity_name(f.severity)) + " | " + f.rule + " | " + code(f.tag) +
             " | " + f.routine + " | " + thousands(f.count) + " | " + human_bytes(f.bytes) + " | " +
             std::to_string(f.first_line) + " | " + markdown_escape(f.rationale) + " |\n";
    }
    if (list.size() > options.top_findings) {
      out += "\n" + thousands(list.size() - options.top_findings) +
             " more findings in the JSON and HTML reports.\n";
    }
  }

  const auto tags = tags_by_waste(r);
  if (!tags.empty()) {
    // With a pool-tag list (--pooltag), a last column names each tag's owner.
    const bool owners = replay::has_tag_owners(r);
    out +=
        "\n**Tags by waste**\n\n| tag | allocations | requested | footprint | waste | waste, % of "
        "footprint |" +
        std::string(owners ? " owner |\n|---|---:|---:|---:|---:|---:|---|\n"
                           : "\n|---|---:|---:|---:|---:|---:|\n");
    for (std::size_t k = 0; k < tags.size() && k < options.top_tags; ++k) {
      const auto& g = r.by_tag[tags[k]];
      out += "| " + code(r.tags[tags[k]].to_string()) + " | " + thousands(g.allocations) + " | " +
             human_bytes(g.requested.value) + " | " + human_bytes(g.footprint.value) + " | " +
             human_bytes(g.waste.total().value) + " | " +
             percent(g.waste.total().value, g.footprint.value) + " |";
      if (owners) {
        const std::string& owner = tag_owner(r, tags[k]);
        out += " " + (owner.empty() ? std::string("-") : code(owner)) + " |";
      }
      out += "\n";
    }
    if (tags.size() > options.top_tags) {
      out += "\n" + thousands(tags.size() - options.top_tags) + " more tags in the full reports.\n";
    }
  }

  out += modules_markdown(r, options.top_tags);
  out += pool_kinds_markdown(r);
  out += mixed_kinds_markdown(r);
  out += call_sites_markdown(r, options.top_tags);

  if (!c.failure_log.empty()) {
    const auto& f = c.failure_log.front();
    out += "\nFirst contiguous failure: line " + std::to_string(f.line) + ", " +
           code(tag_label(f.tag)) + " " + human_bytes(f.bytes) + " (" +
           model::fail_cause_name(f.cause) + ": " + human_bytes(f.free_in_window.value) +
           " free in the window, largest run " + human_bytes(f.largest_free_run_in_window.value) +
           ").\n";
  }
  std::uint64_t problems = r.data_quality.bad_lines;
  for (const auto& a : r.data_quality.anomalies) problems += a.count;
  out += "\n<sub>fragreplay " + std::string(kVersion) + "; data quality: " +
         (problems == 0 ? std::string("no problems found")
                        : thousands(problems) + (problems == 1 ? " odd event" : " odd events") +
                              " (see the full report)") +
         (r.data_quality.ignored_fields == 0
              ? std::string()
              : "; " + thousands(r.data_quality.ignored_fields) + " ignored " +
                    (r.data_quality.ignored_fields == 1 ? "field" : "fields")) +
         (r.data_quality.null_frees == 0
              ? std::string()
              : "; " + thousands(r.data_quality.null_frees) + " null frees (legal no-ops)") +
         "</sub>\n";
  return out;
}

}  // namespace fragreplay::report

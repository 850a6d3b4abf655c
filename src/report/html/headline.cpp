// The headline of the HTML report (the figures that matter first, as tiles) and the profile's
// parameters (see html_views.hpp).
#include "base/escape.hpp"
#include "base/format.hpp"
#include "report/html/page.hpp"
#include "report/html/views.hpp"
#include "version.hpp"

namespace fragreplay::report::html {

using replay::Results;

namespace {

// One tile: label, value, detail (all escaped); `mood` is "", "bad" or "good".
std::string tile(const char* id, const std::string& label, const std::string& value,
                 const std::string& detail, const char* mood = "") {
  return "<div class=\"kpi " + std::string(mood) + "\" id=\"" + id + "\"><div class=\"label\">" +
         html_escape(label) + "</div><div class=\"value\">" + html_escape(value) +
         "</div><div class=\"detail\">" + html_escape(detail) + "</div></div>\n";
}

std::string causes_text(const Results& r) {
  std::string out;
  for (unsigned k = 1; k < model::kFailCauseCount; ++k) {
    if (r.contiguous.failures_by_cause[k] == 0) continue;
    if (!out.empty()) out += ", ";
    out += thousands(r.contiguous.failures_by_cause[k]) + " " +
           model::fail_cause_name(static_cast<model::FailCause>(k));
  }
  return out;
}

}  // namespace

std::string headline_view(const Results& r, const std::vector<Finding>& findings) {
  const replay::GroupStats& t = r.totals;
  const TimeAxis axis = time_axis(r);
  std::string out = section_start("headline", "Headline", "");
  if (r.window.active) {
    const std::string to =
        r.window.to_ns == ~std::uint64_t{0} ? std::string("the end") : trace_time(r.window.to_ns);
    out += "<p class=\"banner\" id=\"window-banner\">" +
           html_escape("Time window: counting trace time " + trace_time(r.window.from_ns) + " to " +
                       to + " only; the " + thousands(r.window.events_before) +
                       " events before it were replayed to build the state but are not counted.") +
           "</p>\n";
  }
  out += "<div class=\"kpis\">\n";
  out += tile("kpi-duration", "Duration", trace_time(axis.last_ns - axis.first_ns),
              thousands(r.events) + " events: " + thousands(r.alloc_events) + " alloc, " +
                  thousands(r.free_events) + " free, " + thousands(r.phase_events) + " phase");
  out += tile("kpi-peak", "Peak footprint", human_bytes(r.peak.live_footprint.value),
              "at " + trace_time(r.peak.time_ns) + ", line " + std::to_string(r.peak.line) + "; " +
                  human_bytes(r.peak.live_requested.value) + " requested");
  // Resident first: what the live allocations waste at the peak (by part) and at the end.
  const model::Waste& pw = r.peak.live_waste;
  out += tile("kpi-resident-waste", "Resident waste at the peak", human_bytes(pw.total().value),
              percent(pw.total().value, r.peak.live_footprint.value) +
                  " of the live footprint: pool header " + human_bytes(pw.pool_header.value) +
                  ", granularity " + human_bytes(pw.granularity.value) + ", sub-page rounding " +
                  human_bytes(pw.sub_page.value) + "; " +
                  human_bytes(r.end.live_waste.total().value) + " at the end");
  out += tile("kpi-waste", "Waste over the trace, % of footprint",
              percent(t.waste.total().value, t.footprint.value),
              human_bytes(t.waste.total().value) + " of " + human_bytes(t.footprint.value) +
                  " footprint; " + human_bytes(t.requested.value) + " requested and granted, " +
                  human_bytes(t.refused.value) + " refused");
  out += tile("kpi-allocations", "Allocations", thousands(t.allocations),
              thousands(t.failures) + " refused, " + thousands(t.frees) + " freed, " +
                  thousands(r.end.live_allocations) + " live at the end");
  const auto& c = r.contiguous;
  out += tile("kpi-contiguous", "Contiguous failures",
              thousands(c.failures) + " of " + thousands(c.requests),
              c.failures == 0 ? (c.requests == 0 ? "no contiguous requests" : "all succeeded")
                              : causes_text(r),
              c.failures != 0   ? "bad"
              : c.requests != 0 ? "good"
                                : "");
  const auto n = count_by_severity(findings);
  out += tile("kpi-findings", "Findings", thousands(findings.size()), severity_counts(findings),
              n[2] != 0 ? "bad" : "");
  out += tile("kpi-end", "At the end", human_bytes(r.end.live_footprint.value),
              "live footprint; pool pages " + human_bytes(r.end.pool_page_bytes.value) +
                  ", slack " + percent(r.end.pool_page_slack.value, r.end.pool_page_bytes.value) +
                  " of pool pages");
  out += tile("kpi-dma", "Map registers", thousands(r.map_registers_peak),
              "peak in use, all adapters");
  out += "</div>\n";
  return out + section_end();
}

std::string profile_view(const Results& r) {
  const replay::ProfileInfo& p = r.profile;
  auto row = [](const char* name, const std::string& value) {
    return "<dt>" + std::string(name) + "</dt><dd>" + html_escape(value) + "</dd>\n";
  };
  std::string body = "<dl class=\"params\" id=\"profile-params\">\n";
  body += row("profile", p.name + " (" + p.description + ")");
  body += row("RAM", human_bytes(r.ram.value) + " (" + thousands(r.end.total_frames.value) +
                         " frames of " + human_bytes(p.page_size) + ")");
  body += row("page size", thousands(p.page_size) + " bytes");
  body += row("POOL_HEADER", thousands(p.pool_header) + " bytes");
  body += row("block unit", thousands(p.granularity) + " bytes");
  body += row("largest small request", thousands(p.small_max) + " bytes");
  body += row("big-pool tail", p.big_tail == "wasted"
                                   ? std::string("wasted (whole pages)")
                                   : std::string("reused by small blocks (when it fits)"));
  body += row("free-list search", p.list_search);
  body += row("contiguous scan", p.contiguous_scan);
  body += row("trace", r.trace_name + " (" + r.trace_format + ")");
  body += row("report", std::string("fragreplay ") + kVersion);
  body += "</dl>\n";
  return section_start("profile", "Profile parameters",
                       "The constants of the modelled Windows era the replay used.") +
         body + section_end();
}

}  // namespace fragreplay::report::html

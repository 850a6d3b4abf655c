// Sortable tables of the HTML report: tags and processes by waste, and the contiguous failures
// (see html_views.hpp). Numeric cells carry their raw value in data-v for the sort script.
#include <algorithm>

#include "base/escape.hpp"
#include "base/format.hpp"
#include "report/call_sites.hpp"
#include "report/html/page.hpp"
#include "report/html/views.hpp"
#include "report/kind_split_rows.hpp"
#include "report/modules.hpp"
#include "report/pool_kinds.hpp"
#include "report/row_order.hpp"

namespace fragreplay::report::html {

using replay::GroupStats;
using replay::Results;

namespace {

constexpr std::size_t kFailureRows = 200;
// Rows of a group table on the page: a million process names made a 458 MB page (issue 16, item
// 13). The JSON report and --csv DIR keep every row.
constexpr std::size_t kGroupRows = 1000;
constexpr std::size_t kPrintedFailureRows = 25;  // the rest are for the screen only

std::string th(const char* label, bool numeric, bool sorted_desc = false) {
  return std::string("<th") + (numeric ? " class=\"n\"" : "") +
         (sorted_desc ? " aria-sort=\"descending\"" : "") +
         " scope=\"col\"><button type=\"button\">" + label + "</button></th>";
}

std::string num_cell(std::uint64_t raw, const std::string& shown) {
  return "<td class=\"n\" data-v=\"" + std::to_string(raw) + "\">" + html_escape(shown) + "</td>";
}
std::string bytes_cell(std::uint64_t b) { return num_cell(b, human_bytes(b)); }
std::string count_cell(std::uint64_t n) { return num_cell(n, thousands(n)); }
std::string percent_cell(std::uint64_t part, std::uint64_t whole) {
  const std::uint64_t permille = whole == 0 ? 0 : part * 1000 / whole;
  return num_cell(permille, percent(part, whole));
}
// The waste, with a bar showing its share of the largest row's.
std::string waste_cell(std::uint64_t waste, std::uint64_t max_waste) {
  const std::uint64_t width = max_waste == 0 ? 0 : waste * 100 / max_waste;
  return "<td class=\"n bar\" data-v=\"" + std::to_string(waste) +
         "\"><span class=\"fill\" style=\"width:" + std::to_string(width) +
         "%\"></span><span class=\"v\">" + human_bytes(waste) + "</span></td>";
}

// A table of groups (tags or processes): name column, then the figures of GroupStats; the first
// kGroupRows rows (by waste), then a line saying how many more the JSON and CSV hold. With
// `owners` (one per row), a second column headed "owner" shows them.
std::string group_table(const char* id, const char* name_header,
                        std::vector<std::pair<std::string, const GroupStats*>> rows,
                        const std::vector<std::string>& owners = {}) {
  const std::size_t more = rows.size() > kGroupRows ? rows.size() - kGroupRows : 0;
  rows.resize(rows.size() - more);
  std::uint64_t max_waste = 0;
  for (const auto& [name, g] : rows) max_waste = std::max(max_waste, g->waste.total().value);
  std::string out =
      "<div class=\"scroll\"><table class=\"sortable\" id=\"" + std::string(id) +
      "\">\n<thead><tr>" + th(name_header, false) +
      (owners.empty() ? std::string() : th("owner", false)) + th("allocations", true) +
      th("failed", true) + th("requested", true) + th("footprint", true) + th("waste", true, true) +
      th("waste, % of footprint", true) + th("pool header", true) + th("granularity", true) +
      th("sub-page", true) + th("resident waste at peak", true) + th("live at end", true) +
      "</tr></thead>\n<tbody>\n";
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& [name, g] = rows[k];
    out += "<tr><td class=\"tag\">" + html_escape(name) + "</td>" +
           (owners.empty() ? std::string() : "<td>" + html_escape(owners[k]) + "</td>") +
           count_cell(g->allocations) + count_cell(g->failures) + bytes_cell(g->requested.value) +
           bytes_cell(g->footprint.value) + waste_cell(g->waste.total().value, max_waste) +
           percent_cell(g->waste.total().value, g->footprint.value) +
           bytes_cell(g->waste.pool_header.value) + bytes_cell(g->waste.granularity.value) +
           bytes_cell(g->waste.sub_page.value) + bytes_cell(g->at_peak.waste.total().value) +
           bytes_cell(g->live_footprint.value) + "</tr>\n";
  }
  out += "</tbody></table></div>\n";
  if (more != 0) {
    out += "<p class=\"intro\">... and " + thousands(more) +
           " more rows with less waste: the JSON " + "report and --csv DIR list them all.</p>\n";
  }
  return out;
}

}  // namespace

std::string tags_view(const Results& r) {
  std::vector<std::pair<std::string, const GroupStats*>> rows;
  std::vector<std::string> owners;  // with a pool-tag list (--pooltag)
  for (const std::size_t i : tags_by_waste(r)) {
    rows.emplace_back(tag_label(r.tags[i]), &r.by_tag[i]);
    if (replay::has_tag_owners(r)) {
      const std::string& owner = tag_owner(r, i);
      owners.push_back(owner.empty() ? "-" : owner);
    }
  }
  std::string body = rows.empty() ? "<p class=\"no-data\">no allocations</p>\n"
                                  : group_table("tags-table", "tag", rows, owners);
  return section_start("tags", "Tags by waste",
                       "Every pool tag, largest waste first; click a column heading to sort. "
                       "Waste % is of the tag's footprint; live at end is what it still held "
                       "when the replay ended.") +
         body + section_end();
}

std::string processes_view(const Results& r) {
  std::vector<std::pair<std::string, const GroupStats*>> rows;
  bool named = false;
  for (const std::size_t i : processes_by_waste(r)) {
    named = named || !r.processes[i].empty();
    rows.emplace_back(r.processes[i].empty() ? "(not recorded)" : r.processes[i], &r.by_process[i]);
  }
  std::string body = named ? group_table("processes-table", "process", rows)
                           : "<p class=\"no-data\">the trace records no process names</p>\n";
  return section_start("processes", "Processes by waste",
                       "The same figures by the process the trace names for each allocation.") +
         body + section_end();
}

std::string modules_view(const Results& r) {
  if (!replay::has_modules(r)) return {};
  return section_start(
             "modules", "Driver modules by waste",
             "The same figures by driver module: an allocation with a stack belongs to its "
             "caller's module (the first frame outside the kernel's own images), one without "
             "to the owner of its tag as the pool-tag list given with --pooltag names it; "
             "(unowned) holds what neither names.") +
         group_table("modules-table", "module", module_rows(r)) + section_end();
}

// The parts of the rows that live in several pools (report/kind_split_rows.hpp).
std::string mixed_kinds_table(const Results& r) {
  const LabelledRows rows = mixed_kind_rows(r);
  if (rows.empty()) return {};
  return "<h3>Rows in several pools</h3>\n<p class=\"intro\">Tags, modules, call sites, processes "
         "and routines whose allocations live in more than one pool, one line per pool.</p>\n" +
         group_table("pool-kind-split-table", "row: pool", rows);
}

std::string pool_kinds_view(const Results& r) {
  const LabelledRows rows = pool_kind_rows(r);
  if (rows.size() < 2) return {};
  return section_start("pool-kinds", "Pool kinds",
                       "The same figures by the pool each allocation lives in (the POOL_TYPE or "
                       "POOL_FLAGS it asked for); (no pool) holds the page-granular routines.") +
         group_table("pool-kinds-table", "pool", rows) + mixed_kinds_table(r) + section_end();
}

std::string call_sites_view(const Results& r) {
  if (!replay::has_call_sites(r)) return {};
  return section_start("call-sites", "Call sites by waste",
                       "The same figures by the kernel code that called the allocator (the "
                       "trace's call_site; symbols from the trace or --symbols).") +
         group_table("call-sites-table", "call site", call_site_rows(r)) + section_end();
}

std::string failures_view(const Results& r) {
  const auto& log = r.contiguous.failure_log;
  std::string body;
  if (log.empty()) {
    body = "<p class=\"no-data\">" +
           html_escape(r.contiguous.requests == 0
                           ? std::string("no contiguous requests in this trace")
                           : "no contiguous failures: all " + thousands(r.contiguous.requests) +
                                 " contiguous requests succeeded") +
           "</p>\n";
  } else {
    body = "<div class=\"scroll\"><table class=\"sortable\" id=\"failures-table\">\n<thead><tr>" +
           th("line", true) + th("time", true) + th("routine", false) + th("tag", false) +
           th("size", true) + th("window", false) + th("cause", false) +
           th("free in window", true) + th("largest run", true) + "</tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < log.size() && i < kFailureRows; ++i) {
      const auto& f = log[i];
      std::string window = hex(f.lowest) + "-" + hex(f.highest);
      if (f.boundary != 0) window += ", boundary " + hex(f.boundary);
      body += std::string(i < kPrintedFailureRows ? "<tr>" : "<tr class=\"more\">") +
              num_cell(f.line, std::to_string(f.line)) +
              num_cell(f.time_ns, trace_time(f.time_ns)) + "<td>" +
              html_escape(trace::routine_name(f.routine)) + "</td><td class=\"tag\">" +
              html_escape(tag_label(f.tag)) + "</td>" + bytes_cell(f.bytes) +
              "<td class=\"mono\">" + html_escape(window) +
              "</td><td><span class=\"cause\" style=\"--c:" + cause_colour(f.cause) + "\">" +
              html_escape(model::fail_cause_name(f.cause)) + "</span></td>" +
              bytes_cell(f.free_in_window.value) + bytes_cell(f.largest_free_run_in_window.value) +
              "</tr>\n";
    }
    body += "</tbody></table></div>\n";
    if (log.size() > kPrintedFailureRows) {
      body += "<p class=\"intro print-only\">Printed: the first " +
              std::to_string(kPrintedFailureRows) + " rows.</p>\n";
    }
  }
  std::string intro =
      "Each contiguous request the model refused, with what its physical window held at that "
      "moment.";
  if (log.size() > kFailureRows || log.size() < r.contiguous.failures) {
    intro += " Shown: the first " + thousands(std::min(log.size(), kFailureRows)) + " of " +
             thousands(r.contiguous.failures) + " (--csv writes the first " +
             thousands(log.size()) + " to failures.csv).";
  }
  return section_start("failures", "Contiguous failures", intro) + body + section_end();
}

}  // namespace fragreplay::report::html

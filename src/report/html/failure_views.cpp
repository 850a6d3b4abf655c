// The HTML report's contiguous failures and who pinned the frames they needed (see views.hpp):
// each logged failure with its window, the closest placement and the owners blocking it, linked
// to their tag rows; and the pinning table, each tag's row linked to its tag row and back.
#include <algorithm>
#include <cstdio>

#include "base/escape.hpp"
#include "base/format.hpp"
#include "report/failure_explanation.hpp"
#include "report/html/page.hpp"
#include "report/html/table_cells.hpp"
#include "report/html/views.hpp"
#include "report/row_order.hpp"

namespace fragreplay::report::html {

using replay::ContiguousFailureRecord;
using replay::Results;

namespace {

constexpr std::size_t kFailureRows = 200;
constexpr std::size_t kPrintedFailureRows = 25;  // the rest are for the screen only

// An owner's name, a link to its tag row when it has one.
std::string owner_html(const Results& r, model::OwnerClass cls, Tag tag) {
  const std::string label = html_escape(owner_label(cls, tag));
  if (cls == model::OwnerClass::kBackground || cls == model::OwnerClass::kPoolFree) return label;
  const std::optional<std::size_t> row = tag_row_of(r, tag);
  if (!row) return label;
  return "<a href=\"#tag-" + std::to_string(*row) + "\">" + label + "</a>";
}

// mm/vmstat.c's fragmentation index of the window ("-" when a run of the order exists).
std::string index_cell(const ContiguousFailureRecord& f) {
  if (f.fragmentation_index == -1000) return num_cell(0, "run exists");
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.3f", f.fragmentation_index / 1000.0);
  return num_cell(static_cast<std::uint64_t>(std::max(0, f.fragmentation_index)), buf);
}

// The closest placement: where, and how much of the request was free there.
std::string closest_cell(const ContiguousFailureRecord& f) {
  if (!f.has_candidate) return "<td>-</td>";
  return "<td class=\"mono\">" + html_escape(hex(f.candidate_phys)) + ": " +
         html_escape(human_bytes(f.candidate_free.value)) + " free (" +
         html_escape(percent(f.candidate_free.value, f.bytes)) + ")</td>";
}

std::string blockers_cell(const Results& r, const ContiguousFailureRecord& f) {
  std::string out = "<td class=\"blockers\">";
  for (std::size_t k = 0; k < f.blockers.size(); ++k) {
    const auto& b = f.blockers[k];
    out += (k == 0 ? "" : ", ") + owner_html(r, b.cls, b.tag) + " " + thousands(b.frames);
  }
  return out + (f.blockers.size() == 0 ? "-" : "") + "</td>";
}

// The module a tag row's owner stands for (--pooltag), a link to its module row.
std::string module_cell(const Results& r, std::optional<std::size_t> tag_row) {
  if (!tag_row || *tag_row >= r.tag_owners.size()) return "<td>-</td>";
  const std::string& module = r.tag_owners[*tag_row].module;
  const auto it = std::find(r.modules.begin(), r.modules.end(), module);
  const std::string label = html_escape(module_label(module));
  if (it == r.modules.end()) return "<td>" + label + "</td>";
  return "<td class=\"tag\"><a href=\"#module-" + std::to_string(it - r.modules.begin()) + "\">" +
         label + "</a></td>";
}

std::string failure_row(const Results& r, const ContiguousFailureRecord& f, bool printed) {
  std::string window = hex(f.lowest) + "-" + hex(f.highest);
  if (f.boundary != 0) window += ", boundary " + hex(f.boundary);
  return std::string(printed ? "<tr>" : "<tr class=\"more\">") +
         num_cell(f.line, std::to_string(f.line)) + num_cell(f.time_ns, trace_time(f.time_ns)) +
         "<td>" + html_escape(trace::routine_name(f.routine)) + "</td><td class=\"tag\">" +
         html_escape(tag_label(f.tag)) + "</td>" + bytes_cell(f.bytes) + "<td class=\"mono\">" +
         html_escape(window) +
         "</td><td><span class=\"cause\" style=\"--c:" + cause_colour(f.cause) + "\">" +
         html_escape(model::fail_cause_name(f.cause)) + "</span></td>" +
         bytes_cell(f.free_in_window.value) + bytes_cell(f.largest_free_run_in_window.value) +
         index_cell(f) + closest_cell(f) + blockers_cell(r, f) + count_cell(f.pinned_frames) +
         "</tr>\n";
}

}  // namespace

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
           th("free in window", true) + th("largest run", true) + th("frag index", true) +
           th("closest placement", false) + th("blocked by (frames)", false) +
           th("pinned frames", true) + "</tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < log.size() && i < kFailureRows; ++i)
      body += failure_row(r, log[i], i < kPrintedFailureRows);
    body += "</tbody></table></div>\n";
    if (log.size() > kPrintedFailureRows) {
      body += "<p class=\"intro print-only\">Printed: the first " +
              std::to_string(kPrintedFailureRows) + " rows.</p>\n";
    }
  }
  std::string intro =
      "Each contiguous request the model refused, with what its physical window held at that "
      "moment: the fragmentation index of the window (mm/vmstat.c's, 1 when the free memory is "
      "all in runs too short), the placement that came closest and how much of the request was "
      "free there, and who holds the rest of it (a tag links to its row). Pinned frames: frames "
      "splitting free runs of the window that with them would have held the request.";
  if (log.size() > kFailureRows || log.size() < r.contiguous.failures) {
    intro += " Shown: the first " + thousands(std::min(log.size(), kFailureRows)) + " of " +
             thousands(r.contiguous.failures) + " (--csv writes the first " +
             thousands(log.size()) + " to failures.csv).";
  }
  return section_start("failures", "Contiguous failures", intro) + body + section_end();
}

std::string pinning_view(const Results& r) {
  const std::vector<PinningRow> rows = pinning_rows(r);
  if (rows.empty()) return {};
  const std::uint64_t page = r.profile.page_size;
  // With a pool-tag list each tag has one module, its row a link away.
  const bool modules = replay::has_tag_owners(r) && replay::has_modules(r);
  std::string body =
      "<div class=\"scroll\"><table class=\"sortable\" id=\"pinning-table\">\n<thead><tr>" +
      th("owner", false) + (modules ? th("module", false) : std::string()) +
      th("frames pinned", true, true) + th("bytes", true) + "</tr></thead>\n<tbody>\n";
  for (const PinningRow& p : rows) {
    const std::string id = p.tag_row ? " id=\"pin-" + std::to_string(*p.tag_row) + "\"" : "";
    const std::string name = p.tag_row ? "<a href=\"#tag-" + std::to_string(*p.tag_row) + "\">" +
                                             html_escape(p.label) + "</a>"
                                       : html_escape(p.label);
    body += "<tr" + id + "><td class=\"tag\">" + name + "</td>" +
            (modules ? module_cell(r, p.tag_row) : std::string()) + count_cell(p.frames) +
            bytes_cell(p.frames * page) + "</tr>\n";
  }
  body += "</tbody></table></div>\n";
  return section_start("pinning", "Pinning",
                       "Who held the frames that split free runs a failed request could have "
                       "used: for each owner, the most such frames at any one failure. Freeing "
                       "or moving them is what would have let the request through.") +
         body + section_end();
}

}  // namespace fragreplay::report::html

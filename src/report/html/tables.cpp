// Sortable tables of the HTML report: tags, processes, modules, call sites and pool kinds by waste
// (see views.hpp). Numeric cells carry their raw value in data-v for the sort script.
#include <algorithm>

#include "base/escape.hpp"
#include "base/format.hpp"
#include "report/call_sites.hpp"
#include "report/html/page.hpp"
#include "report/html/table_cells.hpp"
#include "report/html/views.hpp"
#include "report/kind_split_rows.hpp"
#include "report/modules.hpp"
#include "report/pool_kinds.hpp"
#include "report/row_order.hpp"

namespace fragreplay::report::html {

using replay::GroupStats;
using replay::Results;

namespace {

// Rows of a group table on the page: a million process names made a 458 MB page (issue 16, item
// 13). The JSON report and --csv DIR keep every row.
constexpr std::size_t kGroupRows = 1000;

// A table of groups (tags or processes): name column, then the figures of GroupStats; the first
// kGroupRows rows (by waste), then a line saying how many more the JSON and CSV hold. With
// `owners` (one per row), a second column headed "owner" shows them. `extras` (one per row, when
// given): each row's id attribute and HTML (already escaped) after its name.
struct RowExtras {
  std::vector<std::string> ids;
  std::vector<std::string> after_name;
};
std::string group_table(const char* id, const char* name_header,
                        std::vector<std::pair<std::string, const GroupStats*>> rows,
                        const std::vector<std::string>& owners = {}, const RowExtras& extras = {}) {
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
    const bool more_html = k < extras.ids.size();
    out += (more_html ? "<tr id=\"" + extras.ids[k] + "\">" : std::string("<tr>")) +
           "<td class=\"tag\">" + html_escape(name) +
           (more_html ? extras.after_name[k] : std::string()) + "</td>" +
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

// Each module row's anchor ("module-<row>"), which the pinning table's module cells link to.
RowExtras module_extras(const Results& r) {
  RowExtras extras;
  for (const std::size_t i : modules_by_waste(r)) {
    extras.ids.push_back("module-" + std::to_string(i));
    extras.after_name.emplace_back();
  }
  return extras;
}

}  // namespace

std::string tags_view(const Results& r) {
  std::vector<std::pair<std::string, const GroupStats*>> rows;
  std::vector<std::string> owners;  // with a pool-tag list (--pooltag)
  RowExtras extras;                 // the row's anchor, and a link to its pinning row
  for (const std::size_t i : tags_by_waste(r)) {
    rows.emplace_back(tag_label(r.tags[i]), &r.by_tag[i]);
    extras.ids.push_back("tag-" + std::to_string(i));
    const std::uint64_t pinned = i < r.pinned_frames.size() ? r.pinned_frames[i] : 0;
    extras.after_name.push_back(pinned == 0 ? std::string()
                                            : " <a class=\"pin\" href=\"#pin-" + std::to_string(i) +
                                                  "\">pins " + thousands(pinned) +
                                                  (pinned == 1 ? " frame" : " frames") + "</a>");
    if (replay::has_tag_owners(r)) {
      const std::string& owner = tag_owner(r, i);
      owners.push_back(owner.empty() ? "-" : owner);
    }
  }
  std::string body = rows.empty() ? "<p class=\"no-data\">no allocations</p>\n"
                                  : group_table("tags-table", "tag", rows, owners, extras);
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
         group_table("modules-table", "module", module_rows(r), {}, module_extras(r)) +
         section_end();
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

}  // namespace fragreplay::report::html

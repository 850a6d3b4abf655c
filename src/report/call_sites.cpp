// The by-call-site rows as the reports show them (see call_sites.hpp).
#include "report/call_sites.hpp"

#include <algorithm>
#include <numeric>

#include "base/format.hpp"
#include "report/group_table.hpp"

namespace fragreplay::report {

std::string call_site_address(const replay::CallSite& site) {
  return site.address == 0 ? std::string() : hex(site.address);
}

std::string call_site_label(const replay::CallSite& site) {
  if (!site.name.empty()) return site.name;
  return site.address == 0 ? "(none)" : hex(site.address);
}

std::vector<std::size_t> call_sites_by_waste(const replay::Results& r) {
  std::vector<std::size_t> rows(r.by_call_site.size());
  std::iota(rows.begin(), rows.end(), 0);
  std::sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
    const auto wa = r.by_call_site[a].waste.total(), wb = r.by_call_site[b].waste.total();
    if (wa != wb) return wa > wb;
    const std::string la = call_site_label(r.call_sites[a]), lb = call_site_label(r.call_sites[b]);
    if (la != lb) return la < lb;
    return r.call_sites[a].address < r.call_sites[b].address;
  });
  return rows;
}

LabelledRows call_site_rows(const replay::Results& r) {
  LabelledRows rows;
  for (const std::size_t i : call_sites_by_waste(r))
    rows.emplace_back(call_site_label(r.call_sites[i]), &r.by_call_site[i]);
  return rows;
}

std::string call_sites_text(const replay::Results& r, std::size_t top) {
  if (!replay::has_call_sites(r)) return {};
  return group_rows_text("Call sites by waste", call_site_rows(r), top, "call sites");
}

std::string call_sites_markdown(const replay::Results& r, std::size_t top) {
  if (!replay::has_call_sites(r)) return {};
  return group_rows_markdown("Call sites by waste", "call site", call_site_rows(r), top,
                             "call sites");
}

}  // namespace fragreplay::report

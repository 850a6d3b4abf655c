// The by-call-site rows as the reports show them (see call_sites.hpp).
#include "report/call_sites.hpp"

#include <algorithm>
#include <numeric>

#include "base/escape.hpp"
#include "base/format.hpp"

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

std::string call_sites_text(const replay::Results& r, std::size_t top) {
  if (!replay::has_call_sites(r)) return {};
  const auto rows = call_sites_by_waste(r);
  std::string out = "\n" + pad_right("Call sites by waste", 26) + pad_left("allocs", 8) +
                    pad_left("requested", 11) + pad_left("footprint", 11) + pad_left("waste", 11) +
                    pad_left("% of footprint", 16) + "\n";
  for (std::size_t k = 0; k < rows.size() && k < top; ++k) {
    const auto& g = r.by_call_site[rows[k]];
    out += "  " + pad_right(call_site_label(r.call_sites[rows[k]]), 24) +
           pad_left(thousands(g.allocations), 8) + pad_left(human_bytes(g.requested.value), 11) +
           pad_left(human_bytes(g.footprint.value), 11) +
           pad_left(human_bytes(g.waste.total().value), 11) +
           pad_left(percent(g.waste.total().value, g.footprint.value), 16) + "\n";
  }
  if (rows.size() > top) {
    out += "  ... and " + thousands(rows.size() - top) + " more call sites (see --json)\n";
  }
  return out;
}

std::string call_sites_markdown(const replay::Results& r, std::size_t top) {
  if (!replay::has_call_sites(r)) return {};
  const auto rows = call_sites_by_waste(r);
  std::string out =
      "\n**Call sites by waste**\n\n| call site | allocations | requested | footprint | waste | "
      "waste, % of footprint |\n|---|---:|---:|---:|---:|---:|\n";
  for (std::size_t k = 0; k < rows.size() && k < top; ++k) {
    const auto& g = r.by_call_site[rows[k]];
    out += "| " + markdown_code(call_site_label(r.call_sites[rows[k]])) + " | " +
           thousands(g.allocations) + " | " + human_bytes(g.requested.value) + " | " +
           human_bytes(g.footprint.value) + " | " + human_bytes(g.waste.total().value) + " | " +
           percent(g.waste.total().value, g.footprint.value) + " |\n";
  }
  if (rows.size() > top) {
    out += "\n" + thousands(rows.size() - top) + " more call sites in the full reports.\n";
  }
  return out;
}

}  // namespace fragreplay::report

// The HTML report: the views of html_views.hpp in reading order (see html_report.hpp).
#include "report/html/html_report.hpp"

#include <algorithm>
#include <string_view>

#include "base/format.hpp"
#include "report/findings.hpp"
#include "report/html/page.hpp"
#include "report/html/stack_views.hpp"
#include "report/html/views.hpp"
#include "version.hpp"

namespace fragreplay::report {

std::string html_report(const replay::Results& r) {
  const std::vector<Finding> list = findings(r);
  const std::string modules = html::modules_view(r);
  const std::string call_sites = html::call_sites_view(r);
  const std::string pool_kinds = html::pool_kinds_view(r);
  const std::string bottom_up = html::stacks_bottom_up_view(r);
  const std::string flame = html::stacks_flame_view(r);
  const std::string pinning = html::pinning_view(r);
  const std::string device_windows = html::device_windows_view(r);
  std::vector<html::NavItem> nav{{"headline", "Headline"},
                                 {"findings", "Findings"},
                                 {"memory", "Memory"},
                                 {"waste", "Waste"},
                                 {"fragmentation", "Fragmentation"},
                                 {"physical-map", "Physical map"},
                                 {"tags", "Tags"},
                                 {"processes", "Processes"},
                                 {"failures", "Failures"},
                                 {"data-quality", "Data quality"},
                                 {"profile", "Profile"}};
  // After "Tags", in page order: modules, call sites, then the stacks' views.
  std::size_t after_tags = 7;
  if (!modules.empty()) nav.insert(nav.begin() + after_tags++, html::NavItem{"modules", "Modules"});
  if (!pool_kinds.empty()) {
    nav.insert(nav.begin() + after_tags++, html::NavItem{"pool-kinds", "Pool kinds"});
  }
  if (!call_sites.empty()) {
    nav.insert(nav.begin() + after_tags++, html::NavItem{"call-sites", "Call sites"});
  }
  if (!bottom_up.empty()) {
    nav.insert(nav.begin() + after_tags++, html::NavItem{"stacks-bottom-up", "Bottom-up"});
  }
  if (!flame.empty()) {
    nav.insert(nav.begin() + after_tags, html::NavItem{"stacks-flame", "Flame"});
  }
  if (!device_windows.empty()) {  // after "Physical map"
    const auto map = std::find_if(nav.begin(), nav.end(), [](const html::NavItem& n) {
      return std::string_view(n.id) == "physical-map";
    });
    nav.insert(map + 1, html::NavItem{"device-windows", "Device windows"});
  }
  if (!pinning.empty()) {  // after "Failures"
    const auto failures = std::find_if(nav.begin(), nav.end(), [](const html::NavItem& n) {
      return std::string_view(n.id) == "failures";
    });
    nav.insert(failures + 1, html::NavItem{"pinning", "Pinning"});
  }
  const std::string subtitle = r.trace_format + " \xC2\xB7 profile " + r.profile.name + " (" +
                               r.profile.description + ") \xC2\xB7 RAM " + human_bytes(r.ram.value);
  std::string out = html::page_start("fragreplay: " + r.trace_name, subtitle, nav);
  out += html::headline_view(r, list);
  out += html::findings_view(r, list);
  out += html::memory_view(r);
  out += html::waste_view(r);
  out += html::fragmentation_view(r);
  out += html::frame_map_view(r);
  out += device_windows;
  out += html::tags_view(r);
  out += modules;
  out += pool_kinds;
  out += call_sites;
  out += bottom_up;
  out += flame;
  out += html::processes_view(r);
  out += html::failures_view(r);
  out += pinning;
  out += html::data_quality_view(r);
  out += html::profile_view(r);
  out += html::page_end(std::string("fragreplay ") + kVersion +
                        ": times are trace time; sizes in binary units (KiB = 1,024 bytes).");
  return out;
}

}  // namespace fragreplay::report

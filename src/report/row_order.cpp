// Row order and labels shared by every renderer (see row_order.hpp).
#include "report/row_order.hpp"

#include <algorithm>
#include <numeric>

namespace fragreplay::report {

using replay::GroupStats;
using replay::Results;

std::string tag_label(Tag tag) {
  const std::string s = tag.to_string();
  return s.empty() ? "(none)" : s;
}

std::string module_label(const std::string& module) {
  return module.empty() ? "(unowned)" : module;
}

namespace {

// Row indices of `groups`, by total waste (descending), then by `name` of the row.
template <typename Name>
std::vector<std::size_t> by_waste(const std::vector<GroupStats>& groups, Name name) {
  std::vector<std::size_t> rows(groups.size());
  std::iota(rows.begin(), rows.end(), 0);
  std::sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
    const auto wa = groups[a].waste.total(), wb = groups[b].waste.total();
    if (wa != wb) return wa > wb;
    return name(a) < name(b);
  });
  return rows;
}

}  // namespace

std::vector<std::size_t> tags_by_waste(const Results& r) {
  return by_waste(r.by_tag, [&](std::size_t i) { return r.tags[i].to_string(); });
}

std::vector<std::size_t> processes_by_waste(const Results& r) {
  return by_waste(r.by_process,
                  [&](std::size_t i) -> const std::string& { return r.processes[i]; });
}

std::vector<std::size_t> modules_by_waste(const Results& r) {
  return by_waste(r.by_module, [&](std::size_t i) -> const std::string& { return r.modules[i]; });
}

std::vector<std::size_t> routines_by_waste(const Results& r) {
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < r.by_routine.size(); ++i) {
    const GroupStats& g = r.by_routine[i];
    if (g.allocations + g.failures + g.frees != 0) rows.push_back(i);
  }
  std::sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
    const auto wa = r.by_routine[a].waste.total(), wb = r.by_routine[b].waste.total();
    if (wa != wb) return wa > wb;
    return trace::routine_name(static_cast<trace::Routine>(a)) <
           trace::routine_name(static_cast<trace::Routine>(b));
  });
  return rows;
}

}  // namespace fragreplay::report

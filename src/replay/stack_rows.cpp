// Stacks folded into call sites (see stack_rows.hpp).
#include "replay/stack_rows.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "replay/module_rows.hpp"

namespace fragreplay::replay {

void fold_stacks(Results& r, const trace::CodeMap* code, const CallerRules& rules) {
  const bool any = std::any_of(r.call_sites.begin(), r.call_sites.end(),
                               [](const CallSite& c) { return c.stack != 0; });
  if (!any || code == nullptr) return;
  std::vector<CallSite> sites;
  std::vector<GroupStats> rows;
  std::vector<KindParts> kinds;
  std::map<std::string, std::uint32_t> caller_row;  // by label
  std::vector<StackRow> stacks;
  for (std::size_t i = 0; i < r.call_sites.size(); ++i) {
    const CallSite& c = r.call_sites[i];
    const KindParts* site_kinds = kinds_of(r.call_site_kinds, i);
    if (c.stack == 0) {
      sites.push_back(c);
      rows.push_back(r.by_call_site[i]);
      kinds.push_back(site_kinds != nullptr ? *site_kinds : KindParts{});
      continue;
    }
    StackRow s;
    const auto frames = code->stacks.frames(c.stack);
    s.frames.assign(frames.begin(), frames.end());
    for (const std::uint64_t f : s.frames) s.frame_labels.push_back(frame_label(f, *code, rules));
    const Caller caller = find_caller(frames, *code, rules);
    s.caller_frame = caller.frame;
    s.tag_row = c.tag_row;
    s.stats = r.by_call_site[i];
    if (site_kinds != nullptr) s.kinds = *site_kinds;
    const std::uint64_t address = frames[caller.frame];
    std::string label = s.frame_labels[caller.frame];
    if (caller.kernel_only) label += " (kernel only)";
    auto [at, added] = caller_row.emplace(label, static_cast<std::uint32_t>(sites.size()));
    if (added) {
      sites.push_back(
          CallSite{address, label, frame_module(address, *code), caller.kernel_only, 0, 0});
      rows.emplace_back();
      kinds.emplace_back();
    }
    kinds[at->second].add(rows[at->second], s.kinds, s.stats);
    rows[at->second] += s.stats;
    s.caller = at->second;
    stacks.push_back(std::move(s));
  }
  r.call_sites = std::move(sites);
  r.by_call_site = std::move(rows);
  r.call_site_kinds = std::move(kinds);
  r.stacks = std::move(stacks);
  build_module_rows(r);
}

}  // namespace fragreplay::replay

// The rows by driver module (see module_rows.hpp).
#include "replay/module_rows.hpp"

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>

namespace fragreplay::replay {

void build_module_rows(Results& r) {
  r.modules.clear();
  r.by_module.clear();
  r.module_kinds.clear();
  if (r.stacks.empty() && r.tag_owners.empty()) return;
  // Without a split of the tag rows (merged results) the module rows have none either.
  const bool split = r.tag_kinds.size() == r.by_tag.size();
  std::map<std::string, std::size_t> row_of;
  auto add = [&](const std::string& module, const GroupStats& g, const KindParts& kinds) {
    auto [it, added] = row_of.emplace(module, r.modules.size());
    if (added) {
      r.modules.push_back(module);
      r.by_module.emplace_back();
      if (split) r.module_kinds.emplace_back();
    }
    if (split) r.module_kinds[it->second].add(r.by_module[it->second], kinds, g);
    r.by_module[it->second] += g;
  };
  // What each tag row did without a stack: the tag's row less its stacks'.
  std::vector<GroupStats> unstacked = r.by_tag;
  std::vector<KindParts> unstacked_kinds = split ? r.tag_kinds : std::vector<KindParts>{};
  for (const StackRow& s : r.stacks) {
    if (s.tag_row < unstacked.size()) {
      if (split) unstacked_kinds[s.tag_row].subtract(s.kinds, s.stats);
      unstacked[s.tag_row] -= s.stats;
    }
    add(r.call_sites[s.caller].module, s.stats, s.kinds);
  }
  for (std::size_t i = 0; i < unstacked.size(); ++i) {
    if (unstacked[i] == GroupStats{}) continue;
    add(r.tag_owners.empty() ? std::string() : r.tag_owners[i].module, unstacked[i],
        split ? unstacked_kinds[i] : KindParts{});
  }
}

void attribute_modules(Results& r, std::vector<TagOwnerInfo> owners) {
  if (owners.size() != r.by_tag.size())
    throw std::logic_error("attribute_modules: one owner per tag row expected");
  r.tag_owners = std::move(owners);
  build_module_rows(r);
}

}  // namespace fragreplay::replay

// The rows by driver module (see module_rows.hpp).
#include "replay/module_rows.hpp"

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>

namespace fragreplay::replay {

void attribute_modules(Results& r, std::vector<TagOwnerInfo> owners) {
  if (owners.size() != r.by_tag.size())
    throw std::logic_error("attribute_modules: one owner per tag row expected");
  r.tag_owners = std::move(owners);
  r.modules.clear();
  r.by_module.clear();
  std::map<std::string, std::size_t> row_of;
  for (std::size_t i = 0; i < r.by_tag.size(); ++i) {
    const std::string& module = r.tag_owners[i].module;
    auto [it, added] = row_of.emplace(module, r.modules.size());
    if (added) {
      r.modules.push_back(module);
      r.by_module.emplace_back();
    }
    r.by_module[it->second] += r.by_tag[i];
  }
}

}  // namespace fragreplay::replay

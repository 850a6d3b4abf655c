// The rows by driver module (Results::by_module). Without stacks, an allocation's module is the
// owner a pool-tag list names for its tag (--pooltag; trace/pooltag_list.hpp), so a module's row
// is the sum of its tags' rows, and the tags no list entry owns (or owned by "<unknown>") share
// the row of module "". The rows add up to Σ by_tag, like every other row group.
#pragma once

#include <vector>

#include "replay/results.hpp"

namespace fragreplay::replay {

// Sets r.tag_owners to `owners` and builds r.modules and r.by_module from them, modules in the
// order of their first tag row. REQUIRES: owners.size() == r.by_tag.size().
void attribute_modules(Results& r, std::vector<TagOwnerInfo> owners);

}  // namespace fragreplay::replay

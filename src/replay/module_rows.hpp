// The rows by driver module (Results::by_module). An allocation with a stack belongs to the module
// of its stack's caller (stack_rows.hpp); one without belongs to the owner a pool-tag list
// (--pooltag; trace/pooltag_list.hpp) names for its tag. What neither names (a caller in no image,
// a tag no list entry owns or owned by "<unknown>") shares the row of module "". So a module's
// row is the sum of its callers' stacks and of its tags' allocations without a stack, and the
// rows add up to Σ by_tag, like every other row group.
#pragma once

#include <vector>

#include "replay/results.hpp"

namespace fragreplay::replay {

// Builds r.modules and r.by_module from r.stacks and r.tag_owners: modules in the order of their
// first stack, then of their first tag row. Empty when there are neither stacks nor owners.
void build_module_rows(Results& r);

// Sets r.tag_owners to `owners` and builds the rows by module again.
// REQUIRES: owners.size() == r.by_tag.size().
void attribute_modules(Results& r, std::vector<TagOwnerInfo> owners);

}  // namespace fragreplay::replay

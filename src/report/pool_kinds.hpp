// The rows by pool kind (Results::by_pool_kind: nonpaged, nonpaged NX, paged, session nonpaged,
// session paged, and what no pool holds) as the reports show them, in that fixed order, only the
// kinds the replay used. The terminal and Markdown show the split when more than one kind was
// used; JSON and CSV whenever a pool was.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "replay/results.hpp"
#include "report/group_table.hpp"

namespace fragreplay::report {

// The indices of the kinds with any allocation or failure.
std::vector<std::size_t> pool_kinds_used(const replay::Results& r);
// True when some pool kind (not row 0, "no pool") was used.
bool has_pool_kinds(const replay::Results& r);

LabelledRows pool_kind_rows(const replay::Results& r);

// "Pool kinds" blocks; empty unless at least two kinds were used.
std::string pool_kinds_text(const replay::Results& r);
std::string pool_kinds_markdown(const replay::Results& r);

}  // namespace fragreplay::report

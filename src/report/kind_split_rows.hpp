// Every row group's rows split by pool kind (Results' KindParts; docs/attribution.md §4), as the
// reports show them: each row with the pool kind it lives in, or with its parts when it lives in
// several. JSON gives every row its kind and a mixed row its parts; by_pool_kind_rows.csv lists
// every (row, kind) pair with anything in it; the terminal, Markdown and HTML show the rows of
// several kinds, part by part, under the Pool kinds table. Shown only for traces of pool
// allocations (has_pool_kinds), and not for merged results, which keep no split.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "replay/results.hpp"
#include "report/group_table.hpp"

namespace fragreplay::report {

struct KindSplitRow {
  const char* group = "";  // "tag", "routine", "process", "call_site", "module"
  std::string key;         // as the group's own CSV names the row
  const replay::GroupStats* row = nullptr;
  const replay::KindParts* kinds = nullptr;
};

// The rows of every group the reports show (call sites and modules only when they are shown),
// group by group, each group's rows by waste; only rows that have a split.
std::vector<KindSplitRow> kind_split_rows(const replay::Results& r);

// A row's parts: (kind, stats) for each kind with anything in it, in PoolKindRow order.
std::vector<std::pair<std::size_t, replay::GroupStats>> row_parts(const KindSplitRow& row);

// The parts of the rows of several kinds, labelled "tag NicB: Paged", group by group; a row that
// holds everything (the only process, the only routine) is left out: it repeats by_pool_kind.
LabelledRows mixed_kind_rows(const replay::Results& r);

// "Rows in several pools" blocks; empty when every row lives in one pool.
std::string mixed_kinds_text(const replay::Results& r);
std::string mixed_kinds_markdown(const replay::Results& r);

}  // namespace fragreplay::report

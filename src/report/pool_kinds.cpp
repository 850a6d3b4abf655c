// The rows by pool kind as the reports show them (see pool_kinds.hpp).
#include "report/pool_kinds.hpp"

namespace fragreplay::report {

std::vector<std::size_t> pool_kinds_used(const replay::Results& r) {
  std::vector<std::size_t> used;
  for (std::size_t i = 0; i < r.by_pool_kind.size(); ++i) {
    if (!r.by_pool_kind[i].idle()) used.push_back(i);
  }
  return used;
}

bool has_pool_kinds(const replay::Results& r) {
  const std::vector<std::size_t> used = pool_kinds_used(r);
  return !used.empty() && used.back() != 0;
}

LabelledRows pool_kind_rows(const replay::Results& r) {
  LabelledRows rows;
  for (const std::size_t i : pool_kinds_used(r))
    rows.emplace_back(replay::kPoolKindLabels[i], &r.by_pool_kind[i]);
  return rows;
}

std::string pool_kinds_text(const replay::Results& r) {
  const LabelledRows rows = pool_kind_rows(r);
  if (rows.size() < 2) return {};
  return group_rows_text("Pool kinds", rows, rows.size(), "kinds");
}

std::string pool_kinds_markdown(const replay::Results& r) {
  const LabelledRows rows = pool_kind_rows(r);
  if (rows.size() < 2) return {};
  return group_rows_markdown("Pool kinds", "pool", rows, rows.size(), "kinds");
}

}  // namespace fragreplay::report

// The rows by driver module as the reports show them (see modules.hpp).
#include "report/modules.hpp"

#include "report/group_table.hpp"
#include "report/row_order.hpp"

namespace fragreplay::report {

LabelledRows module_rows(const replay::Results& r) {
  LabelledRows rows;
  for (const std::size_t i : modules_by_waste(r))
    rows.emplace_back(module_label(r.modules[i]), &r.by_module[i]);
  return rows;
}

const std::string& tag_owner(const replay::Results& r, std::size_t i) {
  return r.tag_owners[i].binary;
}

std::string modules_text(const replay::Results& r, std::size_t top) {
  if (!replay::has_modules(r)) return {};
  return group_rows_text("Driver modules by waste", module_rows(r), top, "modules");
}

std::string modules_markdown(const replay::Results& r, std::size_t top) {
  if (!replay::has_modules(r)) return {};
  return group_rows_markdown("Driver modules by waste", "module", module_rows(r), top, "modules");
}

}  // namespace fragreplay::report

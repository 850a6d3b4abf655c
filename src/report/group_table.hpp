// A block of rows of one row group (call sites, driver modules), with the same columns in the
// terminal summary and in the Markdown report: allocations, requested, footprint, waste and
// waste as a share of footprint, the first `top` rows, then how many more there are.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "replay/results.hpp"

namespace fragreplay::report {

// A row's label beside its figures, in the order they are shown.
using LabelledRows = std::vector<std::pair<std::string, const replay::GroupStats*>>;

// "\n<title>  allocs requested ..." and one line per row, within 80 columns (a long label is
// cut); `noun` names the rows in the last line ("call sites": "... and 3 more call sites (see
// --json)").
std::string group_rows_text(const std::string& title, const LabelledRows& rows, std::size_t top,
                            const std::string& noun);
// "\n**<title>**" and a table whose first column is `column`; labels are code spans.
std::string group_rows_markdown(const std::string& title, const std::string& column,
                                const LabelledRows& rows, std::size_t top, const std::string& noun);

}  // namespace fragreplay::report

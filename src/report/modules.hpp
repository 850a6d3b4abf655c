// The rows by driver module as the reports show them (replay/module_rows.hpp: stacks' callers and
// the owners a pool-tag list, --pooltag, names), and each tag's owner beside its row. Every
// renderer shows the module rows only when replay::has_modules().
#pragma once

#include <cstddef>
#include <string>

#include "replay/results.hpp"
#include "report/group_table.hpp"

namespace fragreplay::report {

// The binary the pool-tag list names for by_tag row `i` ("afd.sys", "nt!ps"), or "" when it
// names none. REQUIRES: has_tag_owners(r).
const std::string& tag_owner(const replay::Results& r, std::size_t i);

// The rows by waste, each with its label ("(unowned)" for module ""): what the text, Markdown
// and HTML tables show.
LabelledRows module_rows(const replay::Results& r);

// The terminal summary's "Driver modules by waste" block (the first `top` rows), and the
// Markdown report's table; both empty without module rows.
std::string modules_text(const replay::Results& r, std::size_t top);
std::string modules_markdown(const replay::Results& r, std::size_t top);

}  // namespace fragreplay::report

// The by-call-site rows as the reports show them: ordered by waste like the tag rows, labelled
// by the symbol when one is known ("kmem_cache_alloc+0x1f", from the trace or --symbols), else
// by the hexadecimal address ("0xc104de4f"); records without a call site are "(none)". Every
// renderer shows the group only when replay::has_call_sites() (a Windows trace has none).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "replay/results.hpp"
#include "report/group_table.hpp"

namespace fragreplay::report {

// Row indices of by_call_site by total waste (descending), then by label.
std::vector<std::size_t> call_sites_by_waste(const replay::Results& r);
std::string call_site_label(const replay::CallSite& site);
// The address in hexadecimal ("0xc104de4f"), or "" for a site known only by its symbol.
std::string call_site_address(const replay::CallSite& site);

// The rows by waste, each with its label: what the text, Markdown and HTML tables show.
LabelledRows call_site_rows(const replay::Results& r);

// The terminal summary's "Call sites by waste" block (the first `top` rows), and the Markdown
// report's table; both empty when the trace records no call site.
std::string call_sites_text(const replay::Results& r, std::size_t top);
std::string call_sites_markdown(const replay::Results& r, std::size_t top);

}  // namespace fragreplay::report

// The findings as the terminal summary lists them under its "Findings" line: one line each, most
// severe first (the order of findings()), with the rule, the tag, how many events it counts, the
// bytes at stake (what they measure depends on the rule: kRules) and the trace line of the first.
// The rationale and the documentation's advice are in the HTML, Markdown and JSON reports.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "base/finding.hpp"

namespace fragreplay::report {

// A header and the first `top` findings within 80 columns, then how many more there are; empty
// without findings.
std::string findings_lines(const std::vector<Finding>& findings, std::size_t top);

}  // namespace fragreplay::report

// --markdown FILE: a summary fit for a pull-request comment or a CI step summary: the headline
// figures in one table, the top findings, the tags that waste most, and the contiguous failures
// by cause. Short by design (the HTML and JSON reports hold the rest). Trace text is escaped.
#pragma once

#include <cstddef>
#include <string>

#include "replay/results.hpp"

namespace fragreplay::report {

struct MarkdownOptions {
  std::size_t top_findings = 10;
  std::size_t top_tags = 5;
};

std::string markdown_report(const replay::Results& results, const MarkdownOptions& options = {});

}  // namespace fragreplay::report

// The Markdown summary of `fragreplay check`: appended to $GITHUB_STEP_SUMMARY when that is set
// (GitHub shows it on the run's page), or written with --markdown FILE (for a pull-request
// comment). A heading with the verdict, a table of the rules, and the changes from the baseline
// in a collapsed table. Everything that came from a report or the limits file goes through
// report/escape.hpp's markdown_escape, so a tag or a rule name cannot inject markup. Long change
// tables are cut, with a count of the rest: GitHub takes at most 1 MiB of summary per step.
#pragma once

#include <string>

#include "gate/check_report.hpp"

namespace fragreplay::gate {

inline constexpr std::size_t kMaxMarkdownChanges = 200;

std::string markdown_summary(const CheckReport& check);

}  // namespace fragreplay::gate

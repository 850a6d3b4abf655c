// `fragreplay check --github`: GitHub Actions workflow commands on standard output, which the
// runner turns into annotations on the run and the pull request. One ::error per violated rule
// (at the trace line where it first shows, when the input was a trace file), one ::warning per
// caveat of the comparison. GitHub shows at most 10 error annotations per step, so past nine
// violated rules the tenth annotation names the rest.
#pragma once

#include <string>
#include <string_view>

#include "gate/check_report.hpp"

namespace fragreplay::gate {

inline constexpr std::size_t kMaxErrorAnnotations = 10;

std::string github_annotations(const CheckReport& check);

// The runner's escaping: a command's message escapes % CR LF (%25 %0D %0A); a property value
// (title=, file=) also escapes : and , (%3A %2C).
std::string github_escape_data(std::string_view text);
std::string github_escape_property(std::string_view text);

}  // namespace fragreplay::gate

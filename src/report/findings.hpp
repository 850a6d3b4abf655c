// Findings: advice drawn from the kernel documentation, each tied to the trace. A rule turns the
// replay's per-allocation facts (replay/finding_facts.hpp) into findings with a stable rule id, a
// severity, the tag and routine, how often, the bytes at stake, the first trace line, and one
// sentence of rationale naming the documentation page it rests on. Every renderer (JSON, HTML,
// Markdown, CSV) shows the same list in the same order.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/finding.hpp"
#include "replay/results.hpp"

namespace fragreplay::report {

// Every finding of a replay: most severe first, then most bytes, then by rule, tag and routine.
std::vector<Finding> findings(const replay::Results& results);

}  // namespace fragreplay::report

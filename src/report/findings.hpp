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

#include "replay/results.hpp"

namespace fragreplay::report {

enum class Severity : std::uint8_t { kInfo, kWarning, kError };
const char* severity_name(Severity s);
// "info", "warning" or "error"; nullopt otherwise.
std::optional<Severity> parse_severity(std::string_view name);

struct Finding {
  std::string rule;  // a RuleInfo id
  Severity severity = Severity::kInfo;
  std::string tag;      // as reports show tags ("" for none)
  std::string routine;  // the kernel routine
  std::uint64_t count = 0;
  std::uint64_t bytes = 0;       // at stake; what it measures depends on the rule (kRules)
  std::uint64_t first_line = 0;  // trace line of the first occurrence
  std::string rationale;         // one sentence, citing the documentation
};

// The rules, in the order the README documents them.
struct RuleInfo {
  const char* id;
  const char* what;   // what the rule looks for
  const char* bytes;  // what `bytes` measures
  const char* doc;    // the documentation it rests on
};
extern const std::array<RuleInfo, 7> kRules;

// Every finding of a replay: most severe first, then most bytes, then by rule, tag and routine.
std::vector<Finding> findings(const replay::Results& results);

// How many findings have each severity (indexed by Severity).
std::array<std::size_t, 3> count_by_severity(const std::vector<Finding>& findings);
// "1 error, 3 warnings, 2 info" (severities with no finding left out; "none" when empty).
std::string severity_counts(const std::vector<Finding>& findings);

}  // namespace fragreplay::report

// A finding as every output shows it and as the gate reads it back: the rule that produced it,
// its severity, the tag and routine, how often, the bytes at stake, the first trace line and one
// sentence of rationale. The rules themselves (report/findings.hpp) turn replay facts into
// findings; the gate (src/gate) compares and limits findings read back from reports. Both need
// only this value, so it lives in base.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fragreplay {

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

// How many findings have each severity (indexed by Severity).
std::array<std::size_t, 3> count_by_severity(const std::vector<Finding>& findings);
// "1 error, 3 warnings, 2 info" (severities with no finding left out; "none" when empty).
std::string severity_counts(const std::vector<Finding>& findings);

}  // namespace fragreplay

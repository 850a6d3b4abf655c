// The machine-readable verdict of `fragreplay check --json`: pass or fail, each rule with its
// result and violations, and the changes from the baseline. Field names live here;
// docs/schema.md §9 documents them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "gate/check_report.hpp"

namespace fragreplay::gate {

inline constexpr int kCheckSchemaVersion = 1;

// `all`: the changes include the unchanged values too.
nlohmann::ordered_json check_json(const CheckReport& check, bool all);
// Pretty-printed with a trailing newline; strings that are not UTF-8 are repaired, not fatal.
std::string check_json_text(const CheckReport& check, bool all);

}  // namespace fragreplay::gate

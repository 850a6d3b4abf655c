// The reports of a what-if run (one trace under several profiles): a side-by-side terminal table
// of the figures that differ between eras, and one JSON document holding the single-profile
// report of each profile (README.md, "What-if: one trace under several profiles").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "replay/results.hpp"

namespace fragreplay::report {

// Side-by-side summary, one column per profile. REQUIRES: results is not empty, all from the same
// trace.
std::string what_if_text(const std::vector<replay::Results>& results);

// {"schema_version": 1, "kind": "what_if", "tool", "trace", "profiles": [names],
//  "results": [one single-profile report per profile, as to_json() writes it]}.
nlohmann::ordered_json what_if_json(const std::vector<replay::Results>& results);
std::string what_if_json_text(const std::vector<replay::Results>& results);

}  // namespace fragreplay::report

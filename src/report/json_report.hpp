// The machine-readable report: one JSON document per replay, versioned by schema_version. Field
// names live here and nowhere else; docs/schema.md §1 documents the schema. Output is
// deterministic: the same Results give byte-identical text.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/report_schema.hpp"
#include "replay/results.hpp"

namespace fragreplay::report {

nlohmann::ordered_json to_json(const replay::Results& results);
// Pretty-printed with a trailing newline.
std::string to_json_text(const replay::Results& results);

}  // namespace fragreplay::report

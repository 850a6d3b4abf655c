// The machine-readable report: one JSON document per replay, versioned by schema_version. Field
// names live here and nowhere else; README.md documents the schema. Output is deterministic:
// the same Results give byte-identical text.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "replay/results.hpp"

namespace fragreplay::report {

inline constexpr int kSchemaVersion = 1;

nlohmann::ordered_json to_json(const replay::Results& results);
// Pretty-printed with a trailing newline.
std::string to_json_text(const replay::Results& results);

// Row order shared by every renderer: by total waste (descending), then by name.
std::vector<std::size_t> tags_by_waste(const replay::Results& results);
std::vector<std::size_t> routines_by_waste(const replay::Results& results);
std::vector<std::size_t> processes_by_waste(const replay::Results& results);
// The tag as reports show it; an empty tag is "(none)".
std::string tag_label(Tag tag);

}  // namespace fragreplay::report

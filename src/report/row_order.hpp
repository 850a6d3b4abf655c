// The order and labels of report rows, shared by every renderer (text, JSON, CSV, Markdown,
// HTML) so that all of them list tags, routines and processes alike.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "base/tag.hpp"
#include "replay/results.hpp"

namespace fragreplay::report {

// Row order shared by every renderer: by total waste (descending), then by name.
std::vector<std::size_t> tags_by_waste(const replay::Results& results);
std::vector<std::size_t> routines_by_waste(const replay::Results& results);
std::vector<std::size_t> processes_by_waste(const replay::Results& results);
std::vector<std::size_t> modules_by_waste(const replay::Results& results);
// The tag as reports show it; an empty tag is "(none)".
std::string tag_label(Tag tag);
// A driver module as reports show it; the row of tags no pool-tag entry owns is "(unowned)".
std::string module_label(const std::string& module);

}  // namespace fragreplay::report

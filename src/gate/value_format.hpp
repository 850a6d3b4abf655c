// How `diff` and `check` write a metric's value, a change and a relative change, in every
// output (terminal, Markdown, JUnit, annotations), so the same number always reads the same.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "gate/metric_catalog.hpp"

namespace fragreplay::gate {

// |v| rounded to an integer, saturating at the largest uint64 (reports are untrusted input: a
// value may be 1e308).
std::uint64_t saturated_magnitude(double v);

// "1.50 KiB", "1,234", "3.20 ms", "0.25"; negative values get a leading '-'.
std::string format_value(Unit unit, double v);
// The value exactly: "1,536 B", "1,234", "3,200,000 ns" (for when rounding would hide a change).
std::string format_exact(Unit unit, double v);
// Two values that must read differently when they differ: rounded when that shows the
// difference, otherwise both exactly.
std::pair<std::string, std::string> format_pair(Unit unit, double a, double b);
// A change with its sign: "+1.50 KiB", "-3", "0".
std::string format_change(Unit unit, double delta);
// 100 * (new - old) / |old|: "+12.3 %", "-0.5 %", "+<0.1 %", "0.0 %"; nullopt when old is 0 and
// the values differ (no finite relative change).
std::optional<double> relative_change(double old_value, double new_value);
std::string format_percent(double percent);
// A limit as a person would have written it: "4 KiB", "1 MiB" for whole binary units, else
// exactly ("3,000 B", "12"). Values compared with it are written by format_against().
std::string format_limit(Unit unit, double limit);
// `v` beside `limit`: exactly when the limit is written exactly, else rounded (exactly if
// rounding would make it read like the limit).
std::string format_against(Unit unit, double v, double limit);
// A limit in percent as written: "5 %", "2.5 %".
std::string format_limit_percent(double percent);

}  // namespace fragreplay::gate

// The HTML report's views of a capture's call stacks (replay::Results::stacks): a bottom-up table
// (each caller with the frames that called it) and a flame graph of turnover waste by stack.
// Stacks with the same frames (rows of different tags) are merged. Both views are empty when the
// replay has no stacks; every label comes from the trace and is escaped.
#pragma once

#include <cstddef>
#include <string>

#include "replay/results.hpp"

namespace fragreplay::report::html {

// The bottom-up table: at most kBottomUpCallers callers, each with at most kBottomUpChildren of
// its own callers; a note says how many were left out.
inline constexpr std::size_t kBottomUpCallers = 50;
inline constexpr std::size_t kBottomUpChildren = 10;
std::string stacks_bottom_up_view(const replay::Results& r);

// The flame graph's geometry, in viewBox units: boxes share kFlamePlotWidth in proportion to
// their waste, starting at kFlameLeft; at most kFlameMaxDepth frames above the root; boxes
// narrower than kFlameMinWidth are left out (and counted in a note).
inline constexpr double kFlameWidth = 1000;
inline constexpr double kFlameLeft = 10;
inline constexpr double kFlamePlotWidth = kFlameWidth - 2 * kFlameLeft;
inline constexpr std::size_t kFlameMaxDepth = 64;
inline constexpr double kFlameMinWidth = 0.5;
std::string stacks_flame_view(const replay::Results& r);

}  // namespace fragreplay::report::html

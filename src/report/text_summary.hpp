// The terminal summary: the figures that matter first, fitting 80 columns.
#pragma once

#include <cstddef>
#include <string>

#include "replay/results.hpp"

namespace fragreplay::report {

struct TextOptions {
  std::size_t top_tags = 10;
  std::size_t failures_shown = 5;
};

std::string text_summary(const replay::Results& results, const TextOptions& options = {});

}  // namespace fragreplay::report

// The terminal output of `fragreplay check`: what was compared, every change from the baseline,
// each rule with its result, and the verdict.
#pragma once

#include <string>

#include "gate/check_report.hpp"

namespace fragreplay::gate {

struct CheckTextOptions {
  bool all = false;    // also the unchanged values
  bool quiet = false;  // only violated rules and the verdict
};

std::string check_text(const CheckReport& check, const CheckTextOptions& options);

}  // namespace fragreplay::gate

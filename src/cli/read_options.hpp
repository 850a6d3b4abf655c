// The --on-bad-line option every command that reads traces takes.
#pragma once

#include <string>

#include "trace/trace_reader.hpp"

namespace fragreplay::cli {

// "fail" or "skip"; throws Error naming the option otherwise.
trace::ReadOptions parse_on_bad_line(const std::string& policy);

}  // namespace fragreplay::cli

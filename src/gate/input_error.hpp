// A gate that could not run is a failed gate, and CI must show it where it shows a violated
// rule: when `check` refuses its input (a malformed trace, report, baseline or limits file), the
// CI outputs asked for are still written, each naming the file and line that was refused.
//   --github: one ::error annotation at that file and line;
//   --junit:  a suite holding one test case, "run", with an <error> carrying the message.
// The command still exits 2 with the message on standard error (docs/schema.md §11).
#pragma once

#include <cstdint>
#include <string>

namespace fragreplay::gate {

struct InputError {
  std::string file;        // "" when the problem is not in one file (a bad option)
  std::uint64_t line = 0;  // 1-based; 0 = unknown
  std::string message;     // without the position
};

std::string github_input_error(const InputError& e);
std::string junit_input_error(const InputError& e, const std::string& input);

}  // namespace fragreplay::gate

// Running the whole command line in-process, as the cli tests do: arguments in, exit status and
// both streams out.
#pragma once

#include <sstream>
#include <string>

#include "cli/command.hpp"

namespace fragreplay::cli {

struct RunResult {
  int status;
  std::string out;
  std::string err;
};

inline RunResult run_cli(const Args& args) {
  std::ostringstream out, err;
  const int status = run(args, Io{out, err});
  return {status, out.str(), err.str()};
}

}  // namespace fragreplay::cli

// Refusing an output that names the input (see output_guard.hpp).
#include "cli/output_guard.hpp"

#include <sys/stat.h>

#include "base/error.hpp"

namespace fragreplay::cli {

void refuse_output_over_input(const std::string& input, const std::string& output,
                              const std::string& option) {
  if (input == "-" || output == "-") return;
  struct stat in {
  }, out{};
  const bool same = input == output ||
                    (::stat(input.c_str(), &in) == 0 && ::stat(output.c_str(), &out) == 0 &&
                     S_ISREG(in.st_mode) && in.st_dev == out.st_dev && in.st_ino == out.st_ino);
  if (same) {
    throw Error("option '" + option + "': " + output +
                " is the input being read; writing it would destroy the trace (choose another "
                "file)");
  }
}

}  // namespace fragreplay::cli

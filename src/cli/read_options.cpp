// --on-bad-line (see read_options.hpp).
#include "cli/read_options.hpp"

#include "base/error.hpp"

namespace fragreplay::cli {

trace::ReadOptions parse_on_bad_line(const std::string& policy) {
  trace::ReadOptions options;
  if (policy == "skip") {
    options.on_bad_line = trace::BadLinePolicy::kSkip;
  } else if (policy != "fail") {
    throw Error("option '--on-bad-line': expected fail or skip, got \"" + policy + "\"");
  }
  return options;
}

}  // namespace fragreplay::cli

// Outputs that would destroy the input: `analyze x.csv --events-out x.csv` or `convert x.etl -o
// x.etl` replaced the trace being read with what was derived from it. Refused before anything
// is read, naming the option.
#pragma once

#include <string>

namespace fragreplay::cli {

// Throws Error when `output` (the value of `option`) is the file `input` names: the same path, or
// the same file through another name or a link. "-" (standard input or output) never clashes.
void refuse_output_over_input(const std::string& input, const std::string& output,
                              const std::string& option);

}  // namespace fragreplay::cli

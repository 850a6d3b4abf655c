// Output files of the commands that render in memory (see command.hpp).
#include <ostream>

#include "cli/command.hpp"
#include "report/output_file.hpp"

namespace fragreplay::cli {

void write_output(const std::string& path, const std::string& content, Io io) {
  if (path == "-") {
    io.out << content;
    io.out.flush();
  } else {
    report::write_file_atomically(path, content);
  }
}

}  // namespace fragreplay::cli

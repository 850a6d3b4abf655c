// fragreplay's entry point: hand the arguments to cli::run, standard output through a buffer
// that remembers why a write failed.
#include <iostream>

#include "cli/command.hpp"
#include "cli/stdout_buffer.hpp"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  fragreplay::cli::StdoutBuffer buffer;
  std::ostream out(&buffer);
  return fragreplay::cli::run(fragreplay::cli::Args(argv + 1, argv + argc),
                              fragreplay::cli::Io{out, std::cerr, &buffer});
}

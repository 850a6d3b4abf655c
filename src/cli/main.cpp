// fragreplay's entry point: hand the arguments to cli::run.
#include <iostream>

#include "cli/command.hpp"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return fragreplay::cli::run(fragreplay::cli::Args(argv + 1, argv + argc),
                              fragreplay::cli::Io{std::cout, std::cerr});
}

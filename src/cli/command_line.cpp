// Subcommand argument parsing (see command_line.hpp).
#include "cli/command_line.hpp"

#include <string>

namespace fragreplay::cli {
namespace po = boost::program_options;

po::variables_map parse_command_line(const Args& args, const po::options_description& visible,
                                     po::options_description hidden, const char* positional) {
  hidden.add_options()(positional, po::value<std::string>());
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positions;
  positions.add(positional, 1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(positions).run(), vm);
  po::notify(vm);
  return vm;
}

}  // namespace fragreplay::cli

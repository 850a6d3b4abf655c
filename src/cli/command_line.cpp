// Subcommand argument parsing (see command_line.hpp).
#include "cli/command_line.hpp"

#include <string>
#include <vector>

namespace fragreplay::cli {
namespace po = boost::program_options;

namespace {

po::variables_map parse(const Args& args, const po::options_description& visible,
                        const po::options_description& hidden, const char* positional,
                        int max_count) {
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positions;
  positions.add(positional, max_count);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(positions).run(), vm);
  po::notify(vm);
  return vm;
}

}  // namespace

po::variables_map parse_command_line(const Args& args, const po::options_description& visible,
                                     po::options_description hidden, const char* positional) {
  hidden.add_options()(positional, po::value<std::string>());
  return parse(args, visible, hidden, positional, 1);
}

po::variables_map parse_command_line_list(const Args& args, const po::options_description& visible,
                                          po::options_description hidden, const char* positional) {
  hidden.add_options()(positional, po::value<std::vector<std::string>>());
  return parse(args, visible, hidden, positional, -1);
}

}  // namespace fragreplay::cli

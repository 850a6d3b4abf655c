// Parsing a subcommand's arguments: its documented options, options kept out of --help, and its
// positional arguments (one input, or a list of them). One place, so every command parses alike.
#pragma once

#include <boost/program_options.hpp>

#include "cli/command.hpp"

namespace fragreplay::cli {

// Parses `args` against `visible` and `hidden` plus the single positional argument stored under
// `positional` (a string, hidden from --help). Throws boost::program_options errors, which run()
// reports.
boost::program_options::variables_map parse_command_line(
    const Args& args, const boost::program_options::options_description& visible,
    boost::program_options::options_description hidden, const char* positional);

// The same with any number of positional arguments, stored under `positional` as a
// std::vector<std::string> (absent when none is given).
boost::program_options::variables_map parse_command_line_list(
    const Args& args, const boost::program_options::options_description& visible,
    boost::program_options::options_description hidden, const char* positional);

}  // namespace fragreplay::cli

// Parsing a subcommand's arguments: its documented options, options kept out of --help, and one
// positional argument (the input). One place, so every command parses alike.
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

}  // namespace fragreplay::cli

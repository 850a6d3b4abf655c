// The input options every command that reads a trace shares: what to do with a malformed line or
// record, and the timestamp unit of text exports that do not state it.
#pragma once

#include <boost/program_options.hpp>

#include "trace/trace_reader.hpp"

namespace fragreplay::cli {

// Adds --on-bad-line and --time-unit to `options`.
void add_read_options(boost::program_options::options_description& options);

// Reads them back. Throws Error for a value that is not one of the accepted ones.
trace::ReadOptions read_options_from(const boost::program_options::variables_map& vm);

}  // namespace fragreplay::cli

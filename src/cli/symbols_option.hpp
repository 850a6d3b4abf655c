// --symbols FILE: names the call sites of a Linux capture with a kernel symbol table (System.map
// or a copy of /proc/kallsyms; trace/kernel_symbols.hpp), so the reports show
// "function+0xoff" rather than the address. Sites the trace printed symbolised keep their name.
#pragma once

#include <boost/program_options.hpp>
#include <memory>

#include "replay/results.hpp"

namespace fragreplay::cli {

void add_symbols_option(boost::program_options::options_description& options);

// Loads the file --symbols names, if any (throws Error for a file that is not a symbol table).
// Returns a function naming the call sites of one replay's Results; a no-op without --symbols.
class CallSiteNamer {
 public:
  explicit CallSiteNamer(const boost::program_options::variables_map& vm);
  ~CallSiteNamer();
  void name(replay::Results& results) const;

 private:
  struct Table;
  std::unique_ptr<Table> table_;
};

}  // namespace fragreplay::cli

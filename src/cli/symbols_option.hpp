// --symbols FILE (repeatable): symbol tables that name code addresses, each file told apart by
// its content.
//   - An MSVC linker map (link /MAP; trace/module_symbols.hpp), one per Windows driver: the frames
//     of a Windows trace's stacks in that driver are named "mydriver.sys!Function+0xoff", their
//     callers' rows among them (docs/attribution.md §3). The maps go to the replay's caller rules
//     (replay/stack_caller.hpp), since the rows by call site are made at the end of the replay.
//   - Anything else: a Linux kernel symbol table (System.map or a copy of /proc/kallsyms;
//     trace/linux/kernel_symbols.hpp), at most one, which names the call sites of a Linux capture
//     "function+0xoff" after the replay. Sites the trace printed symbolised keep their name.
#pragma once

#include <boost/program_options.hpp>
#include <memory>

#include "replay/results.hpp"
#include "trace/linux/kernel_symbols.hpp"
#include "trace/module_symbols.hpp"

namespace fragreplay::cli {

void add_symbols_option(boost::program_options::options_description& options);

// The files --symbols names, each read once. Null members: no file of that kind.
struct SymbolTables {
  std::shared_ptr<const trace::ModuleSymbols> modules;  // the linker maps
  std::shared_ptr<const trace::KernelSymbols> kernel;   // the Linux table
};

// Reads every --symbols file (none without the option). Throws Error for a file that cannot be
// read, a map or table that does not parse, two maps of one module, or two Linux tables.
SymbolTables read_symbol_tables(const boost::program_options::variables_map& vm);

// Names the call sites of one replay's Results from a Linux table; a no-op without one.
class CallSiteNamer {
 public:
  explicit CallSiteNamer(std::shared_ptr<const trace::KernelSymbols> table);
  void name(replay::Results& results) const;

 private:
  std::shared_ptr<const trace::KernelSymbols> table_;
};

}  // namespace fragreplay::cli

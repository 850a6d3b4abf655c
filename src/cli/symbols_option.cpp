// --symbols (see symbols_option.hpp).
#include "cli/symbols_option.hpp"

#include <string>

#include "trace/linux/kernel_symbols.hpp"

namespace fragreplay::cli {
namespace po = boost::program_options;

struct CallSiteNamer::Table {
  trace::KernelSymbols symbols;
};

void add_symbols_option(po::options_description& options) {
  options.add_options()("symbols", po::value<std::string>(),
                        "name the call sites of a Linux capture with this kernel symbol table "
                        "(System.map or a copy of /proc/kallsyms): function+0xoff");
}

CallSiteNamer::CallSiteNamer(const po::variables_map& vm) {
  if (!vm.count("symbols")) return;
  table_ =
      std::make_unique<Table>(Table{trace::KernelSymbols::load(vm["symbols"].as<std::string>())});
}

CallSiteNamer::~CallSiteNamer() = default;

void CallSiteNamer::name(replay::Results& results) const {
  if (!table_) return;
  for (replay::CallSite& site : results.call_sites) {
    if (site.address != 0 && site.name.empty()) site.name = table_->symbols.describe(site.address);
  }
}

}  // namespace fragreplay::cli

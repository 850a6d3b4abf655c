// --symbols (see symbols_option.hpp).
#include "cli/symbols_option.hpp"

#include <string>
#include <utility>
#include <vector>

#include "base/error.hpp"
#include "trace/side_file.hpp"

namespace fragreplay::cli {
namespace po = boost::program_options;

void add_symbols_option(po::options_description& options) {
  options.add_options()(
      "symbols", po::value<std::vector<std::string>>()->composing(),
      "a symbol table, recognised by its content (repeatable): an MSVC linker map (link /MAP, "
      "one per driver) names a Windows trace's stack frames in that driver as "
      "driver.sys!Function+0xoff; System.map or a copy of /proc/kallsyms (at most one) names "
      "a Linux capture's call sites as function+0xoff (docs/attribution.md §3)");
}

SymbolTables read_symbol_tables(const po::variables_map& vm) {
  SymbolTables tables;
  if (!vm.count("symbols")) return tables;
  auto modules = std::make_shared<trace::ModuleSymbols>();
  std::string kernel_path;
  for (const std::string& path : vm["symbols"].as<std::vector<std::string>>()) {
    const std::string text = trace::read_side_file(path);
    if (trace::ModuleSymbols::is_linker_map(text)) {
      modules->add(text, path);
      continue;
    }
    if (tables.kernel) {
      throw Error("option '--symbols': " + kernel_path + " and " + path +
                  " are both Linux symbol tables; give one (linker maps, one per Windows "
                  "driver, may be given beside it)");
    }
    tables.kernel =
        std::make_shared<const trace::KernelSymbols>(trace::KernelSymbols::parse(text, path));
    kernel_path = path;
  }
  if (modules->modules() != 0) tables.modules = std::move(modules);
  return tables;
}

CallSiteNamer::CallSiteNamer(std::shared_ptr<const trace::KernelSymbols> table)
    : table_(std::move(table)) {}

void CallSiteNamer::name(replay::Results& results) const {
  if (!table_) return;
  for (replay::CallSite& site : results.call_sites) {
    if (site.address != 0 && site.name.empty()) site.name = table_->describe(site.address);
  }
}

}  // namespace fragreplay::cli

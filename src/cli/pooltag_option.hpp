// --pooltag FILE: names each tag's driver from a pool-tag list in the format of the WDK's
// pooltag.txt (trace/pooltag_list.hpp, docs/formats.md §9), and adds the rows by driver module
// (replay/module_rows.hpp) to every report.
#pragma once

#include <boost/program_options.hpp>
#include <memory>
#include <ostream>

#include "replay/results.hpp"

namespace fragreplay::cli {

void add_pooltag_option(boost::program_options::options_description& options);

// Loads the file --pooltag names, if any (throws Error for a file that holds no entry); says on
// `err` how many of its lines were not entries. name() gives one replay's Results the owners of
// its tags and its rows by module; a no-op without --pooltag.
class TagOwnerNamer {
 public:
  TagOwnerNamer(const boost::program_options::variables_map& vm, std::ostream& err);
  ~TagOwnerNamer();
  void name(replay::Results& results) const;

 private:
  struct Table;
  std::unique_ptr<Table> table_;
};

}  // namespace fragreplay::cli

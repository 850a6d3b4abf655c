// --pooltag (see pooltag_option.hpp).
#include "cli/pooltag_option.hpp"

#include <string>
#include <vector>

#include "cli/terminal_text.hpp"
#include "replay/module_rows.hpp"
#include "trace/pooltag_list.hpp"

namespace fragreplay::cli {
namespace po = boost::program_options;

struct TagOwnerNamer::Table {
  trace::PoolTagList list;
};

void add_pooltag_option(po::options_description& options) {
  options.add_options()("pooltag", po::value<std::string>(),
                        "name each tag's driver from this pool-tag list (the format of the "
                        "WDK's pooltag.txt: 'Tag - driver.sys - description') and add the rows "
                        "by driver module");
  options.add_options()(
      "pool-wrapper", po::value<std::vector<std::string>>()->composing(),
      "an image (file name, e.g. mywrap.sys) that allocates pool for its callers, like the "
      "kernel's own: a stack's caller is the first frame outside it (repeatable; "
      "docs/attribution.md)");
}

TagOwnerNamer::TagOwnerNamer(const po::variables_map& vm, std::ostream& err) {
  if (!vm.count("pooltag")) return;
  const std::string path = vm["pooltag"].as<std::string>();
  table_ = std::make_unique<Table>(Table{trace::PoolTagList::load(path)});
  const trace::PoolTagList& list = table_->list;
  if (list.skipped_lines() != 0) {
    err << "fragreplay: note: " << terminal_text(path) << ": " << list.skipped_lines()
        << (list.skipped_lines() == 1 ? " line is" : " lines are")
        << " not a 'Tag - binary - description' entry (first: line " << list.first_skipped_line()
        << "); skipped\n";
  }
}

TagOwnerNamer::~TagOwnerNamer() = default;

void TagOwnerNamer::name(replay::Results& results) const {
  if (!table_) return;
  std::vector<replay::TagOwnerInfo> owners(results.tags.size());
  for (std::size_t i = 0; i < results.tags.size(); ++i) {
    if (const trace::TagOwner* o = table_->list.find(results.tags[i])) {
      owners[i] = replay::TagOwnerInfo{o->binary, o->description, o->module()};
    }
  }
  replay::attribute_modules(results, std::move(owners));
}

}  // namespace fragreplay::cli

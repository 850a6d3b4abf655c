// `fragreplay merge REPORTS... -o FLEET.json`: folds reports (analyze --json, what-if reports,
// earlier merges) into one fleet summary (report/fleet.hpp). Associative: merging merges gives
// the bytes merging everything at once gives.
#include <boost/program_options.hpp>
#include <iostream>

#include "base/error.hpp"
#include "cli/command.hpp"
#include "cli/command_line.hpp"
#include "cli/fleet_files.hpp"
#include "gate/fleet.hpp"
#include "gate/fleet_reader.hpp"
#include "report/output_file.hpp"

namespace fragreplay::cli {
namespace po = boost::program_options;

namespace {

constexpr const char* kIntro =
    "Usage: fragreplay merge REPORT... -o FLEET.json\n"
    "\n"
    "Combines JSON reports into one fleet summary: counts, bytes and waste added up, overall\n"
    "and per tag and routine, contiguous failures by cause, data quality, one row per\n"
    "report. A REPORT is what 'analyze --json' writes (a what-if report counts once per\n"
    "profile), or a fleet summary from an earlier merge or 'batch': merging is associative,\n"
    "so traces can be sharded over machines and the pieces merged in any grouping.\n";

constexpr const char* kOutro =
    "\n"
    "Examples:\n"
    "  fragreplay merge a.json b.json c.json -o fleet.json\n"
    "  fragreplay merge shard1/fleet.json shard2/fleet.json -o fleet.json\n";

}  // namespace

int merge_command(const Args& args, Io io) {
  po::options_description visible("Options");
  visible.add_options()("output,o", po::value<std::string>(),
                        "the fleet summary to write ('-' = standard output)")(
      "quiet,q", po::bool_switch(), "print no summary")("help,h", po::bool_switch(),
                                                        "show this help");
  const po::variables_map vm =
      parse_command_line_list(args, visible, po::options_description(), "report");
  if (vm["help"].as<bool>()) {
    io.out << kIntro << "\n" << visible << kOutro;
    return kExitOk;
  }
  if (!vm.count("report")) throw Error("merge: no REPORT given (see 'fragreplay merge --help')");
  if (!vm.count("output")) throw Error("merge: missing -o FLEET.json ('-' = standard output)");
  gate::FleetMerge merge;
  for (const auto& path : vm["report"].as<std::vector<std::string>>()) {
    merge.add(read_fleet_file(path), path);
  }
  const nlohmann::json& fleet = merge.fleet();
  const std::string out = vm["output"].as<std::string>();
  report::write_file_atomically(out, gate::fleet_text(fleet));
  if (!vm["quiet"].as<bool>() && out != "-") io.out << gate::fleet_summary(fleet);
  return kExitOk;
}

}  // namespace fragreplay::cli

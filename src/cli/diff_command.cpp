// `fragreplay diff OLD.json NEW.json`: two reports side by side, every metric, tag, routine,
// DMA adapter and finding with its absolute and relative change, largest first.
#include <boost/program_options.hpp>
#include <iostream>

#include "base/error.hpp"
#include "cli/command.hpp"
#include "cli/command_line.hpp"
#include "gate/diff_json.hpp"
#include "gate/diff_text.hpp"
#include "gate/report_diff.hpp"
#include "gate/report_reader.hpp"

namespace fragreplay::cli {
namespace po = boost::program_options;

namespace {

constexpr const char* kIntro =
    "Usage: fragreplay diff OLD.json NEW.json [options]\n"
    "\n"
    "Compares two JSON reports (written by 'fragreplay analyze --json'): every metric, and\n"
    "every tag, routine, process, DMA adapter and finding, with the old and new value, the\n"
    "change and the relative change. Within each section the largest relative change comes\n"
    "first (a value that was 0 or absent counts as the largest). Unchanged values are hidden\n"
    "unless --all.\n"
    "\n"
    "Reports of any schema version this fragreplay reads can be compared; one it does not\n"
    "know is refused with a message naming both versions.\n";

constexpr const char* kOutro =
    "\n"
    "Examples:\n"
    "  fragreplay diff base.json new.json\n"
    "  fragreplay diff base.json new.json --all --json changes.json\n"
    "  fragreplay diff base.json new.json --exit-code || echo 'something changed'\n"
    "\n"
    "To fail CI on a regression, use 'fragreplay check' with a limits file.\n"
    "Exit status: 0 success (1 with --exit-code when a value changed), 2 bad input or usage.\n";

}  // namespace

int diff_command(const Args& args, Io io) {
  po::options_description visible("Options");
  visible.add_options()("all,a", po::bool_switch(), "also show the values that did not change")(
      "json", po::value<std::string>(),
      "write the comparison as JSON to FILE ('-' = standard output, instead of the tables)")(
      "exit-code", po::bool_switch(), "exit with status 1 when any value changed")(
      "help,h", po::bool_switch(), "show this help");
  const po::variables_map vm =
      parse_command_line_list(args, visible, po::options_description(), "reports");

  if (vm["help"].as<bool>()) {
    io.out << kIntro << "\n" << visible << kOutro;
    return kExitOk;
  }
  const auto reports = vm.count("reports") ? vm["reports"].as<std::vector<std::string>>()
                                           : std::vector<std::string>{};
  if (reports.size() != 2) {
    throw Error("diff: expected two reports, OLD.json and NEW.json, got " +
                std::to_string(reports.size()) + " (see 'fragreplay diff --help')");
  }
  const gate::ReportMetrics old_report = gate::read_report_file(reports[0]);
  const gate::ReportMetrics new_report = gate::read_report_file(reports[1]);
  const gate::ReportDiff diff = gate::diff_reports(old_report, new_report);
  const bool show_all = vm["all"].as<bool>();

  const bool json_to_stdout = vm.count("json") && vm["json"].as<std::string>() == "-";
  if (vm.count("json")) {
    write_output(vm["json"].as<std::string>(),
                 gate::diff_json(diff, old_report, new_report, show_all)
                         .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
                     "\n",
                 io);
  }
  if (!json_to_stdout) io.out << gate::diff_text(diff, old_report, new_report, show_all);
  return vm["exit-code"].as<bool>() && diff.changed != 0 ? kExitViolation : kExitOk;
}

}  // namespace fragreplay::cli

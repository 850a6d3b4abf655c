// `fragreplay analyze TRACE`: replay one trace under one profile and report.
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>
#include <sstream>

#include "base/error.hpp"
#include "cli/command.hpp"
#include "cli/trace_replay.hpp"
#include "report/events_csv.hpp"
#include "report/json_report.hpp"
#include "report/output_file.hpp"
#include "report/text_summary.hpp"

namespace fragreplay::cli {
namespace po = boost::program_options;

namespace {

constexpr const char* kIntro =
    "Usage: fragreplay analyze TRACE [options]\n"
    "\n"
    "Replays TRACE through a model of the Windows kernel pool and of physical memory,\n"
    "then prints what the allocations cost: bytes requested, bytes occupied (footprint),\n"
    "the waste split into pool headers, block-granularity rounding and sub-page rounding,\n"
    "and every contiguous allocation that failed, with its cause (exhaustion,\n"
    "fragmentation or constraint).\n"
    "\n"
    "TRACE is a native trace (traces/README.md); '-' reads standard input.\n";

constexpr const char* kOutro =
    "\n"
    "Examples:\n"
    "  fragreplay analyze traces/sample-nic.csv\n"
    "  fragreplay analyze trace.csv --profile nt5-x86 --ram 512MiB --json report.json\n"
    "  fragreplay analyze trace.csv --events-out events.csv --on-bad-line skip\n"
    "\n"
    "Exit status: 0 success, 2 bad input or usage, 3 internal error.\n";

}  // namespace

int analyze_command(const Args& args, Io io) {
  po::options_description visible("Options");
  add_model_options(visible);
  visible.add_options()("json", po::value<std::string>(),
                        "write the JSON report to FILE ('-' = standard output, "
                        "which replaces the summary)")(
      "events-out", po::value<std::string>(), "write one CSV row per event with its outcome");
  add_bad_line_option(visible);
  visible.add_options()("quiet,q", po::bool_switch(), "print no summary")(
      "help,h", po::bool_switch(), "show this help");
  po::options_description hidden;
  hidden.add_options()("trace", po::value<std::string>());
  add_hidden_replay_options(hidden);
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("trace", 1);

  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
  po::notify(vm);

  if (vm["help"].as<bool>()) {
    io.out << kIntro << "\n" << visible << kOutro;
    return kExitOk;
  }
  if (!vm.count("trace")) throw Error("analyze: missing TRACE (see 'fragreplay analyze --help')");
  TraceReplay replay(vm["trace"].as<std::string>(), vm);

  std::optional<report::AtomicFile> events_file;
  std::optional<report::EventsCsvWriter> events_writer;
  if (vm.count("events-out")) {
    events_file.emplace(vm["events-out"].as<std::string>());
    events_writer.emplace(events_file->get());
  }
  const replay::Results results = replay.run(events_writer ? &*events_writer : nullptr);
  if (events_writer) {
    events_writer->flush();
    events_file->commit();
  }

  const bool json_to_stdout = vm.count("json") && vm["json"].as<std::string>() == "-";
  if (vm.count("json"))
    report::write_file_atomically(vm["json"].as<std::string>(), report::to_json_text(results));
  if (!vm["quiet"].as<bool>() && !json_to_stdout) io.out << report::text_summary(results);
  return kExitOk;
}

}  // namespace fragreplay::cli

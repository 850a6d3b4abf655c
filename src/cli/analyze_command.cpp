// `fragreplay analyze TRACE`: replay one trace under one profile and report.
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>
#include <sstream>

#include "base/error.hpp"
#include "cli/command.hpp"
#include "cli/progress.hpp"
#include "cli/trace_replay.hpp"
#include "report/csv_reports.hpp"
#include "report/events_csv.hpp"
#include "report/html_report.hpp"
#include "report/json_report.hpp"
#include "report/markdown_report.hpp"
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
    "  fragreplay analyze trace.csv --html report.html --csv out/ --markdown summary.md\n"
    "  fragreplay analyze trace.csv --from 2s --to 2.5s --html window.html\n"
    "\n"
    "Exit status: 0 success, 2 bad input or usage, 3 internal error.\n";

}  // namespace

int analyze_command(const Args& args, Io io) {
  po::options_description visible("Options");
  add_model_options(visible);
  visible.add_options()("json", po::value<std::string>(),
                        "write the JSON report to FILE ('-' = standard output, "
                        "which replaces the summary)")(
      "events-out", po::value<std::string>(), "write one CSV row per event with its outcome")(
      "html", po::value<std::string>(),
      "write the HTML report to FILE: one self-contained page with charts, tables and findings")(
      "csv", po::value<std::string>(),
      "write CSV tables into DIR (created if missing): timeline, by_tag, by_routine, by_process, "
      "failures, findings")("markdown", po::value<std::string>(),
                            "write a short Markdown summary (for a pull-request comment) to FILE "
                            "('-' = standard output)");
  add_window_options(visible);
  add_progress_option(visible);
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
  const std::string path = vm["trace"].as<std::string>();

  const ReplaySettings settings = replay_settings(vm);
  const bool json_to_stdout = vm.count("json") && vm["json"].as<std::string>() == "-";
  const bool markdown_to_stdout = vm.count("markdown") && vm["markdown"].as<std::string>() == "-";
  if (json_to_stdout && markdown_to_stdout) {
    throw Error("options '--json -' and '--markdown -': only one report can go to standard output");
  }
  const ProgressMode progress_mode = parse_progress_mode(vm["progress"].as<std::string>());

  TraceReplay replay(path, settings);

  std::optional<report::AtomicFile> events_file;
  std::optional<report::EventsCsvWriter> events_writer;
  if (vm.count("events-out")) {
    events_file.emplace(vm["events-out"].as<std::string>());
    events_writer.emplace(events_file->get());
  }
  const replay::Results results =
      replay.run(events_writer ? &*events_writer : nullptr, progress_mode, io.err);
  if (events_writer) {
    events_writer->flush();
    events_file->commit();
  }

  if (vm.count("json"))
    report::write_file_atomically(vm["json"].as<std::string>(), report::to_json_text(results));
  if (vm.count("html"))
    report::write_file_atomically(vm["html"].as<std::string>(), report::html_report(results));
  if (vm.count("csv")) report::write_csv_reports(vm["csv"].as<std::string>(), results);
  if (markdown_to_stdout) {
    io.out << report::markdown_report(results);
  } else if (vm.count("markdown")) {
    report::write_file_atomically(vm["markdown"].as<std::string>(),
                                  report::markdown_report(results));
  }
  if (!vm["quiet"].as<bool>() && !json_to_stdout && !markdown_to_stdout)
    io.out << report::text_summary(results);
  return kExitOk;
}

}  // namespace fragreplay::cli

// `fragreplay analyze TRACE`: replay one trace under one profile and report.
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>
#include <sstream>

#include "base/error.hpp"
#include "cli/command.hpp"
#include "cli/command_line.hpp"
#include "cli/nothing_replayed.hpp"
#include "cli/output_guard.hpp"
#include "cli/pooltag_option.hpp"
#include "cli/progress.hpp"
#include "cli/read_options.hpp"
#include "cli/symbols_option.hpp"
#include "cli/terminal_text.hpp"
#include "cli/trace_replay.hpp"
#include "report/csv_reports.hpp"
#include "report/events_csv.hpp"
#include "report/html/html_report.hpp"
#include "report/json_report.hpp"
#include "report/markdown_report.hpp"
#include "report/output_file.hpp"
#include "report/text_summary.hpp"
#include "report/timeline_csv.hpp"
#include "report/what_if_report.hpp"
#include "trace/trace_reader.hpp"

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
    "TRACE is a native trace (traces/README.md), a raw ETW .etl file, xperf dumper text,\n"
    "tracerpt CSV, a WPA pool table CSV, or a Linux kmem capture (bpftrace 'ptr, bytes_req,\n"
    "bytes_alloc' lines or ftrace kmalloc/kfree/mm_page_* events, for the linux-slub\n"
    "profile), found by content (README.md, \"Input formats\"), gzip or zstd compressed or\n"
    "not; '-' reads standard input.\n";

constexpr const char* kOutro =
    "\n"
    "Examples:\n"
    "  fragreplay analyze traces/sample-nic.csv\n"
    "  fragreplay analyze trace.csv --profile nt5-x86 --ram 512MiB --json report.json\n"
    "  fragreplay analyze trace.csv --events-out events.csv --on-bad-line skip\n"
    "  fragreplay analyze trace.csv --html report.html --csv out/ --markdown summary.md\n"
    "  fragreplay analyze trace.csv --from 2s --to 2.5s --html window.html\n"
    "  fragreplay analyze trace.csv --ram 64GiB --background 30:7 --timeline-csv t.csv\n"
    "  fragreplay analyze trace.csv --memory-map 0x1000-0x9ffff,1MiB+511MiB\n"
    "  fragreplay analyze trace.csv --profile win7-x64,win8-x64,win10-19h1-x64\n"
    "  fragreplay analyze kmem.log --symbols System.map\n"
    "  fragreplay analyze trace.etl --symbols mydriver.map --symbols otherdrv.map\n"
    "  fragreplay analyze trace.etl --pooltag pooltag.txt --csv out/\n"
    "\n"
    "Exit status: 0 success, 2 bad input or usage, 3 internal error.\n";

// The report of a replay of nothing is still written (it says so), but not silently.
void warn_if_nothing_replayed(const replay::Results& results, const trace::InputFacts* facts,
                              Io io) {
  if (const auto why = nothing_replayed(results, facts))
    io.err << "fragreplay: warning: nothing to replay: " << terminal_text(*why) << "\n";
}

po::options_description analyze_options() {
  po::options_description visible("Options");
  add_model_options(visible);
  visible.add_options()("json", po::value<std::string>(),
                        "write the JSON report to FILE ('-' = standard output, "
                        "which replaces the summary)")(
      "events-out", po::value<std::string>(), "write one CSV row per event with its outcome");
  add_sampling_option(visible);
  visible.add_options()("timeline-csv", po::value<std::string>(),
                        "write the fragmentation timeline as CSV")(
      "html", po::value<std::string>(),
      "write the HTML report to FILE: one self-contained page with charts, tables and findings")(
      "csv", po::value<std::string>(),
      "write CSV tables into DIR (created if missing): timeline, by_tag, by_call_site (Linux), "
      "by_module (--pooltag), by_routine, by_process, failures, findings")(
      "markdown", po::value<std::string>(),
      "write a short Markdown summary (for a pull-request comment) to FILE "
      "('-' = standard output)");
  add_symbols_option(visible);
  add_pooltag_option(visible);
  add_window_options(visible);
  add_progress_option(visible);
  visible.add_options()("quiet,q", po::bool_switch(), "print no summary")(
      "help,h", po::bool_switch(), "show this help");
  add_read_options(visible);
  return visible;
}

// Where the reports go, checked before anything is read.
struct Outputs {
  bool json_to_stdout = false;
  bool markdown_to_stdout = false;
  bool quiet = false;
};

// What is added to a replay's Results from side files: call-site names, tag owners.
struct Namers {
  CallSiteNamer call_sites;
  TagOwnerNamer tag_owners;
  void name(replay::Results& r) const {
    call_sites.name(r);
    tag_owners.name(r);
  }
};

// What-if: parse once, replay under every profile in parallel, report the comparison.
int analyze_what_if(const po::variables_map& vm, const std::string& path,
                    const ReplaySettings& settings, ProgressMode progress_mode,
                    const Namers& namers, const Outputs& outputs, Io io) {
  for (const char* single : {"events-out", "html", "csv", "markdown", "timeline-csv"}) {
    if (vm.count(single)) {
      throw Error(std::string("option '--") + single +
                  "' reports on one profile; give a single --profile with it");
    }
  }
  std::vector<replay::Results> results = replay_what_if(path, settings, progress_mode, io.err);
  warn_if_nothing_replayed(results.front(), nullptr, io);
  for (replay::Results& r : results) namers.name(r);
  if (vm.count("json"))
    report::write_file_atomically(vm["json"].as<std::string>(), report::what_if_json_text(results));
  if (!outputs.quiet && !outputs.json_to_stdout)
    io.out << terminal_text(report::what_if_text(results), Newlines::kKeep);
  return kExitOk;
}

// Every report of one replay that the options ask for, and the summary unless it is silenced.
void write_reports(const po::variables_map& vm, const replay::Results& results,
                   const Outputs& outputs, Io io) {
  if (vm.count("json"))
    report::write_file_atomically(vm["json"].as<std::string>(), report::to_json_text(results));
  if (vm.count("timeline-csv")) {
    report::write_file_atomically(vm["timeline-csv"].as<std::string>(),
                                  report::timeline_csv(results));
  }
  if (vm.count("html"))
    report::write_file_atomically(vm["html"].as<std::string>(), report::html_report(results));
  if (vm.count("csv")) report::write_csv_reports(vm["csv"].as<std::string>(), results);
  if (outputs.markdown_to_stdout) {
    io.out << report::markdown_report(results);
  } else if (vm.count("markdown")) {
    report::write_file_atomically(vm["markdown"].as<std::string>(),
                                  report::markdown_report(results));
  }
  // The summary quotes tags and process names from the trace: no control character gets through.
  if (!outputs.quiet && !outputs.json_to_stdout && !outputs.markdown_to_stdout)
    io.out << terminal_text(report::text_summary(results), Newlines::kKeep);
}

}  // namespace

int analyze_command(const Args& args, Io io) {
  const po::options_description visible = analyze_options();
  po::options_description hidden;
  add_hidden_replay_options(hidden);
  const po::variables_map vm = parse_command_line(args, visible, hidden, "trace");

  if (vm["help"].as<bool>()) {
    io.out << kIntro << "\n" << visible << kOutro;
    return kExitOk;
  }
  if (!vm.count("trace")) throw Error("analyze: missing TRACE (see 'fragreplay analyze --help')");
  const std::string path = vm["trace"].as<std::string>();

  const ReplaySettings settings = replay_settings(vm);
  if (vm.count("timeline-csv") && !settings.replay.sampling) {
    throw Error("option '--timeline-csv' needs a timeline: drop '--sample-every off'");
  }
  Outputs outputs;
  outputs.json_to_stdout = vm.count("json") && vm["json"].as<std::string>() == "-";
  outputs.markdown_to_stdout = vm.count("markdown") && vm["markdown"].as<std::string>() == "-";
  outputs.quiet = vm["quiet"].as<bool>();
  if (outputs.json_to_stdout && outputs.markdown_to_stdout) {
    throw Error("options '--json -' and '--markdown -': only one report can go to standard output");
  }
  const ProgressMode progress_mode = parse_progress_mode(vm["progress"].as<std::string>());
  for (const char* output : {"json", "events-out", "timeline-csv", "html", "markdown"}) {
    if (vm.count(output))
      refuse_output_over_input(path, vm[output].as<std::string>(), std::string("--") + output);
  }
  const Namers namers{CallSiteNamer(settings.kernel_symbols), TagOwnerNamer(vm, io.err)};
  if (settings.profiles.size() > 1) {
    return analyze_what_if(vm, path, settings, progress_mode, namers, outputs, io);
  }

  TraceReplay replay(path, settings);
  std::optional<report::AtomicFile> events_file;
  std::optional<report::EventsCsvWriter> events_writer;
  if (vm.count("events-out")) {
    events_file.emplace(vm["events-out"].as<std::string>());
    events_writer.emplace(events_file->get());
  }
  replay::Results results =
      replay.run(events_writer ? &*events_writer : nullptr, progress_mode, io.err);
  namers.name(results);
  if (events_writer) {
    events_writer->flush();
    events_file->commit();
  }
  warn_if_nothing_replayed(results, &replay.facts(), io);
  write_reports(vm, results, outputs, io);
  return kExitOk;
}

}  // namespace fragreplay::cli

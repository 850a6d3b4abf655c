// `fragreplay analyze TRACE`: replay one trace under one profile and report.
#include <boost/program_options.hpp>
#include <chrono>
#include <iostream>
#include <optional>
#include <sstream>

#include "base/error.hpp"
#include "cli/command.hpp"
#include "cli/command_line.hpp"
#include "cli/progress.hpp"
#include "cli/read_options.hpp"
#include "cli/size_option.hpp"
#include "cli/time_option.hpp"
#include "model/machine.hpp"
#include "model/profile.hpp"
#include "replay/engine.hpp"
#include "report/csv_reports.hpp"
#include "report/events_csv.hpp"
#include "report/html_report.hpp"
#include "report/json_report.hpp"
#include "report/markdown_report.hpp"
#include "report/output_file.hpp"
#include "report/text_summary.hpp"
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
    "tracerpt CSV or a WPA pool table CSV, found by content (README.md, \"Input formats\"),\n"
    "gzip or zstd compressed or not; '-' reads standard input.\n";

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
  visible.add_options()(
      "profile,p", po::value<std::string>()->default_value(model::kDefaultProfile),
      "platform profile: nt5-x86 (Windows XP/2003, 32-bit) or win7-x64 (Windows 7, 64-bit)")(
      "ram", po::value<std::string>(),
      "modelled RAM: 512MiB, 16GiB or bytes (default: the profile's, 1GiB for nt5-x86, 4GiB "
      "for win7-x64); laid out like a PC (the 640 KiB-1 MiB hole, RAM above 3 GiB moved "
      "above 4 GiB)")("json", po::value<std::string>(),
                      "write the JSON report to FILE ('-' = standard output, "
                      "which replaces the summary)")(
      "events-out", po::value<std::string>(), "write one CSV row per event with its outcome")(
      "html", po::value<std::string>(),
      "write the HTML report to FILE: one self-contained page with charts, tables and findings")(
      "csv", po::value<std::string>(),
      "write CSV tables into DIR (created if missing): timeline, by_tag, by_routine, by_process, "
      "failures, findings")("markdown", po::value<std::string>(),
                            "write a short Markdown summary (for a pull-request comment) to FILE "
                            "('-' = standard output)")(
      "from", po::value<std::string>(),
      "count only from this trace time on (5ms, 2s, 1.5s, 250us, or ns); earlier events are "
      "replayed but not counted")(
      "to", po::value<std::string>(),
      "count only up to this trace time; later events are not replayed")(
      "progress", po::value<std::string>()->default_value("auto"),
      "progress line on stderr: auto (on a terminal, not under CI=true, for traces over 4 MiB), "
      "always, never")("quiet,q", po::bool_switch(), "print no summary")(
      "help,h", po::bool_switch(), "show this help");
  add_read_options(visible);
  po::options_description hidden;
  hidden.add_options()("check-invariants", po::bool_switch(),
                       "check every model invariant after every event");
  const po::variables_map vm = parse_command_line(args, visible, hidden, "trace");

  if (vm["help"].as<bool>()) {
    io.out << kIntro << "\n" << visible << kOutro;
    return kExitOk;
  }
  if (!vm.count("trace")) throw Error("analyze: missing TRACE (see 'fragreplay analyze --help')");
  const std::string path = vm["trace"].as<std::string>();

  const trace::ReadOptions read_options = read_options_from(vm);

  const model::Profile& profile = model::builtin_profile(vm["profile"].as<std::string>());
  model::MachineConfig config;
  if (vm.count("ram")) {
    const std::uint64_t ram = parse_size(vm["ram"].as<std::string>(), "ram");
    if (ram < (2u << 20)) throw Error("option '--ram': at least 2MiB of RAM is needed");
    if (ram > (1ull << 44)) throw Error("option '--ram': at most 16TiB of RAM can be modelled");
    config.ram = model::pc_ram_map(Bytes{ram}, profile.page_size);
  }

  replay::ReplayOptions replay_options;
  replay_options.check_invariants = vm["check-invariants"].as<bool>();
  if (vm.count("from"))
    replay_options.window.from_ns = parse_trace_time(vm["from"].as<std::string>(), "from");
  if (vm.count("to"))
    replay_options.window.to_ns = parse_trace_time(vm["to"].as<std::string>(), "to");
  if (replay_options.window.from_ns > replay_options.window.to_ns) {
    throw Error("options '--from' and '--to': the window ends before it starts");
  }
  const bool json_to_stdout = vm.count("json") && vm["json"].as<std::string>() == "-";
  const bool markdown_to_stdout = vm.count("markdown") && vm["markdown"].as<std::string>() == "-";
  if (json_to_stdout && markdown_to_stdout) {
    throw Error("options '--json -' and '--markdown -': only one report can go to standard output");
  }
  const ProgressMode progress_mode = parse_progress_mode(vm["progress"].as<std::string>());

  auto reader = trace::open_trace(path, read_options);
  model::Machine machine(profile, config);

  std::optional<report::AtomicFile> events_file;
  std::optional<report::EventsCsvWriter> events_writer;
  if (vm.count("events-out")) {
    events_file.emplace(vm["events-out"].as<std::string>());
    events_writer.emplace(events_file->get());
  }
  const auto started = std::chrono::steady_clock::now();
  ProgressLine progress(io.err, progress_mode, detect_progress_env(), reader->bytes_total(), [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  });
  const replay::Results results = replay::replay_trace(
      *reader, machine, replay_options, events_writer ? &*events_writer : nullptr,
      [&](const replay::Engine& engine) {
        progress.update(reader->bytes_consumed(), engine.results().events);
      });
  progress.finish();
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

// `fragreplay analyze TRACE`: replay one trace under one profile and report.
#include <boost/program_options.hpp>
#include <chrono>
#include <iostream>
#include <optional>
#include <sstream>

#include "base/error.hpp"
#include "cli/command.hpp"
#include "cli/command_line.hpp"
#include "cli/machine_options.hpp"
#include "cli/profile_json.hpp"
#include "cli/progress.hpp"
#include "cli/read_options.hpp"
#include "cli/sample_option.hpp"
#include "cli/size_option.hpp"
#include "cli/time_option.hpp"
#include "model/machine.hpp"
#include "model/profile.hpp"
#include "replay/engine.hpp"
#include "replay/what_if.hpp"
#include "report/csv_reports.hpp"
#include "report/events_csv.hpp"
#include "report/html_report.hpp"
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
    "  fragreplay analyze kmalloc.txt --profile linux-slub\n"
    "\n"
    "Exit status: 0 success, 2 bad input or usage, 3 internal error.\n";

}  // namespace

int analyze_command(const Args& args, Io io) {
  po::options_description visible("Options");
  visible.add_options()(
      "profile,p", po::value<std::string>(),
      "platform profile (default win7-x64): nt5-x86, nt5-x64, win7-x64, win8-x64, "
      "win10-19h1-x64, ia64, linux-slub (see 'fragreplay profiles'); several joined by ',' "
      "replay the trace under each, side by side (what-if)")(
      "profile-file", po::value<std::vector<std::string>>()->composing(),
      "a profile of your own, a JSON file (start from 'fragreplay profiles --show NAME'); may "
      "be repeated; adds to --profile's")(
      "ram", po::value<std::string>(),
      "modelled RAM: 512MiB, 16GiB or bytes (default: the profile's, 1GiB for nt5-x86, 4GiB "
      "for win7-x64); laid out like a PC (the 640 KiB-1 MiB hole, RAM above 3 GiB moved "
      "above 4 GiB)")("json", po::value<std::string>(),
                      "write the JSON report to FILE ('-' = standard output, "
                      "which replaces the summary)")(
      "events-out", po::value<std::string>(), "write one CSV row per event with its outcome")(
      "memory-map", po::value<std::string>(),
      "RAM ranges instead of --ram: START-END (END inclusive) or START+LENGTH, comma-separated, "
      "hex or sizes: 0x1000-0x9ffff,1MiB+3071MiB")(
      "background", po::value<std::string>(),
      "PERCENT[:SEED]: a machine that has been running: that share of RAM is held by other "
      "consumers, scattered in a seeded pattern (default seed 1)")(
      "sample-every", po::value<std::string>()->default_value("1"),
      "timeline interval: N events, or trace time (5ms, 250us, 1s), or off; at most 512 samples "
      "are kept (the interval doubles as needed)")("timeline-csv", po::value<std::string>(),
                                                   "write the fragmentation timeline as CSV")(
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

  const std::vector<model::Profile> profiles =
      resolve_profiles(vm.count("profile") ? vm["profile"].as<std::string>() : std::string(),
                       vm.count("profile-file") ? vm["profile-file"].as<std::vector<std::string>>()
                                                : std::vector<std::string>{});
  std::uint64_t ram = 0;
  if (vm.count("ram")) {
    ram = parse_size(vm["ram"].as<std::string>(), "ram");
    if (ram < (2u << 20)) throw Error("option '--ram': at least 2MiB of RAM is needed");
    if (ram > kMaxModelledBytes - (1ull << 30)) {
      throw Error("option '--ram': at most 4TiB of RAM can be modelled (about 9 bytes per page)");
    }
  }
  if (vm.count("memory-map") && vm.count("ram")) {
    throw Error("options '--ram' and '--memory-map' cannot be combined");
  }
  std::optional<BackgroundOption> background;
  if (vm.count("background")) background = parse_background(vm["background"].as<std::string>());
  auto machine_config = [&](const model::Profile& p) {
    model::MachineConfig config;
    if (ram != 0) config.ram = model::pc_ram_map(Bytes{ram}, p.page_size);
    if (vm.count("memory-map")) {
      config.ram = parse_memory_map(vm["memory-map"].as<std::string>(), p.page_size);
    }
    if (background) {
      config.background_percent = background->percent;
      config.background_seed = background->seed;
    }
    return config;
  };

  replay::ReplayOptions replay_options;
  replay_options.check_invariants = vm["check-invariants"].as<bool>();
  replay_options.sampling = parse_sample_every(vm["sample-every"].as<std::string>());
  if (vm.count("timeline-csv") && !replay_options.sampling) {
    throw Error("option '--timeline-csv' needs a timeline: drop '--sample-every off'");
  }
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
  const auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };

  if (profiles.size() > 1) {
    // What-if: parse once, replay under every profile in parallel.
    for (const char* single : {"events-out", "html", "csv", "markdown", "timeline-csv"}) {
      if (vm.count(single)) {
        throw Error(std::string("option '--") + single +
                    "' reports on one profile; give a single --profile with it");
      }
    }
    auto reader = trace::open_trace(path, read_options);
    std::vector<std::unique_ptr<model::Machine>> machines;
    std::vector<model::Machine*> pointers;
    for (const auto& p : profiles) {
      machines.push_back(std::make_unique<model::Machine>(p, machine_config(p)));
      pointers.push_back(machines.back().get());
    }
    ProgressLine progress(io.err, progress_mode, detect_progress_env(), reader->bytes_total(),
                          elapsed);
    replay::WhatIfOptions what_if;
    what_if.replay = replay_options;
    what_if.on_batch = [&](std::uint64_t events) {
      progress.update(reader->bytes_consumed(), events);
    };
    const std::vector<replay::Results> results = replay::replay_what_if(*reader, pointers, what_if);
    progress.finish();
    if (vm.count("json"))
      report::write_file_atomically(vm["json"].as<std::string>(),
                                    report::what_if_json_text(results));
    if (!vm["quiet"].as<bool>() && !json_to_stdout) io.out << report::what_if_text(results);
    return kExitOk;
  }

  const model::Profile& profile = profiles.front();
  auto reader = trace::open_trace(path, read_options);
  model::Machine machine(profile, machine_config(profile));

  std::optional<report::AtomicFile> events_file;
  std::optional<report::EventsCsvWriter> events_writer;
  if (vm.count("events-out")) {
    events_file.emplace(vm["events-out"].as<std::string>());
    events_writer.emplace(events_file->get());
  }
  ProgressLine progress(io.err, progress_mode, detect_progress_env(), reader->bytes_total(),
                        elapsed);
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
  if (vm.count("timeline-csv")) {
    report::write_file_atomically(vm["timeline-csv"].as<std::string>(),
                                  report::timeline_csv(results));
  }
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

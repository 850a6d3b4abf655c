// `fragreplay info FILE [--json]`: what a trace holds, without replaying it — the detected
// format, the ETL header, every record counted by kind, the pool events and what they become,
// and a data-quality summary. A damaged file is described as far as it could be read, then the
// error is reported (exit status 2).
// The renderings are in info_text.cpp and info_json.cpp.
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>
#include <sstream>
#include <vector>

#include "base/error.hpp"
#include "cli/command.hpp"
#include "cli/command_line.hpp"
#include "cli/info_report.hpp"
#include "cli/read_options.hpp"
#include "cli/terminal_text.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::cli {
namespace po = boost::program_options;

namespace {

constexpr const char* kIntro =
    "Usage: fragreplay info FILE [options]\n"
    "\n"
    "Describes a trace without replaying it: the format found, the trace header of an ETL\n"
    "file (OS build, pointer size, CPUs, clock, start time), every record counted by kind\n"
    "(kernel group:type, provider GUID, event name), the pool events and what they become\n"
    "(allocs, frees, allocations that predate the trace), and the data quality: lost\n"
    "events, malformed records, frees of unknown addresses.\n"
    "\n"
    "FILE is any input fragreplay reads (README.md, \"Input formats\"), gzip or zstd\n"
    "compressed or not; '-' reads standard input.\n";

constexpr const char* kOutro =
    "\n"
    "Examples:\n"
    "  fragreplay info capture.etl\n"
    "  fragreplay info capture.etl.zst --json > capture-info.json\n"
    "  fragreplay info dump.txt --time-unit ms\n"
    "\n"
    "Exit status: 0 success, 2 bad input (after describing what could be read) or usage.\n";

}  // namespace

int info_command(const Args& args, Io io) {
  po::options_description visible("Options");
  visible.add_options()("json", po::bool_switch(),
                        "print JSON instead of text (fields in docs/schema.md §7)")(
      "help,h", po::bool_switch(), "show this help");
  add_read_options(visible);
  const po::variables_map vm = parse_command_line(args, visible, {}, "file");
  if (vm["help"].as<bool>()) {
    io.out << kIntro << "\n" << visible << kOutro;
    return kExitOk;
  }
  if (!vm.count("file")) throw Error("info: missing FILE (see 'fragreplay info --help')");

  auto reader = trace::open_trace(vm["file"].as<std::string>(), read_options_from(vm));
  InfoReport d;
  d.name = reader->name();
  d.format = std::string(reader->format());
  std::optional<Error> failure;
  std::vector<trace::Event> batch(4096);
  try {
    while (const std::size_t n = reader->read(batch)) {
      d.events.add(std::span<const trace::Event>(batch.data(), n));
    }
  } catch (const Error& e) {
    failure = e;
    d.error = e.what();
  }
  d.facts = &reader->facts();
  d.bad = &reader->bad_lines();
  if (vm["json"].as<bool>()) {
    info_json(d, io.out);
  } else {
    // Names in a trace (an ETL logger's, a process's) may hold control characters.
    std::ostringstream text;
    info_text(d, text);
    io.out << terminal_text(text.str(), Newlines::kKeep);
  }
  if (failure) throw *failure;
  return kExitOk;
}

}  // namespace fragreplay::cli

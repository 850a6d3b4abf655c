// `fragreplay convert IN -o OUT`: writes any input fragreplay reads as a native trace (the CSV
// format of traces/README.md, or the compact binary .frb of docs/formats.md §8), so an ETL
// capture or a text export can be kept, diffed, edited and replayed without the original, and a
// trace analysed many times is read at memory speed. Either way gives back the same events.
#include <boost/program_options.hpp>
#include <iostream>
#include <vector>

#include "base/error.hpp"
#include "base/format.hpp"
#include "cli/command.hpp"
#include "cli/command_line.hpp"
#include "cli/output_guard.hpp"
#include "cli/read_options.hpp"
#include "report/output_file.hpp"
#include "trace/frb_writer.hpp"
#include "trace/native_writer.hpp"
#include "trace/trace_reader.hpp"
#include "version.hpp"

namespace fragreplay::cli {
namespace po = boost::program_options;

namespace {

constexpr const char* kIntro =
    "Usage: fragreplay convert IN -o OUT [options]\n"
    "\n"
    "Reads IN (any input fragreplay reads: README.md, \"Input formats\") and writes its\n"
    "events to OUT as a native trace (traces/README.md): one line per alloc, free and\n"
    "phase, allocations that predate the trace as 'rundown' lines. An OUT ending in\n"
    "'.frb' (or --format frb) gets the compact binary form instead: zstd-compressed,\n"
    "several times smaller and many times faster to read (docs/formats.md section 8). OUT is\n"
    "written atomically; '-' writes to standard output.\n";

constexpr const char* kOutro =
    "\n"
    "Examples:\n"
    "  fragreplay convert capture.etl -o capture.csv\n"
    "  fragreplay convert wpa-pool.csv -o trace.csv --time-unit ms\n"
    "  fragreplay convert trace.csv -o trace.frb\n"
    "  zstdcat capture.etl.zst | fragreplay convert - -o - | head\n"
    "\n"
    "Exit status: 0 success, 2 bad input or usage (OUT is then not written).\n";

// Copies every event of `reader` to `writer`, each adapter declared before the first event that
// names it; returns the number of events.
template <typename Writer>
std::uint64_t copy_events(trace::TraceReader& reader, Writer& writer) {
  std::uint64_t events = 0;
  std::vector<trace::Event> batch(4096);
  std::size_t declared = 0;
  auto declare_new = [&] {
    for (; declared < reader.adapters().size(); ++declared) {
      writer.declare(reader.adapters()[declared], reader.strings());
    }
  };
  while (const std::size_t n = reader.read(batch)) {
    declare_new();
    for (std::size_t i = 0; i < n; ++i) writer.write(batch[i], reader.strings());
    events += n;
  }
  declare_new();
  return events;
}

// --format, or else the name of OUT: "frb" for a name ending in .frb, "native" otherwise.
bool writes_frb(const po::variables_map& vm, const std::string& out_path) {
  if (vm.count("format")) {
    const std::string f = vm["format"].as<std::string>();
    if (f == "frb") return true;
    if (f == "native") return false;
    throw Error("convert: --format expects native or frb, got \"" + f + "\"");
  }
  return out_path.size() > 4 && out_path.ends_with(".frb");
}

}  // namespace

int convert_command(const Args& args, Io io) {
  po::options_description visible("Options");
  visible.add_options()("output,o", po::value<std::string>(),
                        "the native trace to write ('-' = standard output)")(
      "format", po::value<std::string>(),
      "native (CSV) or frb (compact binary); default: frb if OUT ends in .frb")(
      "help,h", po::bool_switch(), "show this help");
  add_read_options(visible);
  const po::variables_map vm = parse_command_line(args, visible, {}, "input");
  if (vm["help"].as<bool>()) {
    io.out << kIntro << "\n" << visible << kOutro;
    return kExitOk;
  }
  if (!vm.count("input")) throw Error("convert: missing IN (see 'fragreplay convert --help')");
  if (!vm.count("output")) throw Error("convert: missing -o OUT (see 'fragreplay convert --help')");
  const std::string out_path = vm["output"].as<std::string>();
  refuse_output_over_input(vm["input"].as<std::string>(), out_path, "-o");

  const bool frb = writes_frb(vm, out_path);
  auto reader = trace::open_trace(vm["input"].as<std::string>(), read_options_from(vm));
  report::AtomicFile out(out_path);
  const std::string provenance = "converted by fragreplay " + std::string(kVersion) + " from " +
                                 reader->name() + " (" + std::string(reader->format()) + ")";
  std::uint64_t events = 0;
  if (frb) {
    trace::FrbWriter writer(out.get(), provenance, out_path, reader->platform());
    events = copy_events(*reader, writer);
    writer.finish(reader->strings());
  } else {
    trace::NativeWriter writer(out.get(), provenance, out_path);
    events = copy_events(*reader, writer);
    writer.flush();
  }
  out.commit();
  // The native and .frb formats carry no stacks (docs/formats.md §10): said, not dropped silently.
  if (const std::uint64_t stacked = reader->facts().stacks.on_allocations; stacked != 0) {
    io.err << "fragreplay convert: the stacks of " << fragreplay::thousands(stacked)
           << " allocations are not kept: the output format has no place for them (analyze the "
              "original to see its call sites and modules)\n";
  }
  if (out_path != "-") {
    io.out << "converted " << fragreplay::thousands(events) << " events from " << reader->name()
           << " (" << reader->format() << ") to " << out_path;
    if (reader->bad_lines().count != 0) {
      io.out << "; " << fragreplay::thousands(reader->bad_lines().count)
             << (reader->bad_lines().count == 1 ? " malformed line or record skipped"
                                                : " malformed lines or records skipped");
    }
    io.out << "\n";
  }
  return kExitOk;
}

}  // namespace fragreplay::cli

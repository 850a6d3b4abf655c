// `fragreplay generate --scenario NAME --events N --seed K -o FILE`: writes a synthetic workload
// (src/generate) as a native trace, for demos, tests and benchmarks.
#include <boost/program_options.hpp>
#include <chrono>
#include <iostream>
#include <string>

#include "base/error.hpp"
#include "cli/command.hpp"
#include "cli/progress.hpp"
#include "generate/scenarios.hpp"
#include "report/output_file.hpp"
#include "trace/csv_fields.hpp"

namespace fragreplay::cli {
namespace po = boost::program_options;

namespace {

constexpr const char* kIntro =
    "Usage: fragreplay generate --scenario NAME [--events N] [--seed K] -o FILE\n"
    "\n"
    "Writes a synthetic, realistic workload as a native trace: exactly N events of the\n"
    "scenario, drawn from a random sequence seeded with K. The same scenario, N and K give\n"
    "a byte-identical file on every machine; another seed gives another trace of the same\n"
    "kind. Scenarios:\n";

constexpr const char* kOutro =
    "\n"
    "Examples:\n"
    "  fragreplay generate --scenario network-driver -o nic.csv\n"
    "  fragreplay generate --scenario long-running --events 10M --seed 7 -o big.csv\n"
    "  fragreplay generate --scenario anti-patterns --events 2000 -o - | fragreplay analyze -\n";

// A count: digits with an optional k, M or G suffix (thousands, millions, billions).
std::uint64_t parse_count(const std::string& text, const char* option) {
  std::string digits = text;
  std::uint64_t scale = 1;
  if (!digits.empty()) {
    switch (digits.back()) {
      case 'k':
      case 'K':
        scale = 1000;
        break;
      case 'M':
        scale = 1000000;
        break;
      case 'G':
        scale = 1000000000;
        break;
      default:
        break;
    }
    if (scale != 1) digits.pop_back();
  }
  const auto v = trace::parse_u64(digits);
  if (!v || digits.starts_with("0x") || *v > (std::uint64_t{1} << 40) / scale) {
    throw Error(std::string("option '--") + option +
                "': expected a count such as 5000, 250k or 10M (at most 10^12), got \"" + text +
                "\"");
  }
  return *v * scale;
}

}  // namespace

int generate_command(const Args& args, Io io) {
  po::options_description visible("Options");
  visible.add_options()("scenario,s", po::value<std::string>(), "the workload (list above)")(
      "events,n", po::value<std::string>()->default_value("5000"),
      "number of events: 5000, 250k, 10M")("seed", po::value<std::string>()->default_value("1"),
                                           "seed of the random sequence (an unsigned integer)")(
      "output,o", po::value<std::string>(), "the trace file to write ('-' = standard output)")(
      "progress", po::value<std::string>()->default_value("auto"),
      "progress line on stderr: auto (on a terminal, not under CI=true, for 1M events or "
      "more), always, never")("help,h", po::bool_switch(), "show this help");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(visible).run(), vm);
  po::notify(vm);

  if (vm["help"].as<bool>()) {
    io.out << kIntro;
    for (const auto& s : generate::scenarios()) {
      io.out << "  " << s.name << std::string(16 - s.name.size(), ' ') << s.summary << "\n";
    }
    io.out << "\n" << visible << kOutro;
    return kExitOk;
  }
  std::string known;
  for (const auto& s : generate::scenarios()) {
    if (!known.empty()) known += ", ";
    known += s.name;
  }
  if (!vm.count("scenario")) {
    throw Error("generate: missing --scenario (one of: " + known + ")");
  }
  const std::string name = vm["scenario"].as<std::string>();
  const generate::Scenario* scenario = generate::find_scenario(name);
  if (scenario == nullptr) {
    throw Error("option '--scenario': unknown scenario \"" + name + "\" (one of: " + known + ")");
  }
  if (!vm.count("output")) throw Error("generate: missing -o FILE ('-' = standard output)");
  const std::uint64_t events = parse_count(vm["events"].as<std::string>(), "events");
  const auto seed = trace::parse_u64(vm["seed"].as<std::string>());
  if (!seed) {
    throw Error("option '--seed': expected an unsigned integer, got \"" +
                vm["seed"].as<std::string>() + "\"");
  }
  const ProgressMode mode = parse_progress_mode(vm["progress"].as<std::string>());
  const std::string path = vm["output"].as<std::string>();
  report::AtomicFile file(path);
  const auto start = std::chrono::steady_clock::now();
  ProgressLine progress(
      io.err, mode, detect_progress_env(), events,
      [start] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      },
      ProgressUnit::kEventsWritten);
  try {
    generate::generate(*scenario, events, *seed, file.get(),
                       [&](std::uint64_t written) { progress.update(0, written); });
  } catch (const Error& e) {
    progress.finish();
    throw Error(Position{path, 0, 0, false}, e.what());  // "write failed: ...": say which file
  }
  progress.finish();
  file.commit();
  return kExitOk;
}

}  // namespace fragreplay::cli

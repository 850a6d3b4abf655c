// Replaying a trace from command-line options (see trace_replay.hpp).
#include "cli/trace_replay.hpp"

#include <chrono>

#include "base/error.hpp"
#include "cli/size_option.hpp"
#include "cli/time_option.hpp"
#include "model/profile.hpp"

namespace fragreplay::cli {
namespace po = boost::program_options;

void add_model_options(po::options_description& options) {
  options.add_options()(
      "profile,p", po::value<std::string>()->default_value(model::kDefaultProfile),
      "platform profile: nt5-x86 (Windows XP/2003, 32-bit) or win7-x64 (Windows 7, 64-bit)")(
      "ram", po::value<std::string>(),
      "modelled RAM: 512MiB, 16GiB or bytes (default: the profile's, 1GiB for nt5-x86, 4GiB "
      "for win7-x64); laid out like a PC (the 640 KiB-1 MiB hole, RAM above 3 GiB moved "
      "above 4 GiB)");
}

void add_window_options(po::options_description& options) {
  options.add_options()(
      "from", po::value<std::string>(),
      "count only from this trace time on (5ms, 2s, 1.5s, 250us, or ns); earlier events are "
      "replayed but not counted")("to", po::value<std::string>(),
                                  "count only up to this trace time; later events are not "
                                  "replayed");
}

void add_progress_option(po::options_description& options) {
  options.add_options()(
      "progress", po::value<std::string>()->default_value("auto"),
      "progress line on stderr: auto (on a terminal, not under CI=true, for traces over 4 MiB), "
      "always, never");
}

void add_bad_line_option(po::options_description& options) {
  options.add_options()(
      "on-bad-line", po::value<std::string>()->default_value("fail"),
      "fail: stop at the first malformed line (exit 2); skip: count it and go on");
}

void add_hidden_replay_options(po::options_description& options) {
  options.add_options()("check-invariants", po::bool_switch(),
                        "check every model invariant after every event");
}

ReplaySettings replay_settings(const po::variables_map& vm) {
  ReplaySettings s;
  const std::string policy = vm["on-bad-line"].as<std::string>();
  if (policy == "skip") {
    s.read.on_bad_line = trace::BadLinePolicy::kSkip;
  } else if (policy != "fail") {
    throw Error("option '--on-bad-line': expected fail or skip, got \"" + policy + "\"");
  }

  s.profile = &model::builtin_profile(vm["profile"].as<std::string>());
  if (vm.count("ram")) {
    const std::uint64_t ram = parse_size(vm["ram"].as<std::string>(), "ram");
    if (ram < (2u << 20)) throw Error("option '--ram': at least 2MiB of RAM is needed");
    if (ram > (1ull << 44)) throw Error("option '--ram': at most 16TiB of RAM can be modelled");
    s.machine.ram = model::pc_ram_map(Bytes{ram}, s.profile->page_size);
  }

  s.replay.check_invariants = vm["check-invariants"].as<bool>();
  if (vm.count("from"))
    s.replay.window.from_ns = parse_trace_time(vm["from"].as<std::string>(), "from");
  if (vm.count("to")) s.replay.window.to_ns = parse_trace_time(vm["to"].as<std::string>(), "to");
  if (s.replay.window.from_ns > s.replay.window.to_ns) {
    throw Error("options '--from' and '--to': the window ends before it starts");
  }
  return s;
}

TraceReplay::TraceReplay(const std::string& path, const ReplaySettings& settings)
    : reader_(trace::open_trace(path, settings.read)),
      machine_(std::make_unique<model::Machine>(*settings.profile, settings.machine)),
      options_(settings.replay) {}

TraceReplay::~TraceReplay() = default;

replay::Results TraceReplay::run(replay::EventObserver* observer, ProgressMode progress_mode,
                                 std::ostream& err) {
  const auto started = std::chrono::steady_clock::now();
  ProgressLine progress(err, progress_mode, detect_progress_env(), reader_->bytes_total(), [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  });
  replay::Results results =
      replay::replay_trace(*reader_, *machine_, options_, observer, [&](const replay::Engine& e) {
        progress.update(reader_->bytes_consumed(), e.results().events);
      });
  progress.finish();
  return results;
}

}  // namespace fragreplay::cli

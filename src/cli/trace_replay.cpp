// Replaying a trace from command-line options (see trace_replay.hpp).
#include "cli/trace_replay.hpp"

#include <chrono>
#include <utility>

#include "base/error.hpp"
#include "cli/profile_choice.hpp"
#include "cli/read_options.hpp"
#include "cli/sample_option.hpp"
#include "cli/size_option.hpp"
#include "cli/symbols_option.hpp"
#include "cli/time_option.hpp"
#include "profile_io/profile_json.hpp"
#include "replay/what_if.hpp"

namespace fragreplay::cli {
namespace po = boost::program_options;

void add_model_options(po::options_description& options, Profiles profiles) {
  const bool several = profiles == Profiles::kSeveral;
  const std::string profile_help =
      std::string(
          "platform profile (default: linux-slub for a Linux kmem capture, else win7-x64): "
          "nt5-x86, nt5-x64, win7-x64, win8-x64, win10-19h1-x64, win10-2004-x64, ia64, "
          "linux-slub (see 'fragreplay profiles')") +
      (several ? "; several joined by ',' replay the trace under each, side by side (what-if)"
               : "; one profile");
  const std::string file_help =
      std::string(
          "a profile of your own, a JSON file (start from 'fragreplay profiles --show "
          "NAME')") +
      (several ? "; may be repeated; adds to --profile's" : "; instead of --profile");
  options.add_options()("profile,p", po::value<std::string>(), profile_help.c_str())(
      "profile-file", po::value<std::vector<std::string>>()->composing(), file_help.c_str())(
      "ram", po::value<std::string>(),
      "modelled RAM: 512MiB, 16GiB or bytes (default: the profile's, 1GiB for nt5-x86, 4GiB "
      "for win7-x64); laid out like a PC (the 640 KiB-1 MiB hole, RAM above 3 GiB moved "
      "above 4 GiB)")("memory-map", po::value<std::string>(),
                      "RAM ranges instead of --ram: START-END (END inclusive) or START+LENGTH, "
                      "comma-separated, hex or sizes: 0x1000-0x9ffff,1MiB+3071MiB")(
      "background", po::value<std::string>(),
      "PERCENT[:SEED]: a machine that has been running: that share of RAM is held by other "
      "consumers, scattered in a seeded pattern (default seed 1)");
}

void add_sampling_option(po::options_description& options) {
  options.add_options()(
      "sample-every", po::value<std::string>()->default_value("1"),
      "timeline interval: N events, or trace time (5ms, 250us, 1s), or off; at most 512 samples "
      "are kept (the interval doubles as needed)");
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

void add_hidden_replay_options(po::options_description& options) {
  options.add_options()("check-invariants", po::bool_switch(),
                        "check every model invariant after every event");
}

model::MachineConfig ReplaySettings::machine_config(const model::Profile& profile) const {
  model::MachineConfig config;
  if (ram != 0) config.ram = model::pc_ram_map(Bytes{ram}, profile.page_size);
  if (memory_map) config.ram = parse_memory_map(*memory_map, profile.page_size);
  if (background) {
    config.background_percent = background->percent;
    config.background_seed = background->seed;
  }
  return config;
}

ReplaySettings replay_settings(const po::variables_map& vm) {
  ReplaySettings s;
  s.read = read_options_from(vm);
  s.profile_named = vm.count("profile") != 0 || vm.count("profile-file") != 0;
  s.profiles =
      resolve_profiles(vm.count("profile") ? vm["profile"].as<std::string>() : std::string(),
                       vm.count("profile-file") ? vm["profile-file"].as<std::vector<std::string>>()
                                                : std::vector<std::string>{});
  if (vm.count("ram")) {
    s.ram = parse_size(vm["ram"].as<std::string>(), "ram");
    if (s.ram < (2u << 20)) throw Error("option '--ram': at least 2MiB of RAM is needed");
    if (s.ram > kMaxModelledBytes - (1ull << 30)) {
      // The PC layout moves the RAM above 3GiB above 4GiB, so the top address is RAM + 1GiB.
      throw Error(
          "option '--ram': at most 4095GiB of RAM can be modelled (laid out like a PC, it reaches "
          "1GiB higher, and the model stops at 4TiB)");
    }
  }
  if (vm.count("memory-map")) {
    if (vm.count("ram")) throw Error("options '--ram' and '--memory-map' cannot be combined");
    s.memory_map = vm["memory-map"].as<std::string>();
    for (const auto& p : s.profiles) parse_memory_map(*s.memory_map, p.page_size);  // validate
  }
  if (vm.count("background")) s.background = parse_background(vm["background"].as<std::string>());

  s.replay.check_invariants = vm["check-invariants"].as<bool>();
  s.replay.sampling = parse_sample_every(vm["sample-every"].as<std::string>());
  if (vm.count("pool-wrapper")) {
    s.replay.callers.pool_wrappers = vm["pool-wrapper"].as<std::vector<std::string>>();
  }
  if (vm.count("from"))
    s.replay.window.from_ns = parse_trace_time(vm["from"].as<std::string>(), "from");
  if (vm.count("to")) s.replay.window.to_ns = parse_trace_time(vm["to"].as<std::string>(), "to");
  if (s.replay.window.from_ns > s.replay.window.to_ns) {
    throw Error("options '--from' and '--to': the window ends before it starts");
  }
  SymbolTables symbols = read_symbol_tables(vm);
  s.replay.callers.symbols = std::move(symbols.modules);
  s.kernel_symbols = std::move(symbols.kernel);
  return s;
}

namespace {

auto elapsed_since(std::chrono::steady_clock::time_point started) {
  return [started] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
}

}  // namespace

TraceReplay::TraceReplay(const std::string& path, const ReplaySettings& settings)
    : reader_(trace::open_trace(path, settings.read)), options_(settings.replay) {
  const ProfileChoice choice = choose_profiles(settings.profiles, settings.profile_named, *reader_);
  profile_by_content_ = choice.by_content;
  const model::Profile& profile = choice.profiles.front();
  machine_ = std::make_unique<model::Machine>(profile, settings.machine_config(profile));
}

TraceReplay::~TraceReplay() = default;

replay::Results TraceReplay::run(replay::EventObserver* observer, ProgressMode progress_mode,
                                 std::ostream& err) {
  ProgressLine progress(err, progress_mode, detect_progress_env(), reader_->bytes_total(),
                        elapsed_since(std::chrono::steady_clock::now()));
  // Parsing runs on this thread, the replay on another (replay/what_if.hpp).
  replay::Results results = replay::replay_trace_overlapped(
      *reader_, *machine_, options_, observer,
      [&](std::uint64_t events) { progress.update(reader_->bytes_consumed(), events); });
  progress.finish();
  results.profile.chosen_by_content = profile_by_content_;
  return results;
}

std::vector<replay::Results> replay_what_if(const std::string& path, const ReplaySettings& settings,
                                            ProgressMode progress_mode, std::ostream& err) {
  auto reader = trace::open_trace(path, settings.read);
  const ProfileChoice choice = choose_profiles(settings.profiles, settings.profile_named, *reader);
  std::vector<std::unique_ptr<model::Machine>> machines;
  std::vector<model::Machine*> pointers;
  for (const auto& p : choice.profiles) {
    machines.push_back(std::make_unique<model::Machine>(p, settings.machine_config(p)));
    pointers.push_back(machines.back().get());
  }
  ProgressLine progress(err, progress_mode, detect_progress_env(), reader->bytes_total(),
                        elapsed_since(std::chrono::steady_clock::now()));
  replay::WhatIfOptions what_if;
  what_if.replay = settings.replay;
  what_if.on_batch = [&](std::uint64_t events) {
    progress.update(reader->bytes_consumed(), events);
  };
  std::vector<replay::Results> results = replay::replay_what_if(*reader, pointers, what_if);
  progress.finish();
  return results;
}

}  // namespace fragreplay::cli

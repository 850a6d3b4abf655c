// Replaying a trace from command-line options (see trace_replay.hpp).
#include "cli/trace_replay.hpp"

#include "base/error.hpp"
#include "cli/size_option.hpp"
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

void add_bad_line_option(po::options_description& options) {
  options.add_options()(
      "on-bad-line", po::value<std::string>()->default_value("fail"),
      "fail: stop at the first malformed line (exit 2); skip: count it and go on");
}

void add_hidden_replay_options(po::options_description& options) {
  options.add_options()("check-invariants", po::bool_switch(),
                        "check every model invariant after every event");
}

TraceReplay::TraceReplay(const std::string& path, const po::variables_map& vm) {
  trace::ReadOptions read_options;
  const std::string policy = vm["on-bad-line"].as<std::string>();
  if (policy == "skip") {
    read_options.on_bad_line = trace::BadLinePolicy::kSkip;
  } else if (policy != "fail") {
    throw Error("option '--on-bad-line': expected fail or skip, got \"" + policy + "\"");
  }

  const model::Profile& profile = model::builtin_profile(vm["profile"].as<std::string>());
  model::MachineConfig config;
  if (vm.count("ram")) {
    const std::uint64_t ram = parse_size(vm["ram"].as<std::string>(), "ram");
    if (ram < (2u << 20)) throw Error("option '--ram': at least 2MiB of RAM is needed");
    if (ram > (1ull << 44)) throw Error("option '--ram': at most 16TiB of RAM can be modelled");
    config.ram = model::pc_ram_map(Bytes{ram}, profile.page_size);
  }

  reader_ = trace::open_trace(path, read_options);
  machine_ = std::make_unique<model::Machine>(profile, config);
  options_.check_invariants = vm["check-invariants"].as<bool>();
}

TraceReplay::~TraceReplay() = default;

replay::Results TraceReplay::run(replay::EventObserver* observer) {
  return replay::replay_trace(*reader_, *machine_, options_, observer);
}

}  // namespace fragreplay::cli

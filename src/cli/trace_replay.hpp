// The part of a command that turns a trace path and the replay options (--profile, --ram,
// --memory-map, --background, --sample-every, --from, --to, --progress, --on-bad-line,
// --time-unit) into Results. Shared by `analyze` and `check`, so both accept the same options
// with the same defaults and messages, and replay the same way.
#pragma once

#include <boost/program_options.hpp>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/machine_options.hpp"
#include "cli/progress.hpp"
#include "model/machine.hpp"
#include "model/profile.hpp"
#include "replay/engine.hpp"
#include "trace/linux/kernel_symbols.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::cli {

// Whether a command replays under several profiles (analyze's what-if) or one (check, batch),
// for the help of --profile and --profile-file.
enum class Profiles { kSeveral, kOne };

// --profile/-p, --profile-file, --ram, --memory-map and --background, as `analyze --help` lists
// them.
void add_model_options(boost::program_options::options_description& options,
                       Profiles profiles = Profiles::kSeveral);
// --sample-every (the timeline's interval).
void add_sampling_option(boost::program_options::options_description& options);
// --from and --to (the counted window).
void add_window_options(boost::program_options::options_description& options);
// --progress.
void add_progress_option(boost::program_options::options_description& options);
// --check-invariants (hidden: a debugging aid).
void add_hidden_replay_options(boost::program_options::options_description& options);

// The replay options, validated; nothing is opened yet but the --symbols files, read whole.
struct ReplaySettings {
  std::vector<model::Profile> profiles;  // at least one; several = what-if
  // --profile or --profile-file was given; otherwise `profiles` holds the default, and the trace's
  // content may choose another (profile_choice.hpp).
  bool profile_named = false;
  std::uint64_t ram = 0;  // --ram, 0 = the profile's default map
  std::optional<std::string> memory_map;
  std::optional<BackgroundOption> background;
  trace::ReadOptions read;
  replay::ReplayOptions replay;  // with --symbols' linker maps in replay.callers.symbols
  // --symbols' Linux kernel symbol table (null = none), for naming call sites after the replay.
  std::shared_ptr<const trace::KernelSymbols> kernel_symbols;

  // The machine of `profile` as the options describe it.
  model::MachineConfig machine_config(const model::Profile& profile) const;
};

// Validates, in this order, --on-bad-line and --time-unit, --profile and --profile-file, --ram,
// --memory-map, --background, --sample-every, --from and --to, then reads the --symbols files of
// a command that offers the option (symbols_option.hpp); each throws Error with a one-line
// message. REQUIRES: `vm` was filled from options added by add_model_options,
// add_sampling_option, add_window_options, add_read_options and add_hidden_replay_options.
ReplaySettings replay_settings(const boost::program_options::variables_map& vm);

// A trace opened and a machine built for the first profile (or the one the trace's content
// chooses), ready to replay. Throws Error when the trace cannot be opened, its format is not
// recognised, or the profile named does not fit it.
class TraceReplay {
 public:
  TraceReplay(const std::string& path, const ReplaySettings& settings);
  ~TraceReplay();
  TraceReplay(const TraceReplay&) = delete;
  TraceReplay& operator=(const TraceReplay&) = delete;

  // Replays the whole trace (once), showing progress on `err` as `progress` says. `observer`, if
  // given, sees every event's outcome.
  replay::Results run(replay::EventObserver* observer, ProgressMode progress, std::ostream& err);
  // What the reader learnt about the input besides its events (complete after run()).
  const trace::InputFacts& facts() const { return reader_->facts(); }

 private:
  std::unique_ptr<trace::TraceReader> reader_;
  bool profile_by_content_ = false;
  std::unique_ptr<model::Machine> machine_;
  replay::ReplayOptions options_;
};

// What-if: parses the trace once and replays it under every profile of `settings` in parallel;
// one Results per profile, in their order.
std::vector<replay::Results> replay_what_if(const std::string& path, const ReplaySettings& settings,
                                            ProgressMode progress, std::ostream& err);

}  // namespace fragreplay::cli

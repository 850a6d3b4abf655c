// The part of a command that turns a trace path and the replay options (--profile, --ram,
// --from, --to, --progress, --on-bad-line) into Results. Shared by `analyze` and `check`, so both
// accept the same options with the same defaults and messages, and replay the same way.
#pragma once

#include <boost/program_options.hpp>
#include <iosfwd>
#include <memory>
#include <string>

#include "cli/progress.hpp"
#include "model/machine.hpp"
#include "replay/engine.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::cli {

// --profile/-p and --ram, as `analyze --help` lists them.
void add_model_options(boost::program_options::options_description& options);
// --from and --to (the counted window).
void add_window_options(boost::program_options::options_description& options);
// --progress.
void add_progress_option(boost::program_options::options_description& options);
// --on-bad-line.
void add_bad_line_option(boost::program_options::options_description& options);
// --check-invariants (hidden: a debugging aid).
void add_hidden_replay_options(boost::program_options::options_description& options);

// The replay options, validated; nothing is opened yet.
struct ReplaySettings {
  const model::Profile* profile = nullptr;
  model::MachineConfig machine;
  trace::ReadOptions read;
  replay::ReplayOptions replay;
};

// Validates, in this order, --on-bad-line, --profile, --ram, --from and --to; each throws Error
// with a one-line message. REQUIRES: `vm` was filled from options added by add_model_options,
// add_window_options, add_bad_line_option and add_hidden_replay_options.
ReplaySettings replay_settings(const boost::program_options::variables_map& vm);

// A trace opened and a machine built, ready to replay. Throws Error when the trace cannot be
// opened or its format is not recognised.
class TraceReplay {
 public:
  TraceReplay(const std::string& path, const ReplaySettings& settings);
  ~TraceReplay();
  TraceReplay(const TraceReplay&) = delete;
  TraceReplay& operator=(const TraceReplay&) = delete;

  // Replays the whole trace (once), showing progress on `err` as `progress` says. `observer`, if
  // given, sees every event's outcome.
  replay::Results run(replay::EventObserver* observer, ProgressMode progress, std::ostream& err);

 private:
  std::unique_ptr<trace::TraceReader> reader_;
  std::unique_ptr<model::Machine> machine_;
  replay::ReplayOptions options_;
};

}  // namespace fragreplay::cli

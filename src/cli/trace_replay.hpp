// The part of a command that turns a trace path and the model options (--profile, --ram,
// --on-bad-line) into Results. Shared by `analyze` and `check`, so both accept the same options
// with the same defaults and messages, and replay the same way.
#pragma once

#include <boost/program_options.hpp>
#include <memory>
#include <string>

#include "model/machine.hpp"
#include "replay/engine.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::cli {

// --profile/-p and --ram, as `analyze --help` lists them.
void add_model_options(boost::program_options::options_description& options);
// --on-bad-line.
void add_bad_line_option(boost::program_options::options_description& options);
// --check-invariants (hidden: a debugging aid).
void add_hidden_replay_options(boost::program_options::options_description& options);

// A trace opened and a machine built, ready to replay. Construction validates the options above
// (in this order: --on-bad-line, --profile, --ram), then opens the trace; each throws Error with
// a one-line message. REQUIRES: `vm` was filled from options added by the three functions above.
class TraceReplay {
 public:
  TraceReplay(const std::string& path, const boost::program_options::variables_map& vm);
  ~TraceReplay();
  TraceReplay(const TraceReplay&) = delete;
  TraceReplay& operator=(const TraceReplay&) = delete;

  // Replays the whole trace (once). `observer`, if given, sees every event's outcome.
  replay::Results run(replay::EventObserver* observer = nullptr);

 private:
  std::unique_ptr<trace::TraceReader> reader_;
  std::unique_ptr<model::Machine> machine_;
  replay::ReplayOptions options_;
};

}  // namespace fragreplay::cli

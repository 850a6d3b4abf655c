// The progress line of long runs (--progress=auto|always|never): a replay's bytes read of the
// total, or `generate`'s events written of the total, with events per second and the time left,
// on standard error, a few times a second. In auto mode it shows only on a terminal, outside CI
// (CI=true), for inputs of at least kAutoMinBytes (or of unknown size, such as standard input)
// or outputs of at least kAutoMinEvents; on a terminal it rewrites one line and erases it at the
// end, elsewhere it prints a line a second. The clock is injected so tests are exact.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>

namespace fragreplay::cli {

enum class ProgressMode : std::uint8_t { kAuto, kAlways, kNever };
// "auto", "always" or "never"; throws Error naming the option otherwise.
ProgressMode parse_progress_mode(const std::string& text);

// Where the line goes: whether stderr is a terminal, and whether we run under CI.
struct ProgressEnv {
  bool terminal = false;
  bool ci = false;
};
// The real environment: isatty(stderr), and CI set to "true" or "1".
ProgressEnv detect_progress_env();

// What `done` and `total` count: a replay's input bytes, or the events `generate` writes.
enum class ProgressUnit : std::uint8_t { kBytesRead, kEventsWritten };

class ProgressLine {
 public:
  static constexpr std::uint64_t kAutoMinBytes = 4u << 20;
  static constexpr std::uint64_t kAutoMinEvents = 1000000;

  // `total_bytes` is the input's size (0 = unknown), or with kEventsWritten the number of events
  // to write; `clock` returns seconds.
  ProgressLine(std::ostream& err, ProgressMode mode, ProgressEnv env, std::uint64_t total_bytes,
               std::function<double()> clock, ProgressUnit unit = ProgressUnit::kBytesRead);
  bool enabled() const { return enabled_; }
  // Reports progress; prints when enough time has passed since the last line.
  void update(std::uint64_t bytes_done, std::uint64_t events);
  // Erases the line on a terminal. Safe to call when nothing was printed.
  void finish();
  // The text of one line (no control characters), for the given state.
  static std::string format(std::uint64_t bytes_done, std::uint64_t total_bytes,
                            std::uint64_t events, double elapsed_seconds);
  // generate's line: "generating: 1,200,000 of 10,000,000 events (12 %), 2.40 M events/s, 4 s
  // left".
  static std::string format_events(std::uint64_t written, std::uint64_t total,
                                   double elapsed_seconds);

 private:
  std::ostream& err_;
  bool enabled_ = false;
  bool terminal_ = false;
  bool printed_ = false;
  std::uint64_t total_ = 0;
  ProgressUnit unit_ = ProgressUnit::kBytesRead;
  std::function<double()> clock_;
  double start_ = 0;
  double last_ = 0;
};

}  // namespace fragreplay::cli

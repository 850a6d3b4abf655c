// The progress line (see progress.hpp).
#include "cli/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ostream>

#include "base/error.hpp"
#include "base/format.hpp"

namespace fragreplay::cli {
namespace {

constexpr double kFirstAfter = 0.5;         // seconds before the first line (short runs: none)
constexpr double kTerminalInterval = 0.25;  // four updates a second on a terminal
constexpr double kLogInterval = 1.0;        // one line a second elsewhere

std::string rate_text(double per_second) {
  char buf[32];
  if (per_second >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.2f M", per_second / 1e6);
  } else if (per_second >= 1e3) {
    std::snprintf(buf, sizeof buf, "%.0f k", per_second / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f", per_second);
  }
  return buf;
}

std::string duration_text(double seconds) {
  const auto s = static_cast<std::uint64_t>(std::llround(seconds));
  if (s == 0) return "<1 s";
  if (s < 60) return std::to_string(s) + " s";
  if (s < 3600) return std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s";
  return std::to_string(s / 3600) + " h " + std::to_string(s % 3600 / 60) + " min";
}

}  // namespace

ProgressMode parse_progress_mode(const std::string& text) {
  if (text == "auto") return ProgressMode::kAuto;
  if (text == "always") return ProgressMode::kAlways;
  if (text == "never") return ProgressMode::kNever;
  throw Error("option '--progress': expected auto, always or never, got \"" + text + "\"");
}

ProgressEnv detect_progress_env() {
  ProgressEnv env;
  env.terminal = ::isatty(STDERR_FILENO) == 1;
  const char* ci = std::getenv("CI");
  env.ci = ci != nullptr && (std::strcmp(ci, "true") == 0 || std::strcmp(ci, "1") == 0);
  return env;
}

ProgressLine::ProgressLine(std::ostream& err, ProgressMode mode, ProgressEnv env,
                           std::uint64_t total_bytes, std::function<double()> clock,
                           ProgressUnit unit)
    : err_(err),
      terminal_(env.terminal),
      total_(total_bytes),
      unit_(unit),
      clock_(std::move(clock)) {
  const bool large = unit == ProgressUnit::kEventsWritten
                         ? total_bytes >= kAutoMinEvents
                         : total_bytes == 0 || total_bytes >= kAutoMinBytes;
  switch (mode) {
    case ProgressMode::kNever:
      enabled_ = false;
      break;
    case ProgressMode::kAlways:
      enabled_ = true;
      break;
    case ProgressMode::kAuto:
      enabled_ = env.terminal && !env.ci && large;
      break;
  }
  if (enabled_) start_ = last_ = clock_();
}

std::string ProgressLine::format(std::uint64_t done, std::uint64_t total, std::uint64_t events,
                                 double elapsed) {
  std::string line = "replaying: " + fragreplay::human_bytes(done);
  if (total != 0) {
    char pct[16];
    std::snprintf(pct, sizeof pct, "%.0f %%",
                  100.0 * static_cast<double>(done) / static_cast<double>(total));
    line += " of " + fragreplay::human_bytes(total) + " (" + pct + ")";
  } else {
    line += " read";
  }
  if (elapsed > 0) {
    line += ", " + rate_text(static_cast<double>(events) / elapsed) + " events/s";
    if (total != 0 && done != 0 && done < total) {
      const double left = elapsed * static_cast<double>(total - done) / static_cast<double>(done);
      line += ", " + duration_text(left) + " left";
    }
  }
  return line;
}

std::string ProgressLine::format_events(std::uint64_t written, std::uint64_t total,
                                        double elapsed) {
  std::string line = "generating: " + fragreplay::thousands(written) + " of " +
                     fragreplay::thousands(total) + " events";
  if (total != 0) {
    char pct[16];
    std::snprintf(pct, sizeof pct, " (%.0f %%)",
                  100.0 * static_cast<double>(written) / static_cast<double>(total));
    line += pct;
  }
  if (elapsed > 0) {
    line += ", " + rate_text(static_cast<double>(written) / elapsed) + " events/s";
    if (written != 0 && written < total) {
      const double left =
          elapsed * static_cast<double>(total - written) / static_cast<double>(written);
      line += ", " + duration_text(left) + " left";
    }
  }
  return line;
}

void ProgressLine::update(std::uint64_t bytes_done, std::uint64_t events) {
  if (!enabled_) return;
  const double now = clock_();
  if (now - start_ < kFirstAfter) return;
  if (printed_ && now - last_ < (terminal_ ? kTerminalInterval : kLogInterval)) return;
  last_ = now;
  printed_ = true;
  const std::string line = unit_ == ProgressUnit::kEventsWritten
                               ? format_events(events, total_, now - start_)
                               : format(bytes_done, total_, events, now - start_);
  if (terminal_) {
    err_ << '\r' << line << "\033[K" << std::flush;
  } else {
    err_ << line << '\n' << std::flush;
  }
}

void ProgressLine::finish() {
  if (printed_ && terminal_) err_ << "\r\033[K" << std::flush;
  printed_ = false;
}

}  // namespace fragreplay::cli

// Command dispatch and the one place errors become messages and exit statuses. Messages may quote
// the input, so they pass through terminal_text: no control character reaches the terminal.
#include <array>
#include <boost/program_options/errors.hpp>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <new>
#include <stdexcept>
#include <string_view>

#include "base/error.hpp"
#include "cli/command.hpp"
#include "cli/stdout_buffer.hpp"
#include "cli/terminal_text.hpp"
#include "report/signal_cleanup.hpp"
#include "version.hpp"

namespace fragreplay::cli {
namespace {

struct CommandEntry {
  std::string_view name;
  int (*run)(const Args&, Io);
  std::string_view summary;
};

constexpr std::array kCommands{
    CommandEntry{"analyze", analyze_command,
                 "replay a trace; report waste and contiguous-allocation failures"},
    CommandEntry{"diff", diff_command, "compare two JSON reports, largest changes first"},
    CommandEntry{"check", check_command,
                 "gate CI: compare with a baseline under a limits file (exit 1 on a violation)"},
    CommandEntry{"info", info_command, "describe a trace: format, header, record counts, quality"},
    CommandEntry{"convert", convert_command, "write any input as a native trace"},
    CommandEntry{"generate", generate_command,
                 "write a synthetic workload (network, storage, long-running, anti-patterns)"},
    CommandEntry{"batch", batch_command,
                 "analyse many traces in parallel: a report each and a fleet summary"},
    CommandEntry{"merge", merge_command, "combine reports into one fleet summary"},
    CommandEntry{"profiles", profiles_command, "list the platform profiles; print one as JSON"},
};

void usage(std::ostream& os) {
  os << "Usage: fragreplay <command> [options]\n\n"
        "fragreplay replays recorded kernel allocation traces through a model of the Windows\n"
        "pool and of physical memory, and reports the memory wasted by rounding and the\n"
        "contiguous allocations that fail, and why.\n\n"
        "Commands:\n";
  for (const auto& c : kCommands) {
    os << "  " << c.name << std::string(10 - c.name.size(), ' ') << c.summary << "\n";
  }
  os << "\nRun 'fragreplay <command> --help' for a command's options.\n"
        "Options: --help, --version.\n"
        "Exit status: 0 success, 1 a check failed, 2 bad input or usage, 3 internal error.\n";
}

// A command's standard output is part of its result: a write that failed (a full disk, a full
// device) turns success into exit 2 with one line, never a silent loss. A closed pipe (`| head`)
// ends the process quietly by SIGPIPE before it gets here.
int checked_output(int status, Io io) {
  io.out.flush();
  if (!io.out.fail()) return status;
  const int err = io.out_buffer != nullptr ? io.out_buffer->error() : 0;
  io.err << "fragreplay: cannot write to standard output"
         << (err != 0 ? std::string(": ") + std::strerror(err) : std::string()) << "\n";
  return status == kExitOk || status == kExitViolation ? kExitUsage : status;
}

int dispatch(const Args& args, Io io);

}  // namespace

int run(const Args& args, Io io) {
  report::install_signal_cleanup();
  return checked_output(dispatch(args, io), io);
}

namespace {

int dispatch(const Args& args, Io io) {
  if (args.empty()) {
    usage(io.err);
    return kExitUsage;
  }
  const std::string& first = args.front();
  if (first == "--help" || first == "-h" || first == "help") {
    usage(io.out);
    return kExitOk;
  }
  if (first == "--version" || first == "-V") {
    io.out << "fragreplay " << kVersion << "\n";
    return kExitOk;
  }
  for (const auto& c : kCommands) {
    if (c.name != first) continue;
    const Args rest(args.begin() + 1, args.end());
    try {
      return c.run(rest, io);
    } catch (const Error& e) {
      io.err << "fragreplay: " << terminal_text(e.what()) << "\n";
      return kExitUsage;
    } catch (const boost::program_options::error& e) {
      io.err << "fragreplay " << c.name << ": " << terminal_text(e.what()) << " (see 'fragreplay "
             << c.name << " --help')\n";
      return kExitUsage;
    } catch (const std::bad_alloc&) {
      io.err << "fragreplay: out of memory\n";
      return kExitUsage;
    } catch (const std::logic_error& e) {
      io.err << "fragreplay: internal error (please report it): " << terminal_text(e.what())
             << "\n";
      return kExitInternal;
    } catch (const std::exception& e) {
      io.err << "fragreplay: " << terminal_text(e.what()) << "\n";
      return kExitInternal;
    }
  }
  io.err << "fragreplay: unknown command '" << terminal_text(first) << "' (commands:";
  for (const auto& c : kCommands) io.err << " " << c.name;
  io.err << "; see 'fragreplay --help')\n";
  return kExitUsage;
}

}  // namespace

}  // namespace fragreplay::cli

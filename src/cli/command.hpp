// The subcommands of the command line. Each lives in its own file and is a function from its
// arguments (after the command name) and injected streams to an exit status, so tests run the
// whole tool in-process.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace fragreplay::cli {

// Exit statuses (documented in --help and README.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitViolation = 1;  // `check`: a rule was violated
inline constexpr int kExitUsage = 2;      // bad input, bad option, missing file
inline constexpr int kExitInternal = 3;   // a bug: an invariant of the model broke

class StdoutBuffer;

struct Io {
  std::ostream& out;
  std::ostream& err;
  // The buffer behind `out` when it is the process's standard output (stdout_buffer.hpp): says
  // why a write failed. Tests leave it null.
  const StdoutBuffer* out_buffer = nullptr;
};

using Args = std::vector<std::string>;

int analyze_command(const Args& args, Io io);
int info_command(const Args& args, Io io);
int convert_command(const Args& args, Io io);
int profiles_command(const Args& args, Io io);
int generate_command(const Args& args, Io io);
int batch_command(const Args& args, Io io);
int merge_command(const Args& args, Io io);
int diff_command(const Args& args, Io io);
int check_command(const Args& args, Io io);

// Writes `content` to `path` atomically, or to io.out when `path` is "-".
void write_output(const std::string& path, const std::string& content, Io io);

// Runs the tool: `args` excludes the program name. Catches every error and maps it to an exit
// status with one line on `io.err`.
int run(const Args& args, Io io);

}  // namespace fragreplay::cli

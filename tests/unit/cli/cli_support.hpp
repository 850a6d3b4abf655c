// Helpers for the command-line tests: run the tool in-process with captured streams, and
// temporary files that remove themselves.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/command.hpp"

namespace fragreplay::testing {

struct RunResult {
  int status;
  std::string out;
  std::string err;
};

inline RunResult run_cli(const cli::Args& args) {
  std::ostringstream out, err;
  const int status = cli::run(args, cli::Io{out, err});
  return {status, out.str(), err.str()};
}

// A file in the temporary directory holding `content`, removed when the object goes.
class TempFile {
 public:
  TempFile(const std::string& suffix, const std::string& content) {
    path_ =
        (std::filesystem::temp_directory_path() / ("fragreplay-cli-" + std::to_string(::getpid()) +
                                                   "-" + std::to_string(counter_++) + suffix))
            .string();
    std::ofstream(path_) << content;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::string path_;
};

}  // namespace fragreplay::testing

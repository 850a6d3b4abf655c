// The --on-bad-line policy, in one place for every reader of text lines (native, the Windows text
// exports, the Linux kmem captures) and the ETL reader's bad records: a parser raises a
// LineProblem for a malformed line; under kFail it becomes an Error at the line, under kSkip it is
// counted in BadLines, the first few kept with their position and message.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/error.hpp"

namespace fragreplay::trace {

enum class BadLinePolicy : std::uint8_t {
  kFail,  // throw Error at the first malformed line (exit status 2)
  kSkip   // count it, remember its position and message, go on
};

// A malformed input record that was skipped.
struct BadLine {
  std::uint64_t position = 0;  // line number (text) or byte offset (binary)
  std::string message;
};

// Bad lines seen: all are counted, the first kKeep are kept with their message.
struct BadLines {
  static constexpr std::size_t kKeep = 20;
  std::uint64_t count = 0;
  std::vector<BadLine> first;

  void add(std::uint64_t position, std::string message) {
    ++count;
    if (first.size() < kKeep) first.push_back({position, std::move(message)});
  }
};

// A problem in one line, raised by a line parser and handled by BadLineGuard::run.
struct LineProblem {
  std::string message;
};
[[noreturn]] inline void line_problem(std::string message) {
  throw LineProblem{std::move(message)};
}

// Applies the policy to the lines of one input: run() calls a line parser and turns the
// LineProblem it raises into an Error (kFail) or a counted bad line (kSkip).
class BadLineGuard {
 public:
  explicit BadLineGuard(BadLinePolicy policy) : policy_(policy) {}

  // Runs `parse` for line `line` of input `name`; true if it raised no LineProblem.
  template <typename F>
  bool run(const std::string& name, std::uint64_t line, F&& parse) {
    try {
      parse();
      return true;
    } catch (LineProblem& p) {
      if (policy_ == BadLinePolicy::kFail) fail(name, line, std::move(p.message));
      bad_.add(line, std::move(p.message));
      return false;
    }
  }
  // An Error at line `line` of `name`, whatever the policy (a problem no line can be skipped for).
  [[noreturn]] static void fail(const std::string& name, std::uint64_t line, std::string message) {
    throw Error(Position::at_line(name, line), std::move(message));
  }

  const BadLines& bad_lines() const { return bad_; }

 private:
  BadLinePolicy policy_;
  BadLines bad_;
};

}  // namespace fragreplay::trace

// The line-reader skeleton every reader of text lines builds on (the native reader, the Windows
// text exports in trace/text/, the Linux kmem captures in trace/linux/): the line source, the
// bad-line policy (bad_lines.hpp) applied at the current line, the string table, the declared
// adapters, and the accessors every TraceReader has. LineTraceReader adds the streaming loop of
// the formats where one line gives at most one event.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trace/bad_lines.hpp"
#include "trace/line_reader.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::trace {

class LineReaderSkeleton : public TraceReader {
 public:
  const std::string& name() const final { return name_; }
  const StringTable& strings() const final { return strings_; }
  const std::vector<AdapterDecl>& adapters() const final { return adapters_; }
  const BadLines& bad_lines() const final { return guard_.bad_lines(); }
  std::uint64_t bytes_consumed() const final { return lines_.source().consumed(); }
  std::uint64_t bytes_total() const final { return lines_.source().total(); }

  // Public so that readers inheriting it (using ...::LineReaderSkeleton) can be made with
  // make_unique; the class itself is abstract.
  LineReaderSkeleton(std::unique_ptr<ByteSource> source, const ReadOptions& options)
      : lines_(std::move(source)),
        options_(options),
        name_(lines_.source().name()),
        guard_(options.on_bad_line) {}

 protected:
  // Runs `parse` on the current line; a LineProblem becomes an Error at the line (kFail) or a
  // counted bad line (kSkip, then returns false).
  template <typename F>
  bool guarded(F&& parse) {
    return guard_.run(name_, lines_.line_number(), std::forward<F>(parse));
  }
  // An Error at the current line, whatever the policy.
  [[noreturn]] void fail_here(std::string message) const {
    BadLineGuard::fail(name_, lines_.line_number(), std::move(message));
  }

  LineReader lines_;
  ReadOptions options_;
  std::string name_;
  StringTable strings_;
  std::vector<AdapterDecl> adapters_;

 private:
  BadLineGuard guard_;
};

// A reader of a format where each line holds at most one event (Linux kmem tracepoint output).
class LineTraceReader : public LineReaderSkeleton {
 public:
  using LineReaderSkeleton::LineReaderSkeleton;

  std::size_t read(std::span<Event> out) final {
    std::size_t n = 0;
    std::string_view line;
    while (n < out.size() && lines_.next(line)) {
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      guarded([&] {
        if (parse_line(line, out[n])) {
          out[n].source_pos = lines_.line_number();
          ++n;
        }
      });
    }
    return n;
  }

  const IgnoredRecords& ignored() const final { return ignored_; }

 protected:
  // Fills `e` from `line` and returns true, or returns false for a line that holds no event
  // (after counting it with ignore() if it is not blank). Throws LineProblem if malformed.
  virtual bool parse_line(std::string_view line, Event& e) = 0;

  void ignore(std::string_view kind) { ignored_.add(kind); }
  // The id of `s` in the reader's string table (no allocation once it is known).
  StringId intern(std::string_view s) { return strings_.intern(s); }

 private:
  IgnoredRecords ignored_;
};

}  // namespace fragreplay::trace

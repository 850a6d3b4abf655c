// The plumbing shared by readers of line-oriented text captures (Linux kmem tracepoint output):
// the streaming line loop, the bad-line policy, ignored-record counting, and the accessors every
// TraceReader has. A reader derives from it and turns one line into at most one event.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "trace/line_reader.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::trace {

class LineTraceReader : public TraceReader {
 public:
  LineTraceReader(std::unique_ptr<ByteSource> source, const ReadOptions& options)
      : lines_(std::move(source)), options_(options), name_(lines_.source().name()) {}

  std::size_t read(std::span<Event> out) final {
    std::size_t n = 0;
    std::string_view line;
    while (n < out.size() && lines_.next(line)) {
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      try {
        if (parse_line(line, out[n])) {
          out[n].source_pos = lines_.line_number();
          ++n;
        }
      } catch (LineProblem& p) {
        if (options_.on_bad_line == BadLinePolicy::kFail) {
          throw Error(Position::at_line(name_, lines_.line_number()), std::move(p.message));
        }
        bad_lines_.add(lines_.line_number(), std::move(p.message));
      }
    }
    return n;
  }

  const std::string& name() const final { return name_; }
  const StringTable& strings() const final { return strings_; }
  const std::vector<AdapterDecl>& adapters() const final { return adapters_; }
  const BadLines& bad_lines() const final { return bad_lines_; }
  const IgnoredRecords& ignored() const final { return ignored_; }
  std::uint64_t bytes_consumed() const final { return lines_.source().consumed(); }
  std::uint64_t bytes_total() const final { return lines_.source().total(); }

 protected:
  // A malformed line: becomes an Error or a counted bad line, with the line number.
  struct LineProblem {
    std::string message;
  };

  // Fills `e` from `line` and returns true, or returns false for a line that holds no event
  // (after counting it with ignore() if it is not blank). Throws LineProblem if malformed.
  virtual bool parse_line(std::string_view line, Event& e) = 0;

  void ignore(std::string_view kind) { ignored_.add(kind); }
  // The id of `s` in the reader's string table (no allocation once it is known).
  StringId intern(std::string_view s) { return strings_.intern(s); }

 private:
  LineReader lines_;
  ReadOptions options_;
  std::string name_;
  StringTable strings_;
  std::vector<AdapterDecl> adapters_;
  BadLines bad_lines_;
  IgnoredRecords ignored_;
};

}  // namespace fragreplay::trace

// The interface every trace reader implements, and the factory that picks one by content.
// Readers stream: they hand out events in batches and keep nothing per event, so a trace of
// many GB is replayed in memory that does not grow with its length.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trace/adapter_decl.hpp"
#include "trace/bad_lines.hpp"
#include "trace/byte_source.hpp"
#include "trace/code_map.hpp"
#include "trace/event.hpp"
#include "trace/ignored_fields.hpp"
#include "trace/input_facts.hpp"
#include "trace/string_table.hpp"

namespace fragreplay::trace {

struct ReadOptions {
  BadLinePolicy on_bad_line = BadLinePolicy::kFail;
  // Nanoseconds per timestamp unit of text exports that do not state their unit (xperf dumper,
  // WPA CSV, tracerpt); 0 = the format's default (see README, "Input formats").
  std::uint64_t time_unit_ns = 0;
};

// Records of the input that hold no event fragreplay replays (other tracepoints, a capture's
// closing summary), counted by kind so nothing is dropped silently. Kinds are few; add() finds
// or appends one without allocating once it is known.
struct IgnoredRecords {
  struct Kind {
    std::string name;
    std::uint64_t count = 0;
  };
  std::uint64_t total = 0;
  std::vector<Kind> by_kind;  // in order of first appearance

  void add(std::string_view kind) {
    ++total;
    for (auto& k : by_kind) {
      if (k.name == kind) {
        ++k.count;
        return;
      }
    }
    by_kind.push_back({std::string(kind), 1});
  }
};

enum class Platform : std::uint8_t { kAny, kWindows, kLinux };

class TraceReader {
 public:
  virtual ~TraceReader() = default;

  // Fills the front of `out` with the next events in trace order and returns how many; returns 0
  // only at the end of the trace. Throws Error (with the position) on malformed input under
  // BadLinePolicy::kFail.
  virtual std::size_t read(std::span<Event> out) = 0;

  // A short name of the detected format ("native-v1").
  virtual std::string_view format() const = 0;
  // The kernel the trace was captured on: a Windows trace (ETW and its exports) is replayed under
  // a Windows profile, a Linux capture (kmem tracepoints) under a Linux one; the native format
  // may hold either.
  virtual Platform platform() const { return Platform::kAny; }
  // The input's name, as used in messages.
  virtual const std::string& name() const = 0;
  // Strings referenced by the events returned so far.
  virtual const StringTable& strings() const = 0;
  // DMA adapters declared so far (every adapter an event names is declared before it).
  virtual const std::vector<AdapterDecl>& adapters() const = 0;
  virtual const BadLines& bad_lines() const = 0;
  // Records read but not turned into events (formats that carry other records override this).
  virtual const IgnoredRecords& ignored() const {
    static const IgnoredRecords kNone;
    return kNone;
  }
  // Fields of the input that the events they came with do not take (ignored_fields.hpp): counted,
  // not replayed. Readers whose records have no optional fields return none.
  virtual std::vector<IgnoredField> ignored_fields() const { return {}; }
  // The stacks the events' `stack` ids index and the images they point into (code_map.hpp);
  // null for readers whose input carries no stacks. Complete once read() has returned 0.
  virtual const CodeMap* code() const { return nullptr; }
  // Progress: bytes of the input consumed, and its total (0 = unknown).
  virtual std::uint64_t bytes_consumed() const = 0;
  virtual std::uint64_t bytes_total() const = 0;
  // What the reader learnt about its input besides the events (`fragreplay info`); complete once
  // read() has returned 0. Readers that learn nothing beyond the events return empty facts.
  virtual const InputFacts& facts() const;
};

// Opens `path` ("-" = standard input), detects the format from the first bytes (gzip and zstd
// compression included) and returns its reader. Throws Error for a missing file or an
// unrecognised format.
std::unique_ptr<TraceReader> open_trace(const std::string& path, const ReadOptions& options);
// The same over an already opened source (tests, fuzzers).
std::unique_ptr<TraceReader> open_trace(std::unique_ptr<ByteSource> source,
                                        const ReadOptions& options);

}  // namespace fragreplay::trace

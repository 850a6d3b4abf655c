// What every reader's fuzz target does: open the input as a reader of its format (with both
// bad-line policies), read every event (and walk the stack each names), ask for its facts and the
// fields it set aside. A
// fragreplay::Error is the expected answer to bad input; anything else escaping (std::bad_alloc, a
// logic_error) or a sanitizer report is a bug.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::fuzz {

using MakeReader = std::unique_ptr<trace::TraceReader> (*)(std::unique_ptr<trace::ByteSource>,
                                                           const trace::ReadOptions&);

inline void read_everything(const std::uint8_t* data, std::size_t size, MakeReader make) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  for (const auto policy : {trace::BadLinePolicy::kFail, trace::BadLinePolicy::kSkip}) {
    try {
      trace::ReadOptions options;
      options.on_bad_line = policy;
      auto reader = make(trace::memory_source(bytes, "fuzz"), options);
      std::vector<trace::Event> batch(64);
      // Every stack an event names must be in the reader's table, and each frame's image lookup
      // must stay in bounds.
      std::size_t n = 0;
      while ((n = reader->read(batch)) != 0) {
        const trace::CodeMap* code = reader->code();
        for (std::size_t i = 0; i < n && code != nullptr; ++i) {
          if (batch[i].stack == 0) continue;
          if (batch[i].stack >= code->stacks.size()) __builtin_trap();
          for (const std::uint64_t f : code->stacks.frames(batch[i].stack)) {
            (void)code->modules.find(f);
          }
        }
      }
      (void)reader->facts();
      (void)reader->ignored_fields();
    } catch (const Error&) {
    }
  }
}

}  // namespace fragreplay::fuzz

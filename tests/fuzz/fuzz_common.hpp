// What every reader's fuzz target does: open the input as a reader of its format (with both
// bad-line policies), read every event, ask for its facts and the fields it set aside. A
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
      while (reader->read(batch) != 0) {
      }
      (void)reader->facts();
      (void)reader->ignored_fields();
    } catch (const Error&) {
    }
  }
}

}  // namespace fragreplay::fuzz

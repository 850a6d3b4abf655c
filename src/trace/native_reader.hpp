// Reader for the native trace format v1 (native_format.hpp, traces/README.md).
#pragma once

#include <memory>

#include "trace/trace_reader.hpp"

namespace fragreplay::trace {

// True if `head` (the first bytes of an input) looks like a native trace of any version.
bool looks_native(std::string_view head);

// Reads the magic line and the header from `source`. Throws Error if they are not those of a
// native v1 trace (a newer version is named in the message).
std::unique_ptr<TraceReader> make_native_reader(std::unique_ptr<ByteSource> source,
                                                const ReadOptions& options);

}  // namespace fragreplay::trace

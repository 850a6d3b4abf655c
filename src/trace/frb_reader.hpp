// Reader for the compact binary native format v1 (frb_format.hpp, docs/formats.md §8).
#pragma once

#include <memory>
#include <string_view>

#include "trace/trace_reader.hpp"

namespace fragreplay::trace {

// True if `head` (the first bytes of an input, decompressed) starts like a .frb of any version.
bool looks_frb(std::string_view head);

// Reads the header from `source`. Throws Error (at a byte offset of the decompressed stream) if
// it is not that of a v1 file; later malformed records throw the same way, whatever the
// bad-line policy: a binary record cannot be skipped without trusting its contents.
std::unique_ptr<TraceReader> make_frb_reader(std::unique_ptr<ByteSource> source,
                                             const ReadOptions& options);

}  // namespace fragreplay::trace

// Reader for the Linux kmalloc capture bpftrace prints with
//   printf("%016lx, %8d, %8d\n", args->ptr, args->bytes_req, args->bytes_alloc)
// on tracepoint:kmem:kmalloc (docs/formats.md §5, sample E): one allocation per line,
// "ptr, bytes_req, bytes_alloc". The banner ("Attaching 2 probes..."), the `@[...]: count` map
// bpftrace prints at exit and "Lost N events" notices are counted as ignored records. There are
// no timestamps (every event is at time 0) and no frees: an address that comes back is a missed
// free, which the replay repairs and counts as live_address_reused. A fourth column, when the
// script prints one (args->call_site with %lx, or ksym(args->call_site)), is the call site.
#pragma once

#include <memory>
#include <string_view>

#include "trace/trace_reader.hpp"

namespace fragreplay::trace {

// True if the first line of `head` (the first bytes of an input) is a bpftrace banner or a
// "ptr, bytes_req, bytes_alloc" record.
bool looks_bpftrace_kmem(std::string_view head);

std::unique_ptr<TraceReader> make_bpftrace_reader(std::unique_ptr<ByteSource> source,
                                                  const ReadOptions& options);

}  // namespace fragreplay::trace

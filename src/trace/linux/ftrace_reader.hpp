// Reader for Linux kmem tracepoints as ftrace prints them (/sys/kernel/tracing/trace,
// trace_pipe, or `trace-cmd report`; formats of Linux include/trace/events/kmem.h):
//   task-pid [cpu] flags timestamp: event: key=value ...
// and as `perf script` prints them (the same fields after "comm pid [cpu] timestamp:", the event
// named with its subsystem, "kmem:kmalloc"). kmalloc, kmalloc_node, kmem_cache_alloc and
// kmem_cache_alloc_node (ptr, bytes_req, bytes_alloc) become allocations of their routine,
// kfree and kmem_cache_free (ptr) frees, kfree(NULL) included (the engine counts those apart);
// mm_page_alloc, mm_page_free and mm_page_free_batched (pfn, order; the batched one frees one
// page) become page-allocator blocks of 4 KiB << order named by their pfn. call_site is kept, as
// an address or as the "function+0xoff" newer kernels print. Fields the reader does not need
// (gfp_flags, node, accounted, ...) are skipped; other events are counted as ignored records by
// name; '#' lines (the ftrace header) are comments. Timestamps are seconds with a fraction,
// converted to nanoseconds; pointers are hexadecimal with or without 0x, or "(null)" (hashed %p
// values work as handles: the same object hashes the same).
#pragma once

#include <memory>
#include <string_view>

#include "trace/trace_reader.hpp"

namespace fragreplay::trace {

// True if `head` (the first bytes of an input) holds the ftrace header or a kmem event line.
bool looks_ftrace_kmem(std::string_view head);
// True if `head` holds a kmem event line as perf script prints it ("... 1.5: kmem:kfree: ...").
bool looks_perf_script_kmem(std::string_view head);

std::unique_ptr<TraceReader> make_ftrace_reader(std::unique_ptr<ByteSource> source,
                                                const ReadOptions& options);
// The same reader; its format is "perf-script-kmem".
std::unique_ptr<TraceReader> make_perf_script_reader(std::unique_ptr<ByteSource> source,
                                                     const ReadOptions& options);

}  // namespace fragreplay::trace

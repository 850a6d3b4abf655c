// Reader for Linux kmem tracepoints as ftrace prints them (/sys/kernel/tracing/trace,
// trace_pipe, or `trace-cmd report`; research/etw-formats.md §5):
//   task-pid [cpu] flags timestamp: event: key=value ...
// kmalloc and kmalloc_node (ptr, bytes_req, bytes_alloc) become kmalloc allocations, kfree (ptr)
// frees; mm_page_alloc and mm_page_free (pfn, order) become page-allocator blocks of 4 KiB << order
// named by their pfn. Every other event (kmem_cache_alloc, mm_page_free_batched, ...) and
// kfree(NULL) is counted as an ignored record by name; '#' lines (the ftrace header) are comments.
// Timestamps are seconds with a fraction, converted to nanoseconds; pointers are hexadecimal with
// or without 0x (hashed %p values work as handles: the same object hashes the same).
#pragma once

#include <memory>
#include <string_view>

#include "trace/trace_reader.hpp"

namespace fragreplay::trace {

// True if `head` (the first bytes of an input) holds the ftrace header or a kmem event line.
bool looks_ftrace_kmem(std::string_view head);

std::unique_ptr<TraceReader> make_ftrace_reader(std::unique_ptr<ByteSource> source,
                                                const ReadOptions& options);

}  // namespace fragreplay::trace

// Format detection: look at the first bytes of the input, never at its name, and hand the input
// to the reader that recognises it.
#include <string>

#include "base/error.hpp"
#include "trace/bpftrace_reader.hpp"
#include "trace/ftrace_reader.hpp"
#include "trace/native_reader.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::trace {
namespace {

constexpr std::size_t kSniff = 4096;

std::string read_head(ByteSource& source) {
  std::string head(kSniff, '\0');
  std::size_t have = 0;
  while (have < kSniff) {
    const std::size_t got = source.read(head.data() + have, kSniff - have);
    if (got == 0) break;
    have += got;
  }
  head.resize(have);
  return head;
}

}  // namespace

std::unique_ptr<TraceReader> open_trace(std::unique_ptr<ByteSource> source,
                                        const ReadOptions& options) {
  std::string head = read_head(*source);
  const std::string name = source->name();
  if (looks_native(head)) {
    return make_native_reader(prefixed_source(std::move(head), std::move(source)), options);
  }
  if (looks_bpftrace_kmem(head)) {
    return make_bpftrace_reader(prefixed_source(std::move(head), std::move(source)), options);
  }
  if (looks_ftrace_kmem(head)) {
    return make_ftrace_reader(prefixed_source(std::move(head), std::move(source)), options);
  }
  if (head.empty()) throw Error(Position{name, 0, 0, false}, "empty file, expected a trace");
  throw Error(Position{name, 0, 0, false},
              "unrecognised trace format (a native trace starts with \"# fragreplay trace v1\"; "
              "Linux kmem captures are bpftrace \"ptr, bytes_req, bytes_alloc\" lines or ftrace "
              "kmem events; see traces/README.md)");
}

std::unique_ptr<TraceReader> open_trace(const std::string& path, const ReadOptions& options) {
  return open_trace(open_file_source(path), options);
}

}  // namespace fragreplay::trace

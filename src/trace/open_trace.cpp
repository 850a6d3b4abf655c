// Format detection: look at the first bytes of the input, never at its name, and hand the input
// to the reader that recognises it. gzip and zstd compression is recognised the same way and
// undone on the fly before the detection looks again. Readers are listed in one table: adding a
// format is adding a row.
#include <array>
#include <string>

#include "base/error.hpp"
#include "trace/compressed_source.hpp"
#include "trace/etl/etl_reader.hpp"
#include "trace/frb_reader.hpp"
#include "trace/linux/bpftrace_reader.hpp"
#include "trace/linux/ftrace_reader.hpp"
#include "trace/native_reader.hpp"
#include "trace/text/tracerpt_csv_reader.hpp"
#include "trace/text/wpa_csv_reader.hpp"
#include "trace/text/xperf_text_reader.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::trace {
namespace {

constexpr std::size_t kSniff = 4096;

struct Format {
  std::string_view hint;  // what it looks like, for the message when nothing matches
  bool (*looks)(std::string_view head);
  std::unique_ptr<TraceReader> (*make)(std::unique_ptr<ByteSource>, const ReadOptions&);
};

// The first row whose `looks` accepts the head reads the input.
constexpr std::array kFormats{
    Format{"a native trace (\"# fragreplay trace v1\", traces/README.md)", looks_native,
           make_native_reader},
    Format{"a binary native trace (.frb, docs/formats.md section 8)", looks_frb, make_frb_reader},
    Format{"an ETL file", looks_etl, make_etl_reader},
    Format{"xperf dumper text (BeginHeader)", looks_xperf_text, make_xperf_text_reader},
    Format{"tracerpt CSV (Event Name, Type, ...)", looks_tracerpt_csv, make_tracerpt_csv_reader},
    Format{"a WPA pool table CSV (Pool Tag, Size, Alloc Time, ...)", looks_wpa_pool_csv,
           make_wpa_pool_csv_reader},
    Format{"a Linux bpftrace kmem capture (\"ptr, bytes_req, bytes_alloc\" lines)",
           looks_bpftrace_kmem, make_bpftrace_reader},
    Format{"Linux ftrace kmem events (kmalloc:, kfree:, mm_page_alloc:)", looks_ftrace_kmem,
           make_ftrace_reader},
    Format{"perf script kmem events (kmem:kmalloc:, ...)", looks_perf_script_kmem,
           make_perf_script_reader},
};

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

const InputFacts& TraceReader::facts() const {
  static const InputFacts kNothing;
  return kNothing;
}

std::unique_ptr<TraceReader> open_trace(std::unique_ptr<ByteSource> source,
                                        const ReadOptions& options) {
  std::string head = read_head(*source);
  const std::string name = source->name();
  // A compressed input is decompressed and looked at again (twice at most: a .zst of a .gz).
  for (int layers = 0; layers < 2; ++layers) {
    const Compression c = detect_compression(head);
    if (c == Compression::kNone) break;
    source = decompressing_source(c, prefixed_source(std::move(head), std::move(source)));
    head = read_head(*source);
  }
  for (const Format& f : kFormats) {
    if (f.looks(head)) return f.make(prefixed_source(std::move(head), std::move(source)), options);
  }
  if (head.empty()) throw Error(Position{name, 0, 0, false}, "empty file, expected a trace");
  std::string known;
  for (std::size_t i = 0; i < kFormats.size(); ++i) {
    known += i == 0 ? "" : (i + 1 == kFormats.size() ? " or " : ", ");
    known += kFormats[i].hint;
  }
  throw Error(Position{name, 0, 0, false},
              "unrecognised trace format: not " + known + " (README.md, \"Input formats\")");
}

std::unique_ptr<TraceReader> open_trace(const std::string& path, const ReadOptions& options) {
  return open_trace(open_file_source(path), options);
}

}  // namespace fragreplay::trace

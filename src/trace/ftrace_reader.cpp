// The ftrace kmem reader (see ftrace_reader.hpp).
#include "trace/ftrace_reader.hpp"

#include <array>
#include <string>

#include "trace/kmem_text.hpp"
#include "trace/line_trace_reader.hpp"

namespace fragreplay::trace {
namespace {

constexpr std::array<std::string_view, 9> kKmemEvents{
    "kmalloc",         "kmalloc_node",         "kfree",
    "mm_page_alloc",   "mm_page_free",         "kmem_cache_alloc",
    "kmem_cache_free", "mm_page_free_batched", "kmem_cache_alloc_node"};

// The pieces of an event line: its timestamp, event name and fields.
struct Line {
  std::string_view timestamp;
  std::string_view event;
  std::string_view args;
};

// "  <...>-22275 [006] ....   889.213383: mm_page_alloc: page=... pfn=970744 order=0 ...".
// The task name may hold spaces; the first "] " after it closes the CPU number.
bool split_line(std::string_view line, Line& out) {
  const std::size_t bracket = line.find("] ");
  if (bracket == std::string_view::npos || line.find('[') > bracket) return false;
  std::string_view rest = line.substr(bracket + 2);
  const std::size_t colon = rest.find(": ");
  if (colon == std::string_view::npos) return false;
  std::string_view before = kmem::trim(rest.substr(0, colon));
  const std::size_t space = before.rfind(' ');
  out.timestamp = space == std::string_view::npos ? before : before.substr(space + 1);
  rest = rest.substr(colon + 2);
  const std::size_t end = rest.find(':');
  if (end == std::string_view::npos) return false;
  out.event = rest.substr(0, end);
  out.args = end + 1 < rest.size() ? kmem::trim(rest.substr(end + 1)) : std::string_view{};
  return !out.event.empty() && out.event.find(' ') == std::string_view::npos;
}

class FtraceReader final : public LineTraceReader {
 public:
  using LineTraceReader::LineTraceReader;
  std::string_view format() const override { return "ftrace-kmem"; }

 private:
  [[noreturn]] static void bad_field(std::string_view event, std::string_view key,
                                     std::string_view expected, std::string_view args) {
    throw LineProblem{std::string(event) + ": field '" + std::string(key) + "': expected " +
                      std::string(expected) + ", in " + kmem::quoted(args)};
  }
  static std::uint64_t hex_field(const Line& l, std::string_view key) {
    const auto v = l.args.empty() ? std::nullopt : kmem::field(l.args, key);
    if (!v) bad_field(l.event, key, "a hexadecimal pointer", l.args);
    const auto n = kmem::parse_hex(*v);
    if (!n) bad_field(l.event, key, "a hexadecimal pointer", l.args);
    return *n;
  }
  static std::uint64_t dec_field(const Line& l, std::string_view key) {
    const auto v = kmem::field(l.args, key);
    if (!v) bad_field(l.event, key, "a decimal number", l.args);
    // Newer kernels print pfn in hexadecimal with 0x.
    const auto n = v->starts_with("0x") ? kmem::parse_hex(*v) : kmem::parse_dec(*v);
    if (!n) bad_field(l.event, key, "a decimal number", l.args);
    return *n;
  }

  static std::uint64_t parse_time(std::string_view ts) {
    const std::size_t dot = ts.find('.');
    const auto seconds = kmem::parse_dec(ts.substr(0, dot));
    if (!seconds || *seconds > 18'000'000'000ull) {
      throw LineProblem{"expected a timestamp in seconds such as 889.213383, got " +
                        kmem::quoted(ts)};
    }
    std::uint64_t ns = *seconds * 1'000'000'000ull;
    if (dot != std::string_view::npos) {
      std::string_view frac = ts.substr(dot + 1);
      if (frac.size() > 9) frac = frac.substr(0, 9);
      const auto f = kmem::parse_dec(frac);
      if (!f) throw LineProblem{"expected a timestamp in seconds, got " + kmem::quoted(ts)};
      std::uint64_t scaled = *f;
      for (std::size_t i = frac.size(); i < 9; ++i) scaled *= 10;
      ns += scaled;
    }
    return ns;
  }

  bool parse_line(std::string_view line, Event& e) override {
    const std::string_view trimmed = kmem::trim(line);
    if (trimmed.empty() || trimmed.front() == '#') return false;
    if (trimmed.starts_with("cpus=")) {
      ignore("trace-cmd header");
      return false;
    }
    Line l;
    if (!split_line(line, l)) {
      throw LineProblem{
          "expected an ftrace event line \"task-pid [cpu] timestamp: event: fields\", got " +
          kmem::quoted(trimmed)};
    }
    const bool kmalloc = l.event == "kmalloc" || l.event == "kmalloc_node";
    const bool kfree = l.event == "kfree";
    const bool page_alloc = l.event == "mm_page_alloc";
    const bool page_free = l.event == "mm_page_free";
    if (!kmalloc && !kfree && !page_alloc && !page_free) {
      ignore(l.event);
      return false;
    }
    e = Event{};
    e.time_ns = parse_time(l.timestamp);
    e.tag = Tag::from_chars("");
    if (kmalloc) {
      e.kind = EventKind::kAlloc;
      e.routine = Routine::kKmalloc;
      e.address = hex_field(l, "ptr");
      e.bytes = dec_field(l, "bytes_req");
      e.charged_bytes = dec_field(l, "bytes_alloc");
      if (e.charged_bytes < e.bytes) {
        throw LineProblem{"kmalloc: bytes_alloc is below bytes_req in " + kmem::quoted(l.args)};
      }
      if (e.address == 0) {
        ignore("kmalloc that returned NULL");
        return false;
      }
      return true;
    }
    if (kfree) {
      e.kind = EventKind::kFree;
      e.routine = Routine::kKfree;
      e.address = hex_field(l, "ptr");
      if (e.address == 0 || e.address == 16) {  // kfree(NULL) and kfree(ZERO_SIZE_PTR): no-ops
        ignore("kfree(NULL)");
        return false;
      }
      return true;
    }
    const std::uint64_t order = dec_field(l, "order");
    if (order > kmem::kMaxOrder) {
      throw LineProblem{std::string(l.event) + ": order " + std::to_string(order) +
                        " is larger than any page allocator's"};
    }
    e.kind = page_alloc ? EventKind::kAlloc : EventKind::kFree;
    e.routine = page_alloc ? Routine::kPageAlloc : Routine::kPageFree;
    e.address = dec_field(l, "pfn");
    e.bytes = kmem::kPageBytes << order;
    if (e.address == 0) {
      // A failed allocation prints pfn 0 (page NULL); frame 0 is never handed out.
      ignore(std::string(l.event) + " of no page");
      return false;
    }
    return true;
  }
};

}  // namespace

bool looks_ftrace_kmem(std::string_view head) {
  if (head.starts_with("# tracer:") || head.find("\n# tracer:") != std::string_view::npos) {
    return true;
  }
  for (const std::string_view ev : kKmemEvents) {
    const std::string marker = ": " + std::string(ev) + ": ";
    const std::size_t at = head.find(marker);
    if (at != std::string_view::npos && head.substr(0, at).find(']') != std::string_view::npos)
      return true;
  }
  return false;
}

std::unique_ptr<TraceReader> make_ftrace_reader(std::unique_ptr<ByteSource> source,
                                                const ReadOptions& options) {
  return std::make_unique<FtraceReader>(std::move(source), options);
}

}  // namespace fragreplay::trace

// The ftrace kmem reader (see ftrace_reader.hpp).
#include "trace/linux/ftrace_reader.hpp"

#include <array>
#include <string>

#include "trace/line_trace_reader.hpp"
#include "trace/linux/kmem_text.hpp"

namespace fragreplay::trace {
namespace {

// What an event line becomes.
enum class Action : std::uint8_t { kSlabAlloc, kSlabFree, kPageAlloc, kPageFree };

struct KmemEvent {
  std::string_view name;  // the tracepoint's name (Linux include/trace/events/kmem.h)
  Routine routine;
  Action action;
};

constexpr std::array<KmemEvent, 9> kKmemEvents{{
    {"kmalloc", Routine::kKmalloc, Action::kSlabAlloc},
    {"kmalloc_node", Routine::kKmallocNode, Action::kSlabAlloc},
    {"kmem_cache_alloc", Routine::kKmemCacheAlloc, Action::kSlabAlloc},
    {"kmem_cache_alloc_node", Routine::kKmemCacheAllocNode, Action::kSlabAlloc},
    {"kfree", Routine::kKfree, Action::kSlabFree},
    {"kmem_cache_free", Routine::kKmemCacheFree, Action::kSlabFree},
    {"mm_page_alloc", Routine::kPageAlloc, Action::kPageAlloc},
    {"mm_page_free", Routine::kPageFree, Action::kPageFree},
    {"mm_page_free_batched", Routine::kPageFreeBatched, Action::kPageFree},
}};

const KmemEvent* find_event(std::string_view name) {
  for (const KmemEvent& k : kKmemEvents) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

// The pieces of an event line: its timestamp, event name and fields.
struct Line {
  std::string_view timestamp;
  std::string_view event;
  std::string_view args;
};

// ftrace: "  <...>-22275 [006] ....   889.213383: mm_page_alloc: page=... pfn=970744 ...";
// perf script: "  swapper     0 [000]  1234.567890: kmem:kmalloc: call_site=... ptr=0x...".
// The task name may hold spaces; the first "] " after it closes the CPU number. The event name
// ends at the first ": " (or a final ':' when it has no fields) and may carry a subsystem.
bool split_line(std::string_view line, Line& out) {
  const std::size_t bracket = line.find("] ");
  if (bracket == std::string_view::npos || line.find('[') > bracket) return false;
  std::string_view rest = line.substr(bracket + 2);
  const std::size_t colon = rest.find(": ");
  if (colon == std::string_view::npos) return false;
  std::string_view before = kmem::trim(rest.substr(0, colon));
  const std::size_t space = before.rfind(' ');
  out.timestamp = space == std::string_view::npos ? before : before.substr(space + 1);
  rest = kmem::trim(rest.substr(colon + 2));
  std::size_t end = rest.find(": ");
  if (end == std::string_view::npos) {
    if (rest.empty() || rest.back() != ':') return false;
    end = rest.size() - 1;
  }
  out.event = rest.substr(0, end);
  out.args = end + 1 < rest.size() ? kmem::trim(rest.substr(end + 1)) : std::string_view{};
  if (const std::size_t sub = out.event.rfind(':'); sub != std::string_view::npos) {
    out.event = out.event.substr(sub + 1);  // "kmem:kmalloc" (perf script)
  }
  return !out.event.empty() && out.event.find(' ') == std::string_view::npos;
}

class FtraceReader final : public LineTraceReader {
 public:
  FtraceReader(std::unique_ptr<ByteSource> source, const ReadOptions& options, bool perf)
      : LineTraceReader(std::move(source), options), perf_(perf) {}
  std::string_view format() const override { return perf_ ? "perf-script-kmem" : "ftrace-kmem"; }
  Platform platform() const override { return Platform::kLinux; }

 private:
  [[noreturn]] static void bad_field(std::string_view event, std::string_view key,
                                     std::string_view expected, std::string_view args) {
    throw LineProblem{std::string(event) + ": field '" + std::string(key) + "': expected " +
                      std::string(expected) + ", in " + kmem::quoted(args)};
  }
  static std::uint64_t pointer_field(const Line& l, std::string_view key) {
    const auto v = l.args.empty() ? std::nullopt : kmem::field(l.args, key);
    if (!v) bad_field(l.event, key, "a hexadecimal pointer", l.args);
    const auto n = kmem::parse_pointer(*v);
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

  // call_site: an address in hexadecimal (with or without 0x), or, from kernels that print it
  // with %pS, "function+0xoff/0xlen" (kept as "function+0xoff"). Absent or empty: not recorded.
  void read_call_site(const Line& l, Event& e) {
    const auto v = kmem::field(l.args, "call_site");
    if (!v || v->empty()) return;
    if (const auto address = kmem::parse_hex(*v)) {
      e.call_site = *address;
      return;
    }
    e.call_site_symbol = intern(v->substr(0, v->find('/')));
  }

  bool slab_alloc(const Line& l, const KmemEvent& k, Event& e) {
    e.kind = EventKind::kAlloc;
    e.address = pointer_field(l, "ptr");
    e.bytes = dec_field(l, "bytes_req");
    e.charged_bytes = dec_field(l, "bytes_alloc");
    if (e.charged_bytes < e.bytes) {
      throw LineProblem{std::string(k.name) + ": bytes_alloc is below bytes_req in " +
                        kmem::quoted(l.args)};
    }
    if (e.address == 0) {
      ignore(std::string(k.name) + " that returned NULL");
      return false;
    }
    return true;
  }

  bool page_event(const Line& l, const KmemEvent& k, Event& e) {
    // mm_page_free_batched frees one page: older kernels print no order, newer ones "order=0".
    const bool has_order =
        k.routine != Routine::kPageFreeBatched || kmem::field(l.args, "order").has_value();
    const std::uint64_t order = has_order ? dec_field(l, "order") : 0;
    if (order > kmem::kMaxOrder) {
      throw LineProblem{std::string(k.name) + ": order " + std::to_string(order) +
                        " is larger than any page allocator's"};
    }
    e.kind = k.action == Action::kPageAlloc ? EventKind::kAlloc : EventKind::kFree;
    e.address = dec_field(l, "pfn");
    e.bytes = kmem::kPageBytes << order;
    if (e.address == 0 || e.address == ~std::uint64_t{0}) {
      // A failed allocation prints pfn 0 (older kernels) or -1 (page NULL); no frame is named.
      ignore(std::string(k.name) + " of no page");
      return false;
    }
    return true;
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
    const KmemEvent* k = find_event(l.event);
    if (k == nullptr) {
      ignore(l.event);
      return false;
    }
    e = Event{};
    e.time_ns = parse_time(l.timestamp);
    e.tag = Tag::from_chars("");
    e.routine = k->routine;
    switch (k->action) {
      case Action::kSlabAlloc:
        read_call_site(l, e);
        return slab_alloc(l, *k, e);
      case Action::kSlabFree:
        // kfree(NULL) and kfree(ZERO_SIZE_PTR) are events too: the engine counts them apart.
        read_call_site(l, e);
        e.kind = EventKind::kFree;
        e.address = pointer_field(l, "ptr");
        return true;
      case Action::kPageAlloc:
      case Action::kPageFree:
        return page_event(l, *k, e);
    }
    return false;
  }

  bool perf_ = false;  // perf script output (events named with their subsystem)
};

}  // namespace

namespace {

// A kmem event line: `prefix` + event name + ": " after a "[cpu]".
bool has_event_line(std::string_view head, std::string_view prefix) {
  for (const KmemEvent& ev : kKmemEvents) {
    const std::string marker = std::string(prefix) + std::string(ev.name) + ": ";
    const std::size_t at = head.find(marker);
    if (at != std::string_view::npos && head.substr(0, at).find(']') != std::string_view::npos)
      return true;
  }
  return false;
}

}  // namespace

bool looks_ftrace_kmem(std::string_view head) {
  if (head.starts_with("# tracer:") || head.find("\n# tracer:") != std::string_view::npos) {
    return true;
  }
  return has_event_line(head, ": ");
}

bool looks_perf_script_kmem(std::string_view head) { return has_event_line(head, ": kmem:"); }

std::unique_ptr<TraceReader> make_ftrace_reader(std::unique_ptr<ByteSource> source,
                                                const ReadOptions& options) {
  return std::make_unique<FtraceReader>(std::move(source), options, false);
}

std::unique_ptr<TraceReader> make_perf_script_reader(std::unique_ptr<ByteSource> source,
                                                     const ReadOptions& options) {
  return std::make_unique<FtraceReader>(std::move(source), options, true);
}

}  // namespace fragreplay::trace

// The bpftrace kmalloc reader (see bpftrace_reader.hpp).
#include "trace/linux/bpftrace_reader.hpp"

#include <array>
#include <optional>
#include <string>

#include "trace/line_trace_reader.hpp"
#include "trace/linux/kmem_text.hpp"

namespace fragreplay::trace {
namespace {

struct Record {
  std::uint64_t ptr = 0;
  std::uint64_t bytes_req = 0;
  std::uint64_t bytes_alloc = 0;
  std::string_view call_site;  // the optional fourth column, as printed
};

// "ffff8880b7b0c400,      552,     1024": hex, decimal, decimal; spaces around the numbers; a
// fourth column, when the script prints one, is the call site (hexadecimal or a ksym() name).
std::optional<Record> parse_record(std::string_view line) {
  std::array<std::string_view, 4> f;
  std::size_t pos = 0;
  std::size_t n = 0;
  while (n < f.size()) {
    const std::size_t comma = line.find(',', pos);
    f[n++] = kmem::trim(line.substr(pos, comma == std::string_view::npos ? comma : comma - pos));
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
    if (n == f.size()) return std::nullopt;  // a fifth column
  }
  if (n < 3) return std::nullopt;
  const auto ptr = kmem::parse_hex(f[0]);
  const auto req = kmem::parse_dec(f[1]);
  const auto alloc = kmem::parse_dec(f[2]);
  if (!ptr || !req || !alloc) return std::nullopt;
  if (n == 4 && (f[3].empty() || f[3].find(' ') != std::string_view::npos)) return std::nullopt;
  return Record{*ptr, *req, *alloc, n == 4 ? f[3] : std::string_view{}};
}

std::string_view first_line(std::string_view head) {
  while (!head.empty()) {
    const std::size_t nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!kmem::trim(line).empty()) return line;
    if (nl == std::string_view::npos) break;
    head.remove_prefix(nl + 1);
  }
  return {};
}

class BpftraceReader final : public LineTraceReader {
 public:
  using LineTraceReader::LineTraceReader;
  std::string_view format() const override { return "bpftrace-kmalloc"; }
  Platform platform() const override { return Platform::kLinux; }

 private:
  bool parse_line(std::string_view line, Event& e) override {
    if (kmem::trim(line).empty()) return false;
    if (line.starts_with("Attaching ")) {
      ignore("bpftrace banner");
      return false;
    }
    if (line.starts_with("@")) {
      ignore("bpftrace map printed at exit");
      return false;
    }
    if (line.starts_with("Lost ")) {
      ignore("bpftrace lost-events notice");
      return false;
    }
    const auto r = parse_record(line);
    if (!r) {
      throw LineProblem{
          "expected \"ptr, bytes_req, bytes_alloc[, call_site]\" (hexadecimal, decimal, decimal), "
          "got " +
          kmem::quoted(line)};
    }
    if (r->bytes_alloc < r->bytes_req) {
      throw LineProblem{"bytes_alloc " + std::to_string(r->bytes_alloc) + " is below bytes_req " +
                        std::to_string(r->bytes_req) +
                        " (no allocator charges less than was asked)"};
    }
    if (r->ptr == 0) {
      ignore("kmalloc that returned NULL");
      return false;
    }
    e = Event{};
    e.kind = EventKind::kAlloc;
    e.routine = Routine::kKmalloc;
    e.tag = Tag::from_chars("");
    e.bytes = r->bytes_req;
    e.charged_bytes = r->bytes_alloc;
    e.address = r->ptr;
    if (!r->call_site.empty()) {
      if (const auto site = kmem::parse_hex(r->call_site)) {
        e.call_site = *site;
      } else {
        e.call_site_symbol = intern(r->call_site);
      }
    }
    return true;
  }
};

}  // namespace

bool looks_bpftrace_kmem(std::string_view head) {
  const std::string_view line = first_line(head);
  return (line.starts_with("Attaching ") && line.find(" probe") != std::string_view::npos) ||
         parse_record(line).has_value();
}

std::unique_ptr<TraceReader> make_bpftrace_reader(std::unique_ptr<ByteSource> source,
                                                  const ReadOptions& options) {
  return std::make_unique<BpftraceReader>(std::move(source), options);
}

}  // namespace fragreplay::trace

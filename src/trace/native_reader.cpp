// Native trace format v1 reader. One pass over the lines, each split in place into its columns and
// checked against what its routine takes; nothing is allocated per event in the steady state.
// Liberal in what it accepts: a column its routine does not take, and any column a converter added
// after the fifteen of the header, is counted as an ignored field (ignored_fields.hpp), never
// refused; a malformed value in a column the routine takes is an error.
#include "trace/native_reader.hpp"

#include <bit>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "trace/csv_fields.hpp"
#include "trace/ignored_fields.hpp"
#include "trace/kernel_names.hpp"
#include "trace/line_scan.hpp"
#include "trace/line_trace_reader.hpp"
#include "trace/native_format.hpp"
#include "trace/routine_columns.hpp"

namespace fragreplay::trace {
namespace {

using native::Column;

// What parse_event() starts each event from: copied from a constant, which costs less than
// building a temporary Event{} (a string of zero stores read back at once) on every line.
constexpr Event kBlankEvent{};

// The UTF-8 byte order mark that Windows editors put before the first line.
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : s.substr(0, 80)) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  if (s.size() > 80) out += "...";
  return out + "\"";
}

[[noreturn]] void bad_column(Column c, std::string_view expected, std::string_view got) {
  throw LineProblem{"column '" + std::string(native::kColumnNames[c]) + "': expected " +
                    std::string(expected) + ", got " + quoted(got)};
}

// Parses a tag: up to four characters, with \xNN and \\ escapes for bytes that are not printable.
Tag parse_tag(std::string_view s) {
  std::uint32_t v = 0;
  unsigned n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) {
    if (n == 4) bad_column(native::kTag, "at most 4 characters", s);
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\\') {
      if (i + 1 < s.size() && s[i + 1] == '\\') {
        i += 2;
      } else if (i + 3 < s.size() && s[i + 1] == 'x') {
        const auto byte = parse_u64("0x" + std::string(s.substr(i + 2, 2)));
        if (!byte) bad_column(native::kTag, "a \\xNN escape with two hex digits", s);
        c = static_cast<unsigned char>(*byte);
        i += 4;
      } else {
        bad_column(native::kTag, "\\\\ or \\xNN after a backslash", s);
      }
    } else {
      ++i;
    }
    v |= std::uint32_t{c} << (8 * n);
  }
  for (; n < 4; ++n) v |= std::uint32_t{' '} << (8 * n);
  return Tag{v};
}

class NativeReader final : public LineReaderSkeleton {
 public:
  NativeReader(std::unique_ptr<ByteSource> source, const ReadOptions& options)
      : LineReaderSkeleton(std::move(source), options) {
    read_preamble();
  }

  std::size_t read(std::span<Event> out) override {
    std::size_t n = 0;
    std::string_view line;
    // Each line is split into fields_ as its end is found (line_scan.hpp); split_line() uses
    // that split unless the line needs the quote-aware splitter.
    LineScan scan;
    while (n < out.size() && lines_.next_split(line, fields_.data(), kMaxColumns, scan)) {
      if (line.empty()) continue;
      if (line.front() == '#') {
        if (line.starts_with(native::kAdapterDirective)) guarded([&] { parse_adapter(line); });
        continue;
      }
      presplit_ = scan;
      if (parse_record(line, out[n])) ++n;
    }
    return n;
  }

  std::string_view format() const override { return "native-v1"; }
  std::vector<IgnoredField> ignored_fields() const override { return ignored_.list(names_); }

 private:
  // An error in the preamble: no trace can be read past it, whatever the bad-line policy.
  [[noreturn]] void fail_preamble(std::string message) { fail_here(std::move(message)); }

  void read_preamble() {
    std::string_view line;
    if (!lines_.next(line))
      fail_preamble("empty file, expected \"" + std::string(native::kMagic) + "\"");
    if (line.starts_with(kUtf8Bom)) line.remove_prefix(kUtf8Bom.size());  // editors on Windows
    if (!line.starts_with(native::kMagicPrefix)) {
      fail_preamble("not a fragreplay trace: the first line must be \"" +
                    std::string(native::kMagic) + "\", got " + quoted(line));
    }
    if (line != native::kMagic) {
      fail_preamble("trace format " + quoted(line.substr(2)) +
                    " is not one this fragreplay reads (v" + std::to_string(native::kVersion) +
                    ")");
    }
    while (lines_.next(line)) {
      if (line.empty()) continue;
      if (line.front() == '#') {
        if (line.starts_with(native::kAdapterDirective)) {
          guarded([&] { parse_adapter(line); });
        }
        continue;
      }
      read_header(line);
      return;
    }
    fail_preamble("missing the header line \"" + std::string(native::kHeader) + "\"");
  }

  // The fifteen columns of the format, then any a converter added (named, ignored on every row).
  void read_header(std::string_view line) {
    if (!line.starts_with(native::kHeader) ||
        (line.size() > native::kHeader.size() && line[native::kHeader.size()] != ',')) {
      fail_preamble("expected the header line \"" + std::string(native::kHeader) + "\", got " +
                    quoted(line));
    }
    for (unsigned c = 0; c < native::kColumnCount; ++c) names_[c] = native::kColumnNames[c];
    columns_ = native::kColumnCount;
    std::string_view rest = line.substr(native::kHeader.size());
    while (!rest.empty()) {
      rest.remove_prefix(1);  // the comma
      const std::size_t end = rest.find(',');
      const std::string_view name = rest.substr(0, end);
      if (name.empty())
        fail_preamble("the header line names an empty column after the standard ones");
      if (columns_ == kMaxColumns) {
        fail_preamble("the header line names more than " + std::to_string(kMaxColumns) +
                      " columns");
      }
      names_[columns_++] = std::string(name);
      rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
    }
  }

  // #!adapter name=NIC0 highest=0xFFFFFFFF map_registers=32 [boundary=0x100000000]
  void parse_adapter(std::string_view line) {
    line.remove_prefix(native::kAdapterDirective.size());
    AdapterDecl decl;
    decl.declared_at = lines_.line_number();
    bool have_registers = false;
    while (!line.empty()) {
      const auto start = line.find_first_not_of(" \t");
      if (start == std::string_view::npos) break;
      line.remove_prefix(start);
      const auto end = line.find_first_of(" \t");
      const std::string_view item = line.substr(0, end);
      line.remove_prefix(end == std::string_view::npos ? line.size() : end);
      const auto eq = item.find('=');
      if (eq == std::string_view::npos) {
        throw LineProblem{"adapter declaration: expected key=value, got " + quoted(item)};
      }
      const std::string_view key = item.substr(0, eq);
      const std::string_view value = item.substr(eq + 1);
      auto number = [&]() {
        const auto v = parse_u64(value);
        if (!v) {
          throw LineProblem{"adapter declaration: '" + std::string(key) +
                            "' expects an unsigned integer, got " + quoted(value)};
        }
        return *v;
      };
      if (key == "name") {
        if (value.empty()) throw LineProblem{"adapter declaration: empty name"};
        decl.name = strings_.intern(value);
      } else if (key == "highest") {
        decl.highest = number();
      } else if (key == "boundary") {
        decl.boundary = number();
      } else if (key == "map_registers") {
        decl.map_registers = number();
        have_registers = true;
      } else {
        throw LineProblem{"adapter declaration: unknown key " + quoted(key) +
                          " (known: name, highest, boundary, map_registers)"};
      }
    }
    if (decl.name == 0) throw LineProblem{"adapter declaration: 'name=' is required"};
    if (!have_registers) throw LineProblem{"adapter declaration: 'map_registers=' is required"};
    // BoundaryAddressMultiple: 0 (none) or a power of two, at least a page (docs/model.md §5.3).
    if (decl.boundary != 0 && (decl.boundary < 4096 || !std::has_single_bit(decl.boundary))) {
      throw LineProblem{
          "adapter declaration: 'boundary' must be 0 or a power of two of at least "
          "4096, got " +
          quoted(std::to_string(decl.boundary))};
    }
    if (const std::size_t* at = declared_adapter(decl.name)) {
      throw LineProblem{"adapter " + quoted(strings_.get(decl.name)) +
                        " already declared on line " + std::to_string(adapters_[*at].declared_at)};
    }
    if (adapter_at_.size() <= decl.name) adapter_at_.resize(decl.name + 1, kNoAdapter);
    adapter_at_[decl.name] = adapters_.size();
    adapters_.push_back(decl);
  }

  static std::uint64_t required_u64(const std::string_view* f, Column c) {
    const auto v = parse_u64(f[c]);
    if (!v) bad_column(c, "an unsigned integer", f[c]);
    return *v;
  }
  static std::uint64_t optional_u64(const std::string_view* f, Column c) {
    if (f[c].empty()) return 0;
    return required_u64(f, c);
  }
  // A constraint column: required, optional (empty = 0) or not taken (set aside when set).
  std::uint64_t constraint(const std::string_view* f, Column c, Takes takes, Routine r) {
    if (takes == Takes::kRequired) return required_u64(f, c);
    if (takes == Takes::kOptional) return optional_u64(f, c);
    ignore_set(f, c, r);
    return 0;
  }
  // One record: a line, or several when a quoted field holds line breaks (RFC 4180, as
  // traces/README.md allows): a line that ends inside a quoted field is
  // joined with the next, up to kMaxRecordLines lines. The event's line is the record's first.
  static constexpr unsigned kMaxRecordLines = 64;
  struct OpenQuote {};  // split_line: the line ends inside a quoted field
  bool parse_record(std::string_view line, Event& e) {
    record_line_ = lines_.line_number();
    for (unsigned lines = 1;; ++lines) {
      bool open = false;
      const bool ok = guarded([&] {
        try {
          parse_event(line, e);
        } catch (const OpenQuote&) {
          if (lines == kMaxRecordLines) {
            throw LineProblem{"a quoted field is still open after " +
                              std::to_string(kMaxRecordLines) + " lines"};
          }
          open = true;
        }
      });
      if (!open) return ok;
      presplit_.status = ScanStatus::kNotSplit;  // the joined record is split anew
      if (lines == 1) record_.assign(line);
      std::string_view more;
      if (!lines_.next(more)) {
        guarded([] { throw LineProblem{"unterminated double quote at the end of the input"}; });
        return false;
      }
      record_ += '\n';
      record_ += more;
      line = record_;
    }
  }

  // A column routine `r` does not take: noted when set, whatever it holds. Checked several times
  // per event, so the test is inline.
  void ignore_set(const std::string_view* f, unsigned c, Routine r) {
    if (!f[c].empty()) [[unlikely]] {
      ignored_.add(c, r, record_line_);
    }
  }

  // One event line, a group of columns at a time (each step below); the hot path of the reader.
  void parse_event(std::string_view line, Event& e) {
    const std::string_view* f = split_line(line);
    e = kBlankEvent;
    e.source_pos = record_line_;
    e.time_ns = required_u64(f, native::kTimeNs);
    parse_kind(f, e);
    parse_routine_column(f, e);
    const Routine r = e.routine;
    const RoutineFamily family = routine_family(r);
    if (e.kind == EventKind::kPhase) {
      if (family != RoutineFamily::kPhase) {
        bad_column(native::kRoutine, "DriverEntry, Steady or DriverUnload for a phase event",
                   f[native::kRoutine]);
      }
      for (unsigned c = native::kPool; c < columns_; ++c) ignore_set(f, c, r);
      return;
    }
    if (e.kind == EventKind::kAlloc && !routine_allocates(r)) {
      bad_column(native::kRoutine, "a routine that allocates for an alloc event",
                 f[native::kRoutine]);
    }
    if (e.kind == EventKind::kFree && !routine_frees(r)) {
      bad_column(native::kRoutine, "a routine that frees for a free event", f[native::kRoutine]);
    }
    // The columns the routine's signature has (routine_columns.hpp); frees take none of them.
    const RoutineColumns takes =
        e.kind == EventKind::kAlloc ? allocation_columns(r) : RoutineColumns{};
    parse_pool_column(f, takes, family, e);
    parse_tag_column(f, takes, e);
    parse_size_columns(f, e);
    parse_physical_columns(f, takes, e);
    parse_node_and_adapter(f, family, e);
    e.process = intern(f[native::kProcess], last_process_);
    e.thread = intern(f[native::kThread], last_thread_);
    for (unsigned c = native::kColumnCount; c < columns_; ++c) ignore_set(f, c, r);
  }

  // The most columns a header may name.
  static constexpr unsigned kMaxColumns = 48;

  // A line without quotes was split as it was found (presplit_); any other by split_quoted().
  SplitStatus split_status(std::string_view line, FieldArray<kMaxColumns>& split) {
    switch (presplit_.status) {
      case ScanStatus::kSplit:
        split.count = presplit_.fields;
        return SplitStatus::kOk;
      case ScanStatus::kTooManyFields:
        return SplitStatus::kTooManyFields;
      case ScanStatus::kNotSplit:
        break;
    }
    return split_quoted<Blanks::kKeep>(line, split, scratch_);
  }

  // Splits `line` into fields_, the columns the line lacks left empty.
  const std::string_view* split_line(std::string_view line) {
    FieldArray<kMaxColumns> split{fields_};
    switch (split_status(line, split)) {
      case SplitStatus::kOk:
        break;
      case SplitStatus::kTooManyFields:
        split.count = kMaxColumns + 1;  // more than any header names
        break;
      case SplitStatus::kUnterminatedQuote:
        throw OpenQuote{};  // the record goes on on the next line (parse_record)
      case SplitStatus::kTextAfterQuote:
        throw LineProblem{"text after a closing double quote"};
    }
    const std::size_t count = split.count;
    if (count > columns_) {
      throw LineProblem{"expected " + std::to_string(columns_) +
                        " columns (as the header names), got more"};
    }
    for (std::size_t i = count; i < columns_; ++i) fields_[i] = {};
    return fields_.data();
  }

  static void parse_kind(const std::string_view* f, Event& e) {
    const std::string_view kind = f[native::kEvent];
    if (kind == "alloc") {
      e.kind = EventKind::kAlloc;
    } else if (kind == native::kRundownEvent) {
      e.kind = EventKind::kAlloc;
      e.rundown = true;
    } else if (kind == "free") {
      e.kind = EventKind::kFree;
    } else if (kind == "phase") {
      e.kind = EventKind::kPhase;
    } else {
      bad_column(native::kEvent, "alloc, free, rundown or phase", kind);
    }
  }

  void parse_routine_column(const std::string_view* f, Event& e) {
    // An empty routine must not match the memo's initial empty text.
    Memo<Routine>& last_routine = last_routine_[static_cast<unsigned>(e.kind)];
    if (!f[native::kRoutine].empty() && f[native::kRoutine] == last_routine.text) {
      e.routine = last_routine.value;
      return;
    }
    if (!parse_routine(f[native::kRoutine], e.routine)) {
      bad_column(native::kRoutine, "a routine name such as ExAllocatePoolWithTag",
                 f[native::kRoutine]);
    }
    last_routine.text.assign(f[native::kRoutine]);
    last_routine.value = e.routine;
  }

  void parse_pool_column(const std::string_view* f, const RoutineColumns& takes,
                         RoutineFamily family, Event& e) {
    const std::string_view pool = f[native::kPool];
    if (takes.pool == PoolArg::kNone) {
      if (family == RoutineFamily::kPool && !pool.empty()) {
        free_pool(pool, e);
      } else {
        ignore_set(f, native::kPool, e.routine);
      }
      return;
    }
    const bool flags = takes.pool == PoolArg::kPoolFlags;
    Memo<std::uint64_t>& memo = flags ? last_pool_flags_ : last_pool_type_;
    const auto v = pool == memo.text && !pool.empty()
                       ? std::optional<std::uint64_t>(memo.value)
                       : (flags ? parse_pool_flags(pool) : parse_pool_type(pool));
    if (!v) {
      bad_column(native::kPool,
                 flags ? "POOL_FLAG_* names joined by '|' or a number"
                       : "a POOL_TYPE name such as NonPagedPoolNx, or a number",
                 pool);
    }
    if (pool != memo.text) memo.text.assign(pool);  // a hit keeps the text (no copy per event)
    memo.value = *v;
    e.pool_arg = takes.pool;
    e.pool = *v;
  }

  void parse_tag_column(const std::string_view* f, const RoutineColumns& takes, Event& e) {
    if (takes.tag) {
      e.tag = parse_tag(f[native::kTag]);
      return;
    }
    // No Tag parameter: the kernel passes 'None' (kUntaggedTag); "None" itself is what a
    // converted trace holds, any other tag is set aside like every field a routine lacks.
    if (f[native::kTag] != "None") ignore_set(f, native::kTag, e.routine);
    e.tag = kUntaggedTag;
  }

  static void parse_size_columns(const std::string_view* f, Event& e) {
    // bytes: required for allocations, optional (recorded size) for frees.
    if (e.kind == EventKind::kAlloc) {
      e.bytes = required_u64(f, native::kBytes);
    } else {
      e.bytes = optional_u64(f, native::kBytes);
    }
    if (e.bytes > native::kMaxBytes) {
      bad_column(native::kBytes, "a size an address space can hold (at most 2^48)",
                 f[native::kBytes]);
    }
    // address: the handle; a free must name one.
    if (e.kind == EventKind::kFree) {
      e.address = required_u64(f, native::kAddress);
    } else {
      e.address = optional_u64(f, native::kAddress);
    }
  }

  // The physical-address constraints and the caching type of the page-granular routines.
  void parse_physical_columns(const std::string_view* f, const RoutineColumns& takes, Event& e) {
    const Routine r = e.routine;
    e.window.lowest = PhysAddr{constraint(f, native::kLowest, takes.lowest, r)};
    e.window.highest = PhysAddr{constraint(f, native::kHighest, takes.highest, r)};
    e.window.boundary = Bytes{constraint(f, native::kBoundary, takes.boundary, r)};
    const std::string_view cache = f[native::kCache];
    if (takes.cache != Takes::kNo && !cache.empty()) {
      const auto c = parse_cache_type(cache);
      if (!c)
        bad_column(native::kCache, "MmNonCached, MmCached, MmWriteCombined or a number", cache);
      e.cache = *c;
    } else if (takes.cache == Takes::kRequired) {
      bad_column(native::kCache, "the caching type " + std::string(routine_name(r)) + " takes",
                 cache);
    } else if (takes.cache == Takes::kNo) {
      ignore_set(f, native::kCache, r);
    }
  }

  void parse_node_and_adapter(const std::string_view* f, RoutineFamily family, Event& e) {
    if (!f[native::kNode].empty()) {
      const auto node = parse_u64(f[native::kNode]);
      if (!node || *node > 0x7FFFFFFF)
        bad_column(native::kNode, "a NUMA node number", f[native::kNode]);
      e.node = static_cast<std::int32_t>(*node);
    }
    // adapter: the common-buffer routines (their frees name it too); must be declared.
    if (family != RoutineFamily::kCommonBuffer) {
      ignore_set(f, native::kAdapter, e.routine);
      return;
    }
    if (f[native::kAdapter].empty()) return;
    e.adapter = strings_.intern(f[native::kAdapter]);
    if (declared_adapter(e.adapter) == nullptr) {
      throw LineProblem{"column 'adapter': adapter " + quoted(f[native::kAdapter]) +
                        " is not declared (add a '#!adapter name=... map_registers=...' line "
                        "before it)"};
    }
  }

  // The pool type a free of the pool family recorded (ETW's PoolFree carries the freed block's
  // POOL_TYPE): kept, so the engine can compare it with the allocation's. POOL_FLAGS names are
  // read too, for converters that copy ExAllocatePool2's argument onto the free.
  void free_pool(std::string_view pool, Event& e) {
    if (pool == last_pool_type_.text) {
      e.pool_arg = PoolArg::kPoolType;
      e.pool = last_pool_type_.value;
    } else if (const auto type = parse_pool_type(pool)) {
      e.pool_arg = PoolArg::kPoolType;
      e.pool = *type;
      last_pool_type_.text.assign(pool);
      last_pool_type_.value = *type;
    } else if (const auto flags = parse_pool_flags(pool)) {
      e.pool_arg = PoolArg::kPoolFlags;
      e.pool = *flags;
    } else {
      bad_column(native::kPool, "a POOL_TYPE name such as NonPagedPoolNx, or a number", pool);
    }
  }

  // The last text of a column and what it parsed to: traces repeat the same routine, pool type,
  // process and thread line after line, and a comparison is cheaper than a lookup. The text is
  // copied (the line's buffer moves on); its capacity is kept, so this allocates only while the
  // longest text seen grows.
  template <typename T>
  struct Memo {
    std::string text;
    T value{};
  };
  StringId intern(std::string_view text, Memo<StringId>& memo) {
    if (text == memo.text) return memo.value;
    memo.value = strings_.intern(text);
    memo.text.assign(text);
    return memo.value;
  }
  // One per event kind: allocations and frees alternate, each with its own routine.
  std::array<Memo<Routine>, 3> last_routine_;
  Memo<std::uint64_t> last_pool_type_;
  Memo<std::uint64_t> last_pool_flags_;
  Memo<StringId> last_process_;
  Memo<StringId> last_thread_;

  // Where an adapter's declaration is in adapters_, by the string id of its name: one lookup,
  // however many adapters a trace declares.
  const std::size_t* declared_adapter(StringId name) const {
    if (name >= adapter_at_.size() || adapter_at_[name] == kNoAdapter) return nullptr;
    return &adapter_at_[name];
  }
  static constexpr std::size_t kNoAdapter = ~std::size_t{0};
  std::vector<std::size_t> adapter_at_;

  // The header's columns: the format's fifteen, then those a converter added.
  unsigned columns_ = native::kColumnCount;
  std::array<std::string, kMaxColumns> names_;
  IgnoredFieldTally<kMaxColumns> ignored_;
  std::array<std::string_view, kMaxColumns> fields_{};
  std::string scratch_;
  LineScan presplit_;              // how the line being parsed was split as it was read
  std::string record_;             // a record of several lines, joined (parse_record)
  std::uint64_t record_line_ = 0;  // the first line of the record being parsed
};

}  // namespace

bool looks_native(std::string_view head) {
  if (head.starts_with(kUtf8Bom)) head.remove_prefix(kUtf8Bom.size());
  return head.starts_with(native::kMagicPrefix);
}

std::unique_ptr<TraceReader> make_native_reader(std::unique_ptr<ByteSource> source,
                                                const ReadOptions& options) {
  return std::make_unique<NativeReader>(std::move(source), options);
}

}  // namespace fragreplay::trace

// WPA Pool table CSV reader (see wpa_csv_reader.hpp).
#include "trace/text/wpa_csv_reader.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "trace/etl/pool_payload.hpp"
#include "trace/text/text_fields.hpp"
#include "trace/text/text_reader_base.hpp"

namespace fragreplay::trace {
namespace {

using namespace text;

constexpr std::uint64_t kDefaultUnitNs = 1'000'000'000;  // seconds
// Addresses given to rows of a table without an Address column: one 16-byte slot per row.
constexpr std::uint64_t kSyntheticAddressBase = std::uint64_t{1} << 63;

constexpr std::array<std::string_view, 2> kTagNames{"pooltag", "tag"};
constexpr std::array<std::string_view, 5> kSizeNames{"size", "allocationsize", "numberofbytes",
                                                     "bytes", "allocsize"};
constexpr std::array<std::string_view, 7> kAllocTimeNames{
    "alloctime",      "allocatetime",        "allocationtime", "allocatetimestamp",
    "alloctimestamp", "allocationtimestamp", "allocatedtime"};

std::vector<std::string> normalized_columns(std::string_view line) {
  std::vector<std::string_view> fields;
  std::string scratch;
  std::vector<std::string> cols;
  if (!split_fields(line, fields, scratch)) return cols;
  for (const std::string_view f : fields) cols.push_back(normalize_name(f));
  return cols;
}

// One allocation of the table.
struct Row {
  std::uint64_t alloc_ns = 0;
  std::uint64_t free_ns = 0;
  std::uint64_t bytes = 0;
  std::uint64_t address = 0;
  std::uint64_t line = 0;
  std::uint64_t pool = 0;  // POOL_TYPE, modifier bits stripped
  std::uint32_t tag = 0;
  StringId process = 0;
  StringId thread = 0;
  bool freed = false;
  bool rundown = false;
};

class WpaPoolCsvReader final : public TextReaderBase {
 public:
  WpaPoolCsvReader(std::unique_ptr<ByteSource> source, const ReadOptions& options)
      : TextReaderBase(std::move(source), options),
        unit_ns_(options.time_unit_ns != 0 ? options.time_unit_ns : kDefaultUnitNs) {
    if (options.time_unit_ns == 0) {
      facts_.notes.push_back("WPA times read in seconds (--time-unit to change)");
    }
    read_header();
  }

  std::string_view format() const override { return "wpa-pool-csv"; }

  std::size_t read(std::span<Event> out) override {
    if (!loaded_) load();
    std::size_t n = 0;
    while (n < out.size() && (next_alloc_ < rows_.size() || next_free_ < frees_.size())) {
      const bool take_alloc =
          next_free_ == frees_.size() || (next_alloc_ < rows_.size() && alloc_first());
      Event& e = out[n++];
      if (take_alloc) {
        const Row& r = rows_[next_alloc_++];
        fill(e, r, EventKind::kAlloc, r.alloc_ns);
      } else {
        const Row& r = rows_[frees_[next_free_++]];
        fill(e, r, EventKind::kFree, r.free_ns);
      }
    }
    return n;
  }

 private:
  // The next alloc goes before the next free if it is earlier, or at the same time unless the
  // free's own alloc is already out (frees first at equal times, so an address freed and
  // reused at one instant is not seen live twice).
  bool alloc_first() const {
    const Row& a = rows_[next_alloc_];
    const std::uint32_t fi = frees_[next_free_];
    const Row& f = rows_[fi];
    if (a.alloc_ns != f.free_ns) return a.alloc_ns < f.free_ns;
    return fi >= next_alloc_;  // the free's own alloc has not been handed out yet
  }

  void fill(Event& e, const Row& r, EventKind kind, std::uint64_t time) const {
    e = Event{};
    e.time_ns = time;
    e.kind = kind;
    e.routine_inferred = true;
    e.source_pos = r.line;
    e.tag = Tag{r.tag};
    e.bytes = r.bytes;
    e.address = r.address;
    e.process = r.process;
    e.thread = r.thread;
    if (kind == EventKind::kAlloc) {
      e.routine = Routine::kExAllocatePoolWithTag;
      e.pool_arg = PoolArg::kPoolType;
      e.pool = r.pool;
      e.rundown = r.rundown;
    } else {
      e.routine = Routine::kExFreePoolWithTag;
    }
  }

  void read_header() {
    std::string_view line;
    while (lines_.next(line)) {
      if (lines_.line_number() == 1) line = skip_bom(line);
      if (trim(line).empty()) continue;
      const std::vector<std::string> cols = normalized_columns(line);
      tag_ = find_column(cols, kTagNames);
      size_ = find_column(cols, kSizeNames);
      alloc_time_ = find_column(cols, kAllocTimeNames);
      free_time_ = find_column(
          cols, {"freetime", "freetimestamp", "freedtime", "deallocatetime", "deallocationtime"});
      address_ = find_column(cols, {"address", "allocationaddress", "entry", "poolentry", "va",
                                    "virtualaddress", "baseaddress"});
      kind_ = find_column(cols, {"pooltype", "paged", "pool"});
      lifetime_ = find_column(cols, {"type", "lifetime"});
      process_ = find_column(cols, {"process", "processname", "allocatingprocess"});
      thread_ = find_column(cols, {"thread", "threadid", "allocatingthread"});
      count_ = find_column(cols, {"count", "allocationcount"});
      if (tag_ < 0 || size_ < 0 || alloc_time_ < 0) {
        fail_here("a WPA pool table needs the columns Pool Tag, Size and Alloc Time");
      }
      if (address_ < 0) {
        facts_.notes.push_back("no Address column: each row gets an address of its own");
      }
      if (kind_ < 0) {
        facts_.notes.push_back(
            "no Paged or Pool Type column: allocations replayed as "
            "NonPagedPool");
      }
      if (free_time_ < 0) facts_.notes.push_back("no Free Time column: nothing is freed");
      return;
    }
    fail_here("empty file, expected a WPA pool table header");
  }

  static bool absent(std::string_view v) { return v.empty() || v == "-" || v == "N/A"; }

  void load() {
    loaded_ = true;
    std::string_view line;
    while (lines_.next(line)) {
      if (!trim(line).empty()) guarded([&] { add_row(line); });
    }
    // Allocs in time order; frees as indices into the sorted rows, in time order.
    std::stable_sort(rows_.begin(), rows_.end(),
                     [](const Row& a, const Row& b) { return a.alloc_ns < b.alloc_ns; });
    for (std::uint32_t i = 0; i < rows_.size(); ++i) {
      if (rows_[i].freed) frees_.push_back(i);
    }
    std::stable_sort(frees_.begin(), frees_.end(), [this](std::uint32_t a, std::uint32_t b) {
      return rows_[a].free_ns < rows_[b].free_ns;
    });
  }

  void add_row(std::string_view line) {
    split(line);
    if (rows_.size() == UINT32_MAX) line_problem("more than 4,294,967,295 rows");
    ++facts_.records;
    if (count_ >= 0 && !absent(field(count_))) {
      const auto c = parse_number(field(count_));
      if (c && *c > 1) {
        line_problem("this row stands for " + std::to_string(*c) +
                     " allocations (Count column): the table is aggregated; export the Pool "
                     "table with one row per allocation (ungroup it, keep Address, Alloc Time, "
                     "Free Time)");
      }
    }
    Row r;
    r.line = lines_.line_number();
    const auto tag = parse_tag(field(tag_));
    if (!tag) bad_value("Pool Tag", "four characters or a number", field(tag_));
    r.tag = *tag;
    const auto bytes = parse_number(field(size_));
    if (!bytes) bad_value("Size", "a number of bytes", field(size_));
    r.bytes = *bytes;
    if (r.bytes > kMaxBytes) {
      line_problem("size " + std::to_string(r.bytes) +
                   " is more than any address space holds (2^48)");
    }
    const std::string_view lifetime = field(lifetime_);
    const bool outside = lifetime.size() == 4 && (lifetime[0] == 'A' || lifetime[0] == 'a') &&
                         (lifetime[1] == 'O' || lifetime[1] == 'o');
    if (absent(field(alloc_time_)) || outside) {
      r.rundown = true;
      ++facts_.pool.snapshot_start_entries;
    } else {
      ++facts_.pool.allocs;
    }
    if (!absent(field(alloc_time_))) r.alloc_ns = time(alloc_time_, "Alloc Time");
    if (!absent(field(free_time_))) {
      r.freed = true;
      r.free_ns = time(free_time_, "Free Time");
      ++facts_.pool.frees;
      if (r.free_ns < r.alloc_ns) line_problem("Free Time is before Alloc Time");
    }
    if (address_ >= 0) {
      const auto a = parse_number(field(address_));
      if (!a || *a == 0) bad_value("Address", "a non-zero address", field(address_));
      r.address = *a;
    } else {
      r.address = kSyntheticAddressBase | (static_cast<std::uint64_t>(rows_.size()) << 4);
    }
    if (kind_ >= 0 && !absent(field(kind_))) {
      const auto k = parse_pool_kind(field(kind_));
      if (!k) bad_value("Paged", "Paged, NonPaged or a pool type", field(kind_));
      r.pool = etl::pool_type_value(static_cast<std::uint32_t>(*k), false);
    }
    if (process_ >= 0 && !absent(field(process_))) {
      scratch_.clear();
      normalize_process(field(process_), scratch_);
      r.process = strings_.intern(scratch_);
    }
    if (thread_ >= 0 && !absent(field(thread_))) r.thread = strings_.intern(field(thread_));
    rows_.push_back(r);
  }

  std::uint64_t time(int col, std::string_view what) {
    const auto t = parse_time(field(col), unit_ns_);
    if (!t) bad_value(what, "a non-negative time", field(col));
    return *t;
  }

  static constexpr std::uint64_t kMaxBytes = std::uint64_t{1} << 48;

  std::uint64_t unit_ns_;
  int tag_ = -1;
  int size_ = -1;
  int alloc_time_ = -1;
  int free_time_ = -1;
  int address_ = -1;
  int kind_ = -1;
  int lifetime_ = -1;
  int process_ = -1;
  int thread_ = -1;
  int count_ = -1;
  bool loaded_ = false;
  std::vector<Row> rows_;
  std::vector<std::uint32_t> frees_;
  std::size_t next_alloc_ = 0;
  std::size_t next_free_ = 0;
};

}  // namespace

bool looks_wpa_pool_csv(std::string_view head) {
  const std::vector<std::string> cols = normalized_columns(first_line(head));
  return find_column(cols, kTagNames) >= 0 && find_column(cols, kSizeNames) >= 0 &&
         find_column(cols, kAllocTimeNames) >= 0;
}

std::unique_ptr<TraceReader> make_wpa_pool_csv_reader(std::unique_ptr<ByteSource> source,
                                                      const ReadOptions& options) {
  return std::make_unique<WpaPoolCsvReader>(std::move(source), options);
}

}  // namespace fragreplay::trace

// xperf dumper text reader (see xperf_text_reader.hpp).
#include "trace/text/xperf_text_reader.hpp"

#include <array>
#include <map>
#include <optional>
#include <vector>

#include "trace/text/text_fields.hpp"
#include "trace/text/text_reader_base.hpp"

namespace fragreplay::trace {
namespace {

using namespace text;

constexpr std::uint64_t kDefaultUnitNs = 1'000;  // microseconds

// The columns of one event type, from its BeginHeader line.
struct Schema {
  std::uint64_t line = 0;  // where it was declared
  std::size_t columns = 0;
  int time = -1;
  int process = -1;
  int thread = -1;
  int type = -1;
  int tag = -1;
  int bytes = -1;
  int address = -1;
  std::optional<PoolRowClass> pool;  // set for pool events
  bool usable = false;               // a pool event with the columns it needs
};

class XperfTextReader final : public TextReaderBase {
 public:
  XperfTextReader(std::unique_ptr<ByteSource> source, const ReadOptions& options)
      : TextReaderBase(std::move(source), options),
        unit_ns_(options.time_unit_ns != 0 ? options.time_unit_ns : kDefaultUnitNs) {
    if (options.time_unit_ns == 0) {
      facts_.notes.push_back(
          "xperf TimeStamp read as microseconds since the trace start (--time-unit to change)");
    }
    read_header();
  }

  std::string_view format() const override { return "xperf-text"; }
  // An allocation's Stack rows follow it, so the last allocation of a full batch is held back
  // until the next batch (its stack may still come); only then is its stack interned.
  std::size_t read(std::span<Event> out) override {
    if (out.empty()) return 0;
    if (out.size() == 1) return read_one(out[0]);
    std::size_t n = 0;
    if (held_) {
      out[0] = *held_;
      held_.reset();
      if (stack_open_) last_alloc_ = &out[0];
      n = 1;
    }
    n += read_rows(out.subspan(n), [this](std::string_view line, Event& e) {
      if (!parse_row(line, e)) return false;  // parse_row closed the stack before it
      stack_open_ = true;
      last_alloc_ = e.kind == EventKind::kAlloc && !e.rundown ? &e : nullptr;
      last_free_ = e.kind == EventKind::kFree;
      return true;
    });
    if (n == out.size() && n > 1 && stack_open_ && last_alloc_ == &out[n - 1]) {
      held_ = out[n - 1];
      last_alloc_ = nullptr;
      return n - 1;
    }
    close_stack();
    return n;
  }
  const CodeMap* code() const override { return &code_; }
  const InputFacts& facts() const override {
    facts_.stacks.distinct = code_.stacks.size() - 1;
    return TextReaderBase::facts();
  }

 private:
  // A batch of one cannot hold its event back: it is read two at a time, the second kept.
  std::size_t read_one(Event& out) {
    if (spare_count_ == 0) {
      spare_count_ = read(std::span<Event>(spare_));
      spare_next_ = 0;
      if (spare_count_ == 0) return 0;
    }
    out = spare_[spare_next_++];
    if (spare_next_ == spare_count_) spare_count_ = 0;
    return 1;
  }

  void read_header() {
    std::string_view line;
    bool begun = false;
    while (lines_.next(line)) {
      const std::string_view t = trim(lines_.line_number() == 1 ? skip_bom(line) : line);
      if (t.empty()) continue;
      if (!begun) {
        if (t != "BeginHeader") fail_here("expected \"BeginHeader\" (xperf dumper text)");
        begun = true;
        continue;
      }
      if (t == "EndHeader") return;
      guarded([&] { add_schema(t); });
    }
    fail_here("the file ends before \"EndHeader\"");
  }

  void add_schema(std::string_view line) {
    split(line);
    Schema s;
    s.line = lines_.line_number();
    s.columns = fields_.size();
    std::vector<std::string> cols;
    for (const std::string_view f : fields_) cols.push_back(normalize_name(f));
    s.time = find_column(cols, {"timestamp"});
    s.process = find_column(cols, {"processnamepid", "processname", "process"});
    s.thread = find_column(cols, {"threadid", "thread", "tid"});
    s.type = find_column(cols, {"pooltype", "type"});
    s.tag = find_column(cols, {"pooltag", "tag"});
    s.bytes = find_column(cols, {"numberofbytes", "size", "bytes", "nbytes"});
    s.address =
        find_column(cols, {"entry", "address", "poolentry", "va", "virtualaddress", "baseaddress"});
    const std::string name(fields_[0]);
    s.pool = classify_pool_name(normalize_name(name));
    if (s.pool) {
      const PoolRowKind k = s.pool->kind;
      const bool replayed =
          k == PoolRowKind::kAlloc || k == PoolRowKind::kFree || k == PoolRowKind::kRundown;
      if (replayed) {
        std::string missing;
        auto need = [&](int col, std::string_view what) {
          if (col < 0) missing += (missing.empty() ? "" : ", ") + std::string(what);
        };
        need(s.time, "TimeStamp");
        need(s.address, "Entry (or Address)");
        if (k != PoolRowKind::kFree) {
          need(s.tag, "Tag");
          need(s.bytes, "NumberOfBytes (or Size)");
        }
        if (!missing.empty()) {
          schemas_.emplace(name, s);
          line_problem("pool event " + name + " has no column " + missing +
                       "; its rows cannot be replayed");
        }
        if (s.type < 0 && k != PoolRowKind::kFree && !noted_no_type_) {
          noted_no_type_ = true;
          facts_.notes.push_back("pool event " + name +
                                 " has no Type column: its allocations are replayed as "
                                 "NonPagedPool");
        }
      }
      s.usable = replayed;
    }
    schemas_.emplace(name, s);
  }

  // Returns true if the row became an event.
  bool parse_row(std::string_view line, Event& e) {
    split(line);
    ++facts_.records;
    const std::string_view name = fields_[0];
    count_name(name);
    if (name == "Stack") {
      attach_stack();
      return false;
    }
    close_stack();
    if (name.starts_with("UnknownEvent") && line.find("0268a8b6") != std::string_view::npos) {
      ++facts_.pool_rows_without_fields;  // PoolTrace's GUID, but no decoded fields
    }
    const auto it = schemas_.find(name);
    if (it == schemas_.end()) {
      have_last_ = false;
      return false;
    }
    const Schema& s = it->second;
    remember_last(s);
    if (!s.pool) return false;
    count_pool_row(facts_, *s.pool);
    if (!s.usable) {
      if (s.pool->kind == PoolRowKind::kAlloc || s.pool->kind == PoolRowKind::kFree ||
          s.pool->kind == PoolRowKind::kRundown) {
        ++facts_.pool_rows_without_fields;
      }
      return false;
    }
    if (fields_.size() < s.columns) {
      line_problem(std::string(name) + " rows have " + std::to_string(s.columns) +
                   " columns (BeginHeader line " + std::to_string(s.line) + "), this one has " +
                   std::to_string(fields_.size()));
    }
    PoolFields f;
    f.time_ns = time_of(s);
    if (s.type >= 0 && !field(s.type).empty()) {
      f.pool_type = parse_pool_kind(field(s.type));
      if (!f.pool_type) bad_value("Type", "a pool type (number or name)", field(s.type));
    }
    if (s.tag >= 0) {
      const auto tag = parse_tag(field(s.tag));
      if (!tag) bad_value("Tag", "four characters or a number", field(s.tag));
      f.tag = *tag;
    }
    if (s.bytes >= 0 && !(s.pool->kind == PoolRowKind::kFree && field(s.bytes).empty())) {
      f.bytes = number(s.bytes, "NumberOfBytes");
    }
    f.address = number(s.address, "Entry");
    if (s.process >= 0) f.process = field(s.process);
    if (s.thread >= 0) f.thread = field(s.thread);
    return pool_event(e, *s.pool, f);
  }

  std::uint64_t time_of(const Schema& s) {
    const auto t = parse_time(field(s.time), unit_ns_);
    if (!t) bad_value("TimeStamp", "a non-negative number", field(s.time));
    return *t;
  }
  std::uint64_t number(int col, std::string_view what) {
    const auto v = parse_number(field(col));
    if (!v) bad_value(what, "a number (decimal or 0x hexadecimal)", field(col));
    return *v;
  }

  // The last event row's TimeStamp and ThreadID, which its Stack rows repeat.
  void remember_last(const Schema& s) {
    have_last_ = s.time >= 0 && s.thread >= 0 &&
                 static_cast<std::size_t>(s.time) < fields_.size() &&
                 static_cast<std::size_t>(s.thread) < fields_.size();
    if (!have_last_) return;
    last_time_ = std::string(field(s.time));
    last_thread_ = std::string(field(s.thread));
  }

  void attach_stack() {
    // Stack, TimeStamp, ThreadID, FrameNumber, Address, Image!Function
    const bool attached =
        have_last_ && fields_.size() >= 3 && fields_[1] == last_time_ && fields_[2] == last_thread_;
    ++(attached ? facts_.stack_rows : facts_.orphan_stack_rows);
    if (!attached || !stack_open_) return;
    if (frames_.empty()) {
      ++facts_.stacks.records;
      if (last_free_) ++facts_.stacks.on_frees;
    }
    if (last_alloc_ == nullptr) {
      frames_.push_back(0);  // counts the frames of a free's stack, which is not kept
      return;
    }
    const auto address = parse_number(field(4));
    if (!address) bad_value("Address", "a frame address (0x hexadecimal)", field(4));
    frames_.push_back(*address);
    const std::string_view name = trim(field(5));
    if (!name.empty() && name != "?" && name.find('!') != std::string_view::npos) {
      code_.frame_names.try_emplace(*address, name);
    }
    if (*address > 0xFFFFFFFFULL) code_.pointer_size = 8;
    if (code_.pointer_size == 0) code_.pointer_size = 4;
  }

  // The Stack rows of the last pool event are over: an allocation gets its stack.
  void close_stack() {
    if (last_alloc_ != nullptr && !frames_.empty()) {
      last_alloc_->stack = code_.stacks.intern(frames_);
      ++facts_.stacks.on_allocations;
      facts_.stacks.frames += frames_.size();
    }
    frames_.clear();
    last_alloc_ = nullptr;
    last_free_ = false;
    stack_open_ = false;
  }

  std::uint64_t unit_ns_;
  std::map<std::string, Schema, std::less<>> schemas_;
  bool noted_no_type_ = false;
  bool have_last_ = false;
  std::string last_time_;
  std::string last_thread_;
  // The pool event whose Stack rows are being read (stack_open_), when it is an allocation.
  bool stack_open_ = false;
  Event* last_alloc_ = nullptr;
  bool last_free_ = false;
  std::vector<std::uint64_t> frames_;
  std::optional<Event> held_;
  std::array<Event, 2> spare_{};
  std::size_t spare_count_ = 0;
  std::size_t spare_next_ = 0;
  CodeMap code_;
};

}  // namespace

bool looks_xperf_text(std::string_view head) { return trim(first_line(head)) == "BeginHeader"; }

std::unique_ptr<TraceReader> make_xperf_text_reader(std::unique_ptr<ByteSource> source,
                                                    const ReadOptions& options) {
  return std::make_unique<XperfTextReader>(std::move(source), options);
}

}  // namespace fragreplay::trace

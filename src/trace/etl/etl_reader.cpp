// The ETL reader (see etl_reader.hpp): per-CPU streams of buffers, merged by timestamp.
#include "trace/etl/etl_reader.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "trace/etl/buffer_index.hpp"
#include "trace/etl/code_payload.hpp"
#include "trace/etl/event_record.hpp"
#include "trace/etl/logfile_header.hpp"
#include "trace/etl/pool_payload.hpp"
#include "trace/etl/record_tally.hpp"

namespace fragreplay::trace {
namespace {

using namespace etl;

// A pool event waiting in its CPU's queue, with its raw timestamp for the merge.
// The thread is kept to match the StackWalk that follows it (code_payload.hpp).
struct Pending {
  std::uint64_t time = 0;
  bool has_thread = false;
  std::uint32_t thread = 0;
  Event event;
};

// One CPU's buffers, in file order (which is time order), read one record at a time: the
// buffer being read is kept decoded, and the events of the last pool record (a snapshot lists
// many) wait in the queue.
struct Stream {
  std::vector<std::uint32_t> buffers;  // indices into the buffer index
  std::size_t next_buffer = 0;
  const BufferInfo* buffer = nullptr;  // being read; null between buffers
  std::uint32_t buffer_index = 0;
  ByteBuffer data;      // its events, decompressed
  std::size_t pos = 0;  // of the next record in `data`
  std::vector<Pending> queue;
  std::size_t head = 0;
  bool seen_record = false;
  std::uint64_t first_time = 0;  // of its first record with a time
  bool has_last_pool = false;
  std::uint64_t last_pool_time = 0;
  bool empty() const { return head == queue.size(); }
  // The record at `pos` of the current buffer, decoded by the look for a StackWalk
  // (next_is_stack_walk) and not read yet: read_record takes it rather than decode it again.
  bool has_peeked = false;
  std::size_t peeked_pos = 0;
  Record peeked;
};

// What is wrong in the input, and where; with how many records came before it, when that is
// known at the time (else: all that were read).
struct Problem {
  std::uint64_t offset = 0;
  std::string message;
  std::optional<std::uint64_t> records_before;
};

// The heap of streams, ordered by their next event's time (then CPU order, for determinism).
struct HeapItem {
  std::uint64_t time;
  std::uint32_t stream;
  friend bool operator>(const HeapItem& a, const HeapItem& b) {
    return a.time != b.time ? a.time > b.time : a.stream > b.stream;
  }
};

class EtlReader final : public TraceReader {
  // Decoded buffers held at once (one per CPU) may not exceed this: real traces need a few MB;
  // a file whose headers claim more is refused instead of exhausting memory.
  static constexpr std::uint64_t kMaxResident = std::uint64_t{1} << 30;

 public:
  EtlReader(std::unique_ptr<ByteSource> source, const ReadOptions& options)
      : source_(std::move(source)), options_(options), name_(source_->name()) {
    if (!source_->seekable()) source_ = spill_to_temporary_file(std::move(source_));
    index_ = index_buffers(*source_, source_->total());
    if (index_.has_problem) {
      if (index_.buffers.empty()) {
        throw Error(Position::at_offset(name_, index_.problem.offset), index_.problem.message);
      }
      report(Problem{index_.problem.offset, index_.problem.message, std::nullopt}, /*fatal=*/false);
    }
    // One stream per CPU, in CPU order; each lists its buffers in file order.
    std::map<std::uint16_t, std::vector<std::uint32_t>> by_cpu;
    for (std::uint32_t i = 0; i < index_.buffers.size(); ++i) {
      by_cpu[index_.buffers[i].cpu].push_back(i);
    }
    for (auto& [cpu, buffers] : by_cpu) streams_.emplace_back().buffers = std::move(buffers);
    // The stream holding the file's first buffer goes first: that buffer starts with the trace
    // header, so it is read before anything else.
    for (Stream& s : streams_) {
      if (s.buffers.front() == 0) fill(s);
    }
    for (Stream& s : streams_) {
      if (s.buffers.front() != 0) fill(s);
    }
    if (!header_) {
      throw Error(Position::at_offset(name_, kBufferHeaderSize),
                  "the first event of the file is not a readable trace header");
    }
    // Times count from the earliest event: the header's or the first of any CPU's.
    origin_ = header_time_;
    for (const Stream& s : streams_) {
      if (s.seen_record) origin_ = std::min(origin_, s.first_time);
    }
    for (std::uint32_t i = 0; i < streams_.size(); ++i) push(i);
  }

  std::size_t read(std::span<Event> out) override {
    std::size_t n = 0;
    while (n < out.size() && !heap_.empty()) {
      const std::uint32_t i = heap_.top().stream;
      heap_.pop();
      Stream& s = streams_[i];
      const Pending& p = s.queue[s.head++];
      out[n] = p.event;
      out[n].time_ns = p.time > origin_ ? header_->clock.ns_between(origin_, p.time) : 0;
      ++n;
      if (s.empty()) fill(s);
      push(i);
    }
    if (n == 0 && pending_) {
      Problem p = std::move(*pending_);
      pending_.reset();
      throw Error(Position::at_offset(name_, p.offset),
                  p.message + " (" + std::to_string(p.records_before.value_or(tally_.records())) +
                      " records were read before it; --on-bad-line skip reads past it)");
    }
    return n;
  }

  std::string_view format() const override { return "etl"; }
  Platform platform() const override { return Platform::kWindows; }
  const std::string& name() const override { return name_; }
  const StringTable& strings() const override { return strings_; }
  const std::vector<AdapterDecl>& adapters() const override { return adapters_; }
  const BadLines& bad_lines() const override { return bad_lines_; }
  // Progress: the bytes of the buffers read so far (the merge reads the file out of order).
  std::uint64_t bytes_consumed() const override { return consumed_; }
  std::uint64_t bytes_total() const override { return source_->total(); }
  const CodeMap* code() const override { return &code_; }

  const InputFacts& facts() const override {
    facts_.etl = header_ ? std::optional(header_->facts) : std::nullopt;
    facts_.pointer_size = header_ ? header_->facts.pointer_size : 0;
    tally_.fill(facts_, origin_, header_ ? header_->clock : TraceClock{});
    facts_.stacks.distinct = code_.stacks.size() - 1;
    facts_.stacks.images = code_.modules.size();
    facts_.stacks.images_overlapping = code_.modules.overlapping();
    return facts_;
  }

 private:
  void push(std::uint32_t i) {
    const Stream& s = streams_[i];
    if (!s.empty()) heap_.push(HeapItem{s.queue[s.head].time, i});
  }

  // Records a problem: under kSkip a bad record, under kFail the error raised once every event
  // read before it has been handed out. `fatal` problems also stop all further reading.
  void report(Problem p, bool fatal) {
    if (options_.on_bad_line == BadLinePolicy::kSkip) {
      bad_lines_.add(p.offset, std::move(p.message));
      return;
    }
    if (!pending_) pending_ = std::move(p);
    if (fatal) stop_ = true;
  }

  // Reads the stream's records until one gives events or none are left.
  void fill(Stream& s) {
    s.queue.clear();
    s.head = 0;
    while (s.queue.empty() && !stop_) {
      if (s.buffer == nullptr && !open_next_buffer(s)) return;
      if (s.buffer != nullptr) read_record(s);
    }
    // The stacks of the events just queued follow them on their CPU: they are read before the
    // events go out. A stack the kernel wrote at the start of the CPU's next buffer is not
    // looked for there (opening that buffer early could stop the other CPUs' reading at damage
    // they have not reached): it counts as on no pool event.
    while (!s.queue.empty() && !stop_ && next_is_stack_walk(s)) read_record(s);
  }

  // True if the next record of the stream's current buffer is a StackWalk event.
  static bool next_is_stack_walk(Stream& s) {
    if (s.buffer == nullptr) return false;
    const ByteSpan data = s.data.span();
    if (s.pos + 4 > data.size() || le32(data.data() + s.pos) == kPaddingMarker) return false;
    if (decode_record(data, s.pos, s.peeked) != nullptr) return false;  // read_record reports it
    s.has_peeked = true;
    s.peeked_pos = s.pos;
    return is_stack_walk_record(s.peeked);
  }

  // Makes the stream's next buffer current; false when it has none left (its memory is then
  // given back).
  bool open_next_buffer(Stream& s) {
    if (s.next_buffer == s.buffers.size()) {
      resident_ -= s.data.capacity();
      s.data.release();
      return false;
    }
    const std::uint32_t i = s.buffers[s.next_buffer++];
    const BufferInfo& b = index_.buffers[i];
    consumed_ += b.size;
    ++facts_.buffers;
    if (b.compressed()) ++facts_.compressed_buffers;
    if ((b.flags & kFlagEventsLost) != 0) ++facts_.buffers_events_lost;
    if ((b.flags & kFlagBufferLost) != 0) ++facts_.buffers_buffer_lost;
    // The budget is checked before the buffer is allocated.
    const std::size_t need = b.filled > kBufferHeaderSize ? b.filled - kBufferHeaderSize : 0;
    const std::size_t before = s.data.capacity();
    const char* why = nullptr;
    if (need > before && resident_ + (need - before) > kMaxResident) {
      why =
          "this trace needs more than 1 GiB of decoded buffers in memory at once (its CPUs' "
          "buffers claim too much)";
    } else {
      why = load_buffer(*source_, b, raw_, s.data);
      resident_ += s.data.capacity() - before;
    }
    if (why != nullptr) {
      resident_ -= s.data.capacity();
      s.data.release();
      report(Problem{b.offset, std::string("unreadable ETL buffer: ") + why, tally_.records()},
             /*fatal=*/true);
      return true;  // nothing current; fill() stops on stop_
    }
    s.buffer = &b;
    s.buffer_index = i;
    s.pos = 0;
    s.has_peeked = false;
    return true;
  }

  // Reads the record at the stream's position; at the end of the buffer, leaves it.
  void read_record(Stream& s) {
    const BufferInfo& b = *s.buffer;
    const ByteSpan data = s.data.span();
    if (s.pos + 4 > data.size() || le32(data.data() + s.pos) == kPaddingMarker) {
      s.buffer = nullptr;
      return;
    }
    const std::size_t pos = s.pos;
    Record r;
    const bool peeked = s.has_peeked && s.peeked_pos == pos;
    s.has_peeked = false;
    if (peeked) {
      r = s.peeked;
    } else if (const char* why = decode_record(data, pos, r)) {
      report(Problem{where(b, pos), std::string("corrupt ETL event: ") + why + in_buffer(b, pos),
                     tally_.records()},
             /*fatal=*/true);
      s.buffer = nullptr;
      return;
    }
    s.pos = next_record(pos, r);
    tally_.count(r);
    if (r.has_time && !s.seen_record) {
      s.seen_record = true;
      s.first_time = r.time;
    }
    const ByteSpan payload = data.subspan(pos + r.payload, r.size - r.payload);
    if (s.buffer_index == 0 && pos == 0) {
      read_header(r, payload);
    } else if (is_pool_record(r)) {
      on_pool_record(s, r, payload, where(b, pos));
    } else if (is_stack_walk_record(r)) {
      on_stack_walk(s, r, payload, where(b, pos));
    } else if (is_image_record(r)) {
      on_image(r, payload, where(b, pos));
    } else if (is_stack_key_record(r)) {
      ++facts_.stacks.key_references;
    }
  }

  // A StackWalk: the stack of the queued pool event at its timestamp on its thread, if any.
  void on_stack_walk(Stream& s, const Record& r, ByteSpan payload, std::uint64_t pos) {
    StackFacts& f = facts_.stacks;
    ++f.records;
    StackWalk w;
    if (const char* why = decode_stack_walk(payload, r.pointer_size(), w)) {
      ++f.malformed;
      report(Problem{pos, std::string(why) + " (" + std::to_string(payload.size()) + " bytes)",
                     tally_.records() - 1},
             /*fatal=*/true);
      return;
    }
    code_.pointer_size = static_cast<unsigned>(w.pointer_size);
    for (std::size_t i = s.head; i < s.queue.size(); ++i) {
      Pending& p = s.queue[i];
      if (p.time != w.event_time || p.event.rundown || p.event.stack != 0) continue;
      if (p.has_thread && p.thread != w.thread_id) continue;
      if (p.event.kind != EventKind::kAlloc) {
        ++f.on_frees;
        return;
      }
      frames_.clear();
      for (std::size_t k = 0; k < w.frame_count(); ++k) frames_.push_back(w.frame(k));
      p.event.stack = code_.stacks.intern(frames_);
      if (p.event.stack != 0) {
        ++f.on_allocations;
        f.frames += frames_.size();
      } else {
        ++f.unmatched;  // a walk with no frames gives the allocation no stack
      }
      return;
    }
    ++f.unmatched;
  }

  // An Image event: maps a kernel-space image (user-space ones are counted, not mapped: pool
  // stacks are walked in the kernel).
  void on_image(const Record& r, ByteSpan payload, std::uint64_t pos) {
    StackFacts& f = facts_.stacks;
    if (r.type != kTypeImageLoad && r.type != kTypeImageUnload && r.type != kTypeImageDcStart &&
        r.type != kTypeImageDcEnd) {
      return;  // KernelBase and the other Image events map nothing (counted by type)
    }
    ++f.image_records;
    if (r.version < 2) {
      ++f.image_records_old;
      return;
    }
    ImageEvent image;
    if (const char* why = decode_image(payload, r.pointer_size(), image)) {
      report(Problem{pos, std::string(why) + " (" + std::to_string(payload.size()) + " bytes)",
                     tally_.records() - 1},
             /*fatal=*/true);
      return;
    }
    const std::uint64_t kernel_start = r.is64 ? 0xFFFF800000000000ULL : 0x80000000ULL;
    if (image.base < kernel_start) {
      ++f.user_images;
      return;
    }
    code_.modules.add(image.base, image.size, image_file_name(image.file_name));
  }

  // Byte offset in the file of a record: exact in plain buffers, the buffer's in compressed ones.
  static std::uint64_t where(const BufferInfo& b, std::size_t pos) {
    return b.compressed() ? b.offset : b.offset + kBufferHeaderSize + pos;
  }
  static std::string in_buffer(const BufferInfo& b, std::size_t pos) {
    if (!b.compressed()) return {};
    return " (in a compressed buffer, at byte " + std::to_string(pos) +
           " of its decompressed events)";
  }

  void read_header(const Record& r, ByteSpan payload) {
    if (r.kind != RecordKind::kSystem || r.group != kGroupHeader || r.type != 0) {
      throw Error(Position::at_offset(name_, kBufferHeaderSize),
                  "the first event of an ETL file must be the trace header (group 0, type 0)");
    }
    LogfileHeader h;
    if (const char* why = decode_logfile_header(payload, r.pointer_size(), h)) {
      throw Error(Position::at_offset(name_, kBufferHeaderSize),
                  std::string("unreadable trace header: ") + why);
    }
    header_ = h;
    header_time_ = r.time;
  }

  // Decodes a PoolTrace record into events; a malformed one is reported (see report()).
  void on_pool_record(Stream& s, const Record& r, ByteSpan payload, std::uint64_t pos) {
    PoolRecordCounts& c = facts_.pool;
    const PoolRecordClass cls = classify_pool_record(r.type);
    const bool session = is_session_pool_record(r.type);
    const std::size_t ptr = r.pointer_size();
    auto refuse = [&](const std::string& why) {
      ++c.malformed;
      // The record itself is counted already.
      report(Problem{pos, why, tally_.records() - 1}, /*fatal=*/true);
    };
    switch (cls) {
      case PoolRecordClass::kAlloc:
      case PoolRecordClass::kFree:
      case PoolRecordClass::kAddPoolPage:
      case PoolRecordClass::kBigPoolPage: {
        PoolEntry e;
        if (const char* why = decode_pool_entry(payload, ptr, session, e)) {
          return refuse(std::string(why) + " (" + std::to_string(payload.size()) + " bytes)");
        }
        if (e.bytes > kMaxAllocationBytes) return refuse(size_problem(e.bytes));
        if (cls == PoolRecordClass::kAddPoolPage) {
          ++c.add_pool_pages;
          return;
        }
        if (cls == PoolRecordClass::kBigPoolPage) {
          ++c.big_pool_pages;
          return;
        }
        const bool alloc = cls == PoolRecordClass::kAlloc;
        ++(alloc ? (session ? c.session_allocs : c.allocs) : (session ? c.session_frees : c.frees));
        if (e.address == 0) {
          if (alloc) {
            ++c.null_allocs;
          } else {
            refuse("pool free of address 0");
          }
          return;
        }
        enqueue(s, r, e, alloc ? EventKind::kAlloc : EventKind::kFree, session, false, pos);
        return;
      }
      case PoolRecordClass::kSnapshotStart:
      case PoolRecordClass::kSnapshotEnd: {
        const bool start = cls == PoolRecordClass::kSnapshotStart;
        ++(start ? c.snapshot_start_records : c.snapshot_end_records);
        std::size_t count = 0;
        if (const char* why = snapshot_entries(payload, ptr, count)) {
          return refuse(std::string(why) + " (" + std::to_string(payload.size()) + " bytes)");
        }
        for (std::size_t i = 0; i < count; ++i) {
          const PoolEntry e = snapshot_entry(payload, ptr, i);
          if (e.bytes > kMaxAllocationBytes) return refuse(size_problem(e.bytes));
        }
        (start ? c.snapshot_start_entries : c.snapshot_end_entries) += count;
        if (!start) return;
        for (std::size_t i = 0; i < count; ++i) {
          const PoolEntry e = snapshot_entry(payload, ptr, i);
          if (e.address != 0) enqueue(s, r, e, EventKind::kAlloc, session, true, pos);
        }
        return;
      }
      case PoolRecordClass::kOther:
        ++c.other;
        return;
    }
  }

  static std::string size_problem(std::uint64_t bytes) {
    return "pool event claims an allocation of " + std::to_string(bytes) +
           " bytes, more than any address space holds (2^48)";
  }

  void enqueue(Stream& s, const Record& r, const PoolEntry& p, EventKind kind, bool session,
               bool rundown, std::uint64_t pos) {
    Pending& pending = s.queue.emplace_back();
    pending.time = r.time;
    pending.has_thread = r.has_ids;
    pending.thread = r.thread_id;
    Event& e = pending.event;
    e.kind = kind;
    e.routine =
        kind == EventKind::kAlloc ? Routine::kExAllocatePoolWithTag : Routine::kExFreePoolWithTag;
    // PoolFree carries the freed block's type too: kept for the engine's pool-type check.
    e.pool_arg = PoolArg::kPoolType;
    e.pool = pool_type_value(p.pool_type, session);
    e.tag = Tag{p.tag};
    e.bytes = p.bytes;
    e.address = p.address;
    e.rundown = rundown;
    e.routine_inferred = true;
    e.source_pos = pos;
    if (r.has_ids) {
      e.process = intern_number(r.process_id);
      e.thread = intern_number(r.thread_id);
    }
    if (!rundown) {
      if (s.has_last_pool && r.time < s.last_pool_time) ++facts_.out_of_order;
      s.has_last_pool = true;
      s.last_pool_time = r.time;
    }
  }

  StringId intern_number(std::uint32_t v) {
    char buf[16];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    return strings_.intern(std::string_view(buf, static_cast<std::size_t>(res.ptr - buf)));
  }

  std::unique_ptr<ByteSource> source_;
  ReadOptions options_;
  std::string name_;
  BufferIndex index_;
  std::vector<Stream> streams_;
  std::priority_queue<HeapItem, std::vector<HeapItem>, std::greater<>> heap_;
  std::optional<LogfileHeader> header_;
  std::uint64_t header_time_ = 0;
  std::uint64_t origin_ = 0;
  ByteBuffer raw_;              // compressed bytes of the buffer being decompressed
  std::uint64_t resident_ = 0;  // decoded buffer bytes held by all streams
  std::uint64_t consumed_ = 0;  // on-disk bytes of the buffers read
  RecordTally tally_;
  std::optional<Problem> pending_;
  bool stop_ = false;
  StringTable strings_;
  std::vector<AdapterDecl> adapters_;
  BadLines bad_lines_;
  CodeMap code_;
  std::vector<std::uint64_t> frames_;  // the stack being interned
  mutable InputFacts facts_;
};

}  // namespace

bool looks_etl(std::string_view head) {
  if (head.size() < kBufferHeaderSize + kSystemHeaderSize) return false;
  const auto* p = reinterpret_cast<const std::uint8_t*>(head.data());
  const std::uint32_t size = le32(p + kBufSize);
  const std::uint8_t* e = p + kBufferHeaderSize;
  const bool system = e[2] == kSystem32 || e[2] == kSystem64;
  return size >= kBufferHeaderSize && system && e[3] == kHeaderFlags && e[6] == 0 &&
         e[7] == kGroupHeader;
}

std::unique_ptr<TraceReader> make_etl_reader(std::unique_ptr<ByteSource> source,
                                             const ReadOptions& options) {
  return std::make_unique<EtlReader>(std::move(source), options);
}

}  // namespace fragreplay::trace

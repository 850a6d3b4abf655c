// Compact binary native format reader. The decompressed stream is read into a large buffer and
// decoded in place: an event record is a type byte, a presence mask and the fields it names, so
// reading one costs a few varint decodes and no lookup. Input is untrusted: every varint, length
// and string id is checked, and what the native reader refuses (a routine that does not match
// the event's kind, a size above 2^48, an undeclared adapter) is refused here too.
#include "trace/frb_reader.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "trace/frb_format.hpp"
#include "trace/native_format.hpp"

namespace fragreplay::trace {
namespace {

using frb::bit;

constexpr std::size_t kBuffer = std::size_t{1} << 20;

// Where decoding is: the next byte and the end of the bytes buffered.
struct Cursor {
  const std::uint8_t* p;
  const std::uint8_t* end;
};

// Per routine, the kinds (bit EventKind) an event of it may have.
std::array<std::uint8_t, kRoutineCount> kinds_allowed() {
  std::array<std::uint8_t, kRoutineCount> out{};
  for (unsigned r = 0; r < kRoutineCount; ++r) {
    const auto routine = static_cast<Routine>(r);
    if (routine_family(routine) == RoutineFamily::kPhase) out[r] |= 1u << 2;
    if (routine_allocates(routine)) out[r] |= 1u << 0;
    if (routine_frees(routine)) out[r] |= 1u << 1;
  }
  return out;
}

class FrbReader final : public TraceReader {
 public:
  explicit FrbReader(std::unique_ptr<ByteSource> source)
      : source_(std::move(source)), name_(source_->name()), kinds_allowed_(kinds_allowed()) {
    buf_.resize(kBuffer);
    p_ = end_ = buf_.data();
    read_header();
  }

  std::size_t read(std::span<Event> out) override {
    std::size_t n = 0;
    while (n < out.size() && !ended_) {
      if (static_cast<std::size_t>(end_ - p_) < frb::kMaxEventBytes) fill(frb::kMaxEventBytes);
      if (p_ == end_) {
        fail_at(p_, "truncated .frb file: it ends without its end record (" +
                        std::to_string(events_) + " events read)");
      }
      if (*p_ >= frb::kEventBase) {
        decode_event(out[n++]);
      } else {
        read_record();
      }
    }
    return n;
  }

  std::string_view format() const override { return frb::kFormatName; }
  Platform platform() const override { return platform_; }
  const std::string& name() const override { return name_; }
  const StringTable& strings() const override { return strings_; }
  const std::vector<AdapterDecl>& adapters() const override { return adapters_; }
  const BadLines& bad_lines() const override { return bad_lines_; }
  std::uint64_t bytes_consumed() const override { return source_->consumed(); }
  std::uint64_t bytes_total() const override { return source_->total(); }

 private:
  struct KindState {
    std::uint32_t tag = 0;
    std::uint64_t pool = 0;
  };

  std::uint64_t offset(const std::uint8_t* p) const {
    return base_ + static_cast<std::uint64_t>(p - buf_.data());
  }
  [[noreturn]] void fail_at(const std::uint8_t* p, std::string message) const {
    throw Error(Position::at_offset(name_, offset(p)), std::move(message));
  }
  // A field of the record that starts at p_ is malformed at `at`.
  [[noreturn]] void bad_field(const std::uint8_t* at, std::string_view field,
                              std::string_view problem) const {
    fail_at(at, std::string(record_name()) + " at byte " + std::to_string(offset(p_)) + ": " +
                    std::string(field) + " " + std::string(problem));
  }
  std::string_view record_name() const {
    if (!header_done_) return "the .frb header";
    if (*p_ >= frb::kEventBase) return "event record";
    if (*p_ == frb::kString) return "string record";
    if (*p_ == frb::kAdapter) return "adapter record";
    return "end record";
  }

  // Makes at least `n` bytes available from p_ unless the input ends first (the buffer grows for
  // a long string); reads as much as the buffer holds.
  void fill(std::size_t n) {
    const auto have = static_cast<std::size_t>(end_ - p_);
    if (have >= n || eof_) return;
    base_ += static_cast<std::uint64_t>(p_ - buf_.data());
    std::memmove(buf_.data(), p_, have);
    if (buf_.size() < n) buf_.resize(std::max(n, 2 * buf_.size()));
    std::size_t len = have;
    while (len < buf_.size()) {
      const std::size_t got =
          source_->read(reinterpret_cast<char*>(buf_.data() + len), buf_.size() - len);
      if (got == 0) {
        eof_ = true;
        break;
      }
      len += got;
    }
    p_ = buf_.data();
    end_ = p_ + len;
  }

  std::uint64_t varint(Cursor& c, std::string_view field) const {
    const std::uint8_t* p = c.p;
    if (p < c.end && *p < 0x80) {
      c.p = p + 1;
      return *p;
    }
    std::uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (p == c.end) bad_field(c.p, field, "runs past the end of the file");
      const std::uint8_t b = *p++;
      if (shift == 63 && b > 1) bad_field(c.p, field, "is a varint of more than 64 bits");
      v |= std::uint64_t{b & 0x7Fu} << shift;
      if (b < 0x80) break;
    }
    c.p = p;
    return v;
  }
  StringId string_id(Cursor& c, std::string_view field) const {
    const std::uint8_t* at = c.p;
    const std::uint64_t id = varint(c, field);
    if (id >= strings_.size()) {
      bad_field(at, field,
                "names string " + std::to_string(id) + ", but only " +
                    std::to_string(strings_.size()) + " are defined before it");
    }
    return static_cast<StringId>(id);
  }

  void read_header() {
    fill(frb::kMagic.size() + 3 * 10);
    if (static_cast<std::size_t>(end_ - p_) < frb::kMagic.size() ||
        std::memcmp(p_, frb::kMagic.data(), frb::kMagic.size()) != 0) {
      fail_at(p_,
              "not a .frb file, or one damaged in transfer (its first 8 bytes are not "
              "89 46 52 42 0d 0a 1a 0a)");
    }
    Cursor c{p_ + frb::kMagic.size(), end_};
    const std::uint64_t version = varint(c, "the version");
    if (version != frb::kVersion) {
      fail_at(p_ + frb::kMagic.size(),
              ".frb version " + std::to_string(version) + " is not one this fragreplay reads (1)");
    }
    const std::uint8_t* at = c.p;
    const std::uint64_t platform = varint(c, "the platform");
    if (platform > static_cast<std::uint64_t>(Platform::kLinux)) {
      bad_field(at, "the platform", "is not 0 (any), 1 (Windows) or 2 (Linux)");
    }
    platform_ = static_cast<Platform>(platform);
    at = c.p;
    const std::uint64_t comment = varint(c, "the comment's length");
    if (comment > frb::kMaxComment) bad_field(at, "the comment's length", "exceeds 64 KiB");
    const auto head = static_cast<std::size_t>(c.p - p_);
    fill(head + comment);
    if (static_cast<std::size_t>(end_ - p_) < head + comment) {
      bad_field(p_ + head, "the comment", "runs past the end of the file");
    }
    p_ += head + comment;
    header_done_ = true;
  }

  void read_record() {
    Cursor c{p_ + 1, end_};
    switch (*p_) {
      case frb::kString:
        return read_string(c);
      case frb::kAdapter:
        return read_adapter(c);
      case frb::kEnd:
        return read_end(c);
      default:
        fail_at(p_, "unknown .frb record type " + std::to_string(*p_));
    }
  }

  void read_string(Cursor& c) {
    const std::uint8_t* at = c.p;
    const std::uint64_t len = varint(c, "its length");
    if (len > frb::kMaxString) bad_field(at, "its length", "exceeds 1 MiB");
    if (len == 0) bad_field(at, "its length", "is 0: the empty string is id 0 already");
    const auto head = static_cast<std::size_t>(c.p - p_);
    fill(head + len);
    if (static_cast<std::size_t>(end_ - p_) < head + len) {
      bad_field(p_ + head, "its text", "runs past the end of the file");
    }
    const std::string_view text(reinterpret_cast<const char*>(p_ + head), len);
    const std::size_t before = strings_.size();
    if (strings_.intern(text) != before) bad_field(p_ + head, "its text", "is defined twice");
    p_ += head + len;
  }

  void read_adapter(Cursor& c) {
    AdapterDecl a;
    const std::uint8_t* at = c.p;
    a.name = string_id(c, "its name");
    if (a.name == 0) bad_field(at, "its name", "is the empty string");
    a.highest = varint(c, "highest");
    at = c.p;
    a.boundary = varint(c, "boundary");
    // BoundaryAddressMultiple: 0 (none) or a power of two, at least a page (docs/model.md §5.3).
    if (a.boundary != 0 && (a.boundary < 4096 || !std::has_single_bit(a.boundary))) {
      bad_field(at, "boundary", "is not 0 or a power of two of at least 4096");
    }
    a.map_registers = varint(c, "map_registers");
    a.declared_at = varint(c, "declared_at");
    if (declared(a.name)) bad_field(p_, "the adapter", "is declared twice");
    if (adapter_declared_.size() <= a.name) adapter_declared_.resize(a.name + 1, false);
    adapter_declared_[a.name] = true;
    adapters_.push_back(a);
    p_ = c.p;
  }

  void read_end(Cursor& c) {
    const std::uint8_t* at = c.p;
    const std::uint64_t count = varint(c, "the event count");
    if (count != events_) {
      bad_field(at, "the event count",
                "says " + std::to_string(count) + " events, but the file holds " +
                    std::to_string(events_));
    }
    p_ = c.p;
    fill(1);
    if (p_ != end_) fail_at(p_, "data after the end record of the .frb file");
    ended_ = true;
  }

  bool declared(StringId name) const {
    return name < adapter_declared_.size() && adapter_declared_[name];
  }

  void decode_event(Event& e);
  void decode_rare_fields(Cursor& c, std::uint64_t mask, Event& e);

  std::unique_ptr<ByteSource> source_;
  std::string name_;
  StringTable strings_;
  std::vector<AdapterDecl> adapters_;
  std::vector<bool> adapter_declared_;  // by name id
  BadLines bad_lines_;                  // always none: a malformed record is an error
  const std::array<std::uint8_t, kRoutineCount> kinds_allowed_;

  std::vector<std::uint8_t> buf_;
  const std::uint8_t* p_;
  const std::uint8_t* end_;
  std::uint64_t base_ = 0;  // offset in the stream of buf_[0]
  bool eof_ = false;
  Platform platform_ = Platform::kAny;
  bool header_done_ = false;
  bool ended_ = false;
  std::uint64_t events_ = 0;

  // What the next event is coded against (frb_format.hpp, MaskBit).
  std::uint64_t time_ = 0;
  std::uint64_t address_ = 0;
  std::uint64_t source_pos_ = 0;
  StringId process_ = 0;
  StringId thread_ = 0;
  std::array<KindState, 3> kinds_{};
};

void FrbReader::decode_event(Event& e) {
  Cursor c{p_ + 1, end_};
  const unsigned r = *p_ - frb::kEventBase;
  if (r >= kRoutineCount) fail_at(p_, "unknown .frb record type " + std::to_string(*p_));
  const std::uint8_t* at = c.p;
  const std::uint64_t mask = varint(c, "the mask");
  const unsigned kind = mask & 3;
  const unsigned pool_arg = (mask >> frb::kPoolArgShift) & 3;
  if ((mask >> frb::kMaskBits) != 0 || kind == 3 || pool_arg == 3) {
    bad_field(at, "the mask", "has bits or values no version 1 writer sets");
  }
  if ((kinds_allowed_[r] & (1u << kind)) == 0) {
    bad_field(at, "the event kind",
              "does not match the routine " + std::string(routine_name(static_cast<Routine>(r))));
  }
  // Every field is assigned (no `e = Event{}`: zeroing the whole event first was a third of the
  // time an event took).
  e.routine = static_cast<Routine>(r);
  e.kind = static_cast<EventKind>(kind);
  e.pool_arg = static_cast<PoolArg>(pool_arg);
  e.rundown = (mask & bit(frb::kRundown)) != 0;
  e.routine_inferred = (mask & bit(frb::kInferred)) != 0;
  if (e.rundown && e.kind != EventKind::kAlloc)
    bad_field(at, "the mask", "marks a non-alloc rundown");
  KindState& last = kinds_[kind];
  if (mask & bit(frb::kTime)) time_ += frb::unzigzag(varint(c, "time_ns"));
  e.time_ns = time_;
  e.bytes = 0;
  if (mask & bit(frb::kBytes)) {
    const std::uint8_t* bytes_at = c.p;
    e.bytes = varint(c, "bytes");
    if (e.bytes > native::kMaxBytes) bad_field(bytes_at, "bytes", "is above 2^48");
  }
  e.address = 0;
  if (mask & bit(frb::kAddress)) {
    address_ += frb::unzigzag(varint(c, "address"));
    e.address = address_;
  }
  if (mask & bit(frb::kTag)) {
    if (c.end - c.p < 4) bad_field(c.p, "the tag", "runs past the end of the file");
    last.tag = std::uint32_t{c.p[0]} | std::uint32_t{c.p[1]} << 8 | std::uint32_t{c.p[2]} << 16 |
               std::uint32_t{c.p[3]} << 24;
    c.p += 4;
  }
  e.tag = Tag{last.tag};
  if (mask & bit(frb::kPool)) last.pool = varint(c, "pool");
  e.pool = last.pool;
  if (mask & bit(frb::kProcess)) process_ = string_id(c, "process");
  e.process = process_;
  if (mask & bit(frb::kThread)) thread_ = string_id(c, "thread");
  e.thread = thread_;
  source_pos_ += 1;
  if (mask & bit(frb::kSourcePos)) source_pos_ += frb::unzigzag(varint(c, "source_pos"));
  e.source_pos = source_pos_;
  e.window = ContiguousWindow{};
  e.cache = kCacheNotGiven;
  e.charged_bytes = 0;
  e.node = -1;
  e.adapter = 0;
  e.call_site = 0;
  e.call_site_symbol = 0;
  if ((mask >> frb::kLowest) != 0) decode_rare_fields(c, mask, e);
  p_ = c.p;
  ++events_;
}

// The fields most events lack: the window, cache, charged size, node, adapter and call site.
void FrbReader::decode_rare_fields(Cursor& c, std::uint64_t mask, Event& e) {
  if (mask & bit(frb::kLowest)) e.window.lowest = PhysAddr{varint(c, "lowest")};
  if (mask & bit(frb::kHighest)) e.window.highest = PhysAddr{varint(c, "highest")};
  if (mask & bit(frb::kBoundary)) e.window.boundary = Bytes{varint(c, "boundary")};
  if (mask & bit(frb::kCache)) {
    const std::uint8_t* at = c.p;
    const std::uint64_t v = varint(c, "cache");
    if (v >= static_cast<std::uint64_t>(CachingType::kMmMaximumCacheType)) {
      bad_field(at, "cache", "is not a MEMORY_CACHING_TYPE (0 to 5)");
    }
    e.cache = static_cast<CachingType>(v);
  }
  if (mask & bit(frb::kCharged)) e.charged_bytes = varint(c, "charged_bytes");
  if (mask & bit(frb::kNode)) {
    const std::uint8_t* at = c.p;
    const std::uint64_t v = varint(c, "node");
    if (v > 0x7FFFFFFF) bad_field(at, "node", "is not a NUMA node number");
    e.node = static_cast<std::int32_t>(v);
  }
  if (mask & bit(frb::kAdapterId)) {
    const std::uint8_t* at = c.p;
    e.adapter = string_id(c, "adapter");
    if (!declared(e.adapter)) bad_field(at, "adapter", "names an adapter not declared before it");
  }
  if (mask & bit(frb::kCallSite)) e.call_site = varint(c, "call_site");
  if (mask & bit(frb::kCallSiteSymbol)) e.call_site_symbol = string_id(c, "call_site_symbol");
}

}  // namespace

bool looks_frb(std::string_view head) {
  return head.substr(0, frb::kMagicNameSize) == frb::kMagic.substr(0, frb::kMagicNameSize);
}

std::unique_ptr<TraceReader> make_frb_reader(std::unique_ptr<ByteSource> source,
                                             const ReadOptions&) {
  return std::make_unique<FrbReader>(std::move(source));
}

}  // namespace fragreplay::trace

// Compact binary native format writer (see frb_writer.hpp). Records are built in a raw buffer
// and handed to zstd a megabyte at a time.
#include "trace/frb_writer.hpp"

#include <zstd.h>

#include <cerrno>
#include <cstring>

#include "base/error.hpp"
#include "trace/frb_format.hpp"

namespace fragreplay::trace {
namespace {

constexpr std::size_t kChunk = std::size_t{1} << 20;
constexpr int kLevel = 3;  // zstd's default: fast to write, and reading speed hardly depends on it

char* put_varint(char* p, std::uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(static_cast<std::uint8_t>(v) | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

void append_varint(std::string& out, std::uint64_t v) {
  char tmp[10];
  out.append(tmp, static_cast<std::size_t>(put_varint(tmp, v) - tmp));
}

}  // namespace

FrbWriter::FrbWriter(std::FILE* out, const std::string& comment, std::string name,
                     Platform platform)
    : out_(out), name_(std::move(name)), zstd_(ZSTD_createCCtx()) {
  if (zstd_ == nullptr) fail("cannot create a zstd compressor");
  ZSTD_CCtx_setParameter(zstd_, ZSTD_c_compressionLevel, kLevel);
  ZSTD_CCtx_setParameter(zstd_, ZSTD_c_checksumFlag, 1);
  compressed_.resize(ZSTD_CStreamOutSize());
  raw_ += frb::kMagic;
  append_varint(raw_, frb::kVersion);
  append_varint(raw_, static_cast<std::uint64_t>(platform));
  const std::string_view text =
      std::string_view(comment).substr(0, static_cast<std::size_t>(frb::kMaxComment));
  append_varint(raw_, text.size());
  raw_ += text;
}

FrbWriter::~FrbWriter() { ZSTD_freeCCtx(zstd_); }

void FrbWriter::fail(const std::string& what) const {
  throw Error(Position{name_, 0, 0, false}, what);
}

void FrbWriter::define_strings(const StringTable& strings) {
  for (; defined_ < strings.size(); ++defined_) {
    const std::string& s = strings.get(static_cast<StringId>(defined_));
    if (s.size() > frb::kMaxString) {
      fail("a string of " + std::to_string(s.size()) + " bytes is longer than the format allows");
    }
    raw_ += static_cast<char>(frb::kString);
    append_varint(raw_, s.size());
    raw_ += s;
  }
}

void FrbWriter::declare(const AdapterDecl& a, const StringTable& strings) {
  if (a.name < declared_.size() && declared_[a.name]) return;
  define_strings(strings);
  if (declared_.size() <= a.name) declared_.resize(a.name + 1, false);
  declared_[a.name] = true;
  raw_ += static_cast<char>(frb::kAdapter);
  append_varint(raw_, a.name);
  append_varint(raw_, a.highest);
  append_varint(raw_, a.boundary);
  append_varint(raw_, a.map_registers);
  append_varint(raw_, a.declared_at);
}

void FrbWriter::write(const Event& e, const StringTable& strings) {
  if (strings.size() > defined_) define_strings(strings);
  using frb::bit;
  const unsigned kind = static_cast<unsigned>(e.kind);
  KindState& last = kinds_[kind];
  std::uint32_t mask =
      (kind << frb::kKindShift) | (static_cast<std::uint32_t>(e.pool_arg) << frb::kPoolArgShift);
  if (e.time_ns != time_) mask |= bit(frb::kTime);
  if (e.bytes != 0) mask |= bit(frb::kBytes);
  if (e.address != 0) mask |= bit(frb::kAddress);
  if (e.tag.value != last.tag) mask |= bit(frb::kTag);
  if (e.pool != last.pool) mask |= bit(frb::kPool);
  if (e.process != process_) mask |= bit(frb::kProcess);
  if (e.thread != thread_) mask |= bit(frb::kThread);
  if (e.source_pos != source_pos_ + 1) mask |= bit(frb::kSourcePos);
  if (e.rundown) mask |= bit(frb::kRundown);
  if (e.routine_inferred) mask |= bit(frb::kInferred);
  if (e.window.lowest.value != 0) mask |= bit(frb::kLowest);
  if (e.window.highest.value != 0) mask |= bit(frb::kHighest);
  if (e.window.boundary.value != 0) mask |= bit(frb::kBoundary);
  if (e.cache != kCacheNotGiven) mask |= bit(frb::kCache);
  if (e.charged_bytes != 0) mask |= bit(frb::kCharged);
  if (e.node != -1) mask |= bit(frb::kNode);
  if (e.adapter != 0) mask |= bit(frb::kAdapterId);
  if (e.call_site != 0) mask |= bit(frb::kCallSite);
  if (e.call_site_symbol != 0) mask |= bit(frb::kCallSiteSymbol);

  char rec[frb::kMaxEventBytes];
  char* p = rec;
  *p++ = static_cast<char>(frb::kEventBase + static_cast<unsigned>(e.routine));
  p = put_varint(p, mask);
  if (mask & bit(frb::kTime)) p = put_varint(p, frb::zigzag(e.time_ns - time_));
  if (mask & bit(frb::kBytes)) p = put_varint(p, e.bytes);
  if (mask & bit(frb::kAddress)) {
    p = put_varint(p, frb::zigzag(e.address - address_));
    address_ = e.address;
  }
  if (mask & bit(frb::kTag)) {
    for (unsigned i = 0; i < 4; ++i) *p++ = static_cast<char>(e.tag.value >> (8 * i));
  }
  if (mask & bit(frb::kPool)) p = put_varint(p, e.pool);
  if (mask & bit(frb::kProcess)) p = put_varint(p, e.process);
  if (mask & bit(frb::kThread)) p = put_varint(p, e.thread);
  if (mask & bit(frb::kSourcePos)) p = put_varint(p, frb::zigzag(e.source_pos - (source_pos_ + 1)));
  if (mask & bit(frb::kLowest)) p = put_varint(p, e.window.lowest.value);
  if (mask & bit(frb::kHighest)) p = put_varint(p, e.window.highest.value);
  if (mask & bit(frb::kBoundary)) p = put_varint(p, e.window.boundary.value);
  if (mask & bit(frb::kCache)) p = put_varint(p, static_cast<std::uint64_t>(e.cache));
  if (mask & bit(frb::kCharged)) p = put_varint(p, e.charged_bytes);
  if (mask & bit(frb::kNode)) p = put_varint(p, static_cast<std::uint32_t>(e.node));
  if (mask & bit(frb::kAdapterId)) p = put_varint(p, e.adapter);
  if (mask & bit(frb::kCallSite)) p = put_varint(p, e.call_site);
  if (mask & bit(frb::kCallSiteSymbol)) p = put_varint(p, e.call_site_symbol);
  raw_.append(rec, static_cast<std::size_t>(p - rec));

  time_ = e.time_ns;
  source_pos_ = e.source_pos;
  process_ = e.process;
  thread_ = e.thread;
  last.tag = e.tag.value;
  last.pool = e.pool;
  ++events_;
  if (raw_.size() >= kChunk) compress(false);
}

void FrbWriter::compress(bool end) {
  ZSTD_inBuffer in{raw_.data(), raw_.size(), 0};
  for (;;) {
    ZSTD_outBuffer out{compressed_.data(), compressed_.size(), 0};
    const std::size_t left =
        ZSTD_compressStream2(zstd_, &out, &in, end ? ZSTD_e_end : ZSTD_e_continue);
    if (ZSTD_isError(left)) fail(std::string("zstd: ") + ZSTD_getErrorName(left));
    if (out.pos != 0 && std::fwrite(compressed_.data(), 1, out.pos, out_) != out.pos) {
      fail(std::string("write failed: ") + std::strerror(errno));
    }
    if (end ? left == 0 : in.pos == in.size) break;
  }
  raw_.clear();
}

void FrbWriter::finish(const StringTable& strings) {
  if (finished_) return;
  finished_ = true;
  define_strings(strings);
  raw_ += static_cast<char>(frb::kEnd);
  append_varint(raw_, events_);
  compress(true);
  if (std::fflush(out_) != 0) fail(std::string("write failed: ") + std::strerror(errno));
}

}  // namespace fragreplay::trace

// gzip (zlib) and zstd (libzstd) decompressing sources (see compressed_source.hpp).
#include "trace/compressed_source.hpp"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/error.hpp"

namespace fragreplay::trace {
namespace {

constexpr std::size_t kInChunk = 1 << 18;

// What both decompressors share: the compressed input, read in chunks.
class Decompressor : public ByteSource {
 public:
  explicit Decompressor(std::unique_ptr<ByteSource> inner)
      : inner_(std::move(inner)), in_(kInChunk) {}
  const std::string& name() const override { return inner_->name(); }
  std::uint64_t consumed() const override { return inner_->consumed(); }
  std::uint64_t total() const override { return inner_->total(); }

 protected:
  // Refills the input buffer when it is used up; returns false at the end of the input.
  bool fill() {
    if (in_pos_ < in_len_) return true;
    in_len_ = inner_->read(in_.data(), in_.size());
    in_pos_ = 0;
    in_base_ += in_len_;
    return in_len_ != 0;
  }
  // Compressed byte offset of the next unread input byte, for messages.
  std::uint64_t offset() const { return in_base_ - in_len_ + in_pos_; }
  [[noreturn]] void fail(std::string_view what, const std::string& detail) const {
    throw Error(Position::at_offset(name(), offset()),
                std::string(what) + (detail.empty() ? "" : ": " + detail));
  }

  std::unique_ptr<ByteSource> inner_;
  std::vector<char> in_;
  std::size_t in_pos_ = 0;
  std::size_t in_len_ = 0;
  std::uint64_t in_base_ = 0;  // input bytes read so far
};

class GzipSource final : public Decompressor {
 public:
  explicit GzipSource(std::unique_ptr<ByteSource> inner) : Decompressor(std::move(inner)) {
    // 15 + 32: the largest window, gzip or zlib header detected automatically.
    if (inflateInit2(&z_, 15 + 32) != Z_OK) throw std::bad_alloc();
  }
  ~GzipSource() override { inflateEnd(&z_); }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  std::size_t read(char* buf, std::size_t n) override {
    if (n == 0 || done_) return 0;
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
    while (z_.avail_out != 0) {
      const bool have_input = fill();
      if (!have_input && !in_member_) {
        done_ = true;
        break;
      }
      if (!in_member_) {
        // A member starts: the first one, or one concatenated after the last.
        if (inflateReset(&z_) != Z_OK) fail("gzip", "reset failed");
        in_member_ = true;
      }
      z_.next_in = reinterpret_cast<Bytef*>(in_.data() + in_pos_);
      z_.avail_in = static_cast<uInt>(have_input ? in_len_ - in_pos_ : 0);
      const uInt out_before = z_.avail_out;
      const int rc = inflate(&z_, Z_NO_FLUSH);
      if (have_input) in_pos_ = in_len_ - z_.avail_in;
      if (rc == Z_STREAM_END) {
        in_member_ = false;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        fail("corrupt gzip stream", z_.msg != nullptr ? z_.msg : "inflate error");
      } else if (!have_input && z_.avail_out == out_before) {
        fail("truncated gzip stream", "the input ends inside a member");
      }
    }
    return n - z_.avail_out;
  }

 private:
  z_stream z_{};
  bool in_member_ = false;
  bool done_ = false;
};

class ZstdSource final : public Decompressor {
 public:
  explicit ZstdSource(std::unique_ptr<ByteSource> inner)
      : Decompressor(std::move(inner)), z_(ZSTD_createDStream()) {
    if (z_ == nullptr) throw std::bad_alloc();
    // Frames may ask for a window of up to 2^27 bytes (zstd's default limit); larger ones are
    // refused rather than allocated.
    ZSTD_DCtx_setParameter(z_, ZSTD_d_windowLogMax, 27);
  }
  ~ZstdSource() override { ZSTD_freeDStream(z_); }
  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;

  std::size_t read(char* buf, std::size_t n) override {
    ZSTD_outBuffer out{buf, n, 0};
    while (out.pos < out.size) {
      const bool have_input = fill();
      if (!have_input && !in_frame_) break;
      ZSTD_inBuffer in{in_.data(), have_input ? in_len_ : 0, have_input ? in_pos_ : 0};
      const std::size_t out_before = out.pos;
      const std::size_t rc = ZSTD_decompressStream(z_, &out, &in);
      if (have_input) in_pos_ = in.pos;
      if (ZSTD_isError(rc)) fail("corrupt zstd stream", ZSTD_getErrorName(rc));
      in_frame_ = rc != 0;
      if (!have_input && in_frame_ && out.pos == out_before) {
        fail("truncated zstd stream", "the input ends inside a frame");
      }
    }
    return out.pos;
  }

 private:
  ZSTD_DStream* z_;
  bool in_frame_ = false;
};

}  // namespace

Compression detect_compression(std::string_view head) {
  if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
      static_cast<unsigned char>(head[1]) == 0x8b) {
    return Compression::kGzip;
  }
  if (head.size() >= 4 && head.substr(0, 4) == std::string_view("\x28\xb5\x2f\xfd", 4)) {
    return Compression::kZstd;
  }
  return Compression::kNone;
}

std::string_view compression_name(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
  }
  return "?";
}

std::unique_ptr<ByteSource> decompressing_source(Compression c, std::unique_ptr<ByteSource> inner) {
  switch (c) {
    case Compression::kGzip:
      return std::make_unique<GzipSource>(std::move(inner));
    case Compression::kZstd:
      return std::make_unique<ZstdSource>(std::move(inner));
    case Compression::kNone:
      break;
  }
  throw std::logic_error("decompressing_source: no compression");
}

}  // namespace fragreplay::trace

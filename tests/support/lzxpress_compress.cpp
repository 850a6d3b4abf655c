// LZXPRESS plain LZ77 compression for tests (see lzxpress_compress.hpp).
#include "lzxpress_compress.hpp"

#include <cstdint>
#include <vector>

namespace fragreplay::testing {
namespace {

constexpr std::size_t kMaxOffset = 8192;  // 13 offset bits
constexpr std::size_t kMinMatch = 3;

class Encoder {
 public:
  explicit Encoder(std::string& out) : out_(out) { reserve_flags(); }

  void literal(char c) {
    out_.push_back(c);
    flag(0);
  }

  // A match of `length` bytes `offset` bytes back (MS-XCA's length encoding: 3 bits, a shared
  // half byte, a byte, then 16 or 32 bits).
  void match(std::size_t offset, std::size_t length) {
    std::size_t l = length - kMinMatch;
    const auto off = static_cast<std::uint32_t>(offset - 1);
    if (l < 7) {
      put16(static_cast<std::uint16_t>((off << 3) | l));
    } else {
      put16(static_cast<std::uint16_t>((off << 3) | 7));
      l -= 7;
      const std::size_t nibble = l < 15 ? l : 15;
      if (half_ == std::string::npos) {
        half_ = out_.size();
        out_.push_back(static_cast<char>(nibble));
      } else {
        out_[half_] = static_cast<char>(static_cast<unsigned char>(out_[half_]) | (nibble << 4));
        half_ = std::string::npos;
      }
      if (l >= 15) {
        l -= 15;
        if (l < 255) {
          out_.push_back(static_cast<char>(l));
        } else {
          out_.push_back(static_cast<char>(255));
          l += 15 + 7;
          if (l < (1u << 16)) {
            put16(static_cast<std::uint16_t>(l));
          } else {
            put16(0);
            put32(static_cast<std::uint32_t>(l));
          }
        }
      }
    }
    flag(1);
  }

  // Pads the last flag word with ones (the end marker) and writes it.
  void finish() {
    const unsigned left = 32 - count_;
    flags_ = left == 32 ? 0xFFFFFFFFu : (flags_ << left) | ((1u << left) - 1);
    write_flags();
  }

 private:
  void reserve_flags() {
    flags_at_ = out_.size();
    out_.append(4, '\0');
    flags_ = 0;
    count_ = 0;
  }
  void write_flags() {
    for (unsigned i = 0; i < 4; ++i) {
      out_[flags_at_ + i] = static_cast<char>((flags_ >> (8 * i)) & 0xFF);
    }
  }
  void flag(unsigned bit) {
    flags_ = (flags_ << 1) | bit;
    if (++count_ == 32) {
      write_flags();
      reserve_flags();
    }
  }
  void put16(std::uint16_t v) {
    out_.push_back(static_cast<char>(v & 0xFF));
    out_.push_back(static_cast<char>(v >> 8));
  }
  void put32(std::uint32_t v) {
    put16(static_cast<std::uint16_t>(v & 0xFFFF));
    put16(static_cast<std::uint16_t>(v >> 16));
  }

  std::string& out_;
  std::size_t flags_at_ = 0;
  std::uint32_t flags_ = 0;
  unsigned count_ = 0;
  std::size_t half_ = std::string::npos;
};

}  // namespace

std::string lzxpress_plain_compress(std::string_view in) {
  std::string out;
  Encoder enc(out);
  std::vector<std::int64_t> last(1 << 14, -1);  // hash of 3 bytes -> last position
  auto hash = [&](std::size_t i) {
    const unsigned a = static_cast<unsigned char>(in[i]);
    const unsigned b = static_cast<unsigned char>(in[i + 1]);
    const unsigned c = static_cast<unsigned char>(in[i + 2]);
    return ((a << 6) ^ (b << 3) ^ c ^ (a >> 2)) & ((1u << 14) - 1);
  };
  std::size_t i = 0;
  while (i < in.size()) {
    std::size_t best = 0;
    std::size_t best_off = 0;
    if (i + kMinMatch <= in.size()) {
      const unsigned h = hash(i);
      const std::int64_t cand = last[h];
      last[h] = static_cast<std::int64_t>(i);
      if (cand >= 0 && i - static_cast<std::size_t>(cand) <= kMaxOffset) {
        const auto c = static_cast<std::size_t>(cand);
        std::size_t n = 0;
        while (i + n < in.size() && in[c + n] == in[i + n]) ++n;
        if (n >= kMinMatch) {
          best = n;
          best_off = i - c;
        }
      }
    }
    if (best != 0) {
      enc.match(best_off, best);
      for (std::size_t k = 1; k < best && i + k + kMinMatch <= in.size(); ++k) {
        last[hash(i + k)] = static_cast<std::int64_t>(i + k);
      }
      i += best;
    } else {
      enc.literal(in[i]);
      ++i;
    }
  }
  enc.finish();
  return out;
}

}  // namespace fragreplay::testing

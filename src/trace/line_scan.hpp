// One pass over the bytes of a line that finds where it ends and where its fields end together:
// the newlines, commas and double quotes of 64 bytes at a time become three bitmasks (SSE2 on
// every x86-64, AVX2 where the build targets it, a byte loop elsewhere and for the last bytes of
// a range, so nothing past its end is read). The native reader's hot path (docs/formats.md §7);
// a line with a quote is left to split_quoted() (csv_fields.hpp), which gives the same fields
// for every line without one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#if defined(__AVX2__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fragreplay::trace {

enum class ScanStatus : std::uint8_t {
  kSplit,          // the fields are in `out`
  kTooManyFields,  // more than `capacity` fields (and no quote before the last one that fits)
  kNotSplit        // a double quote (or, from LineReader, a line begun in an earlier window):
                   // split_quoted() splits it
};

struct LineScan {
  std::size_t length = 0;  // bytes before the newline, or the whole range if it has none
  bool newline = false;    // a newline ends the line within the range
  std::size_t fields = 0;  // fields in `out` (kSplit)
  ScanStatus status = ScanStatus::kSplit;
};

namespace scan_detail {

// Bit i of each mask: byte i of the 64 at `p` is a newline, a comma, a double quote.
struct Masks {
  std::uint64_t newline, comma, quote;
};

inline Masks masks64(const char* p) {
#if defined(__AVX2__)
  const __m256i nl = _mm256_set1_epi8('\n');
  const __m256i comma = _mm256_set1_epi8(',');
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
  const auto bits = [](__m256i a, __m256i b, __m256i c) {
    const auto low = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, c)));
    const auto high = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, c)));
    return std::uint64_t{low} | (std::uint64_t{high} << 32);
  };
  return {bits(lo, hi, nl), bits(lo, hi, comma), bits(lo, hi, quote)};
#elif defined(__SSE2__)
  const __m128i nl = _mm_set1_epi8('\n');
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i quote = _mm_set1_epi8('"');
  Masks m{0, 0, 0};
  for (unsigned k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    const auto at = [&](__m128i c) {
      return std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, c)))}
             << (16 * k);
    };
    m.newline |= at(nl);
    m.comma |= at(comma);
    m.quote |= at(quote);
  }
  return m;
#else
  Masks m{0, 0, 0};
  for (unsigned i = 0; i < 64; ++i) {
    m.newline |= std::uint64_t{p[i] == '\n'} << i;
    m.comma |= std::uint64_t{p[i] == ','} << i;
    m.quote |= std::uint64_t{p[i] == '"'} << i;
  }
  return m;
#endif
}

}  // namespace scan_detail

// Scans the `n` bytes at `p` up to the first newline: the line's length and, unless it holds a
// double quote or more than `capacity` fields, its fields (split at every comma, a trailing "\r"
// not part of the last). Reads no byte outside [p, p + n).
inline LineScan scan_line(const char* p, std::size_t n, std::string_view* out,
                          std::size_t capacity) {
  LineScan r;
  std::size_t start = 0;  // of the field being read
  bool splitting = true;  // no quote and not too many fields yet
  const auto comma_at = [&](std::size_t at) {
    if (r.fields == capacity) {
      r.status = ScanStatus::kTooManyFields;
      splitting = false;
      return;
    }
    out[r.fields++] = std::string_view(p + start, at - start);
    start = at + 1;
  };
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const scan_detail::Masks m = scan_detail::masks64(p + i);
    // The bits before the block's first newline (all of them if it has none).
    const std::uint64_t before = m.newline != 0 ? (m.newline & (0 - m.newline)) - 1 : ~0ull;
    if (splitting && (m.quote & before) != 0) {
      r.status = ScanStatus::kNotSplit;
      splitting = false;
    }
    for (std::uint64_t c = m.comma & before; splitting && c != 0; c &= c - 1) {
      comma_at(i + static_cast<std::size_t>(__builtin_ctzll(c)));
    }
    if (m.newline != 0) {
      r.length = i + static_cast<std::size_t>(__builtin_ctzll(m.newline));
      r.newline = true;
      break;
    }
  }
  if (!r.newline) {
    for (; i < n && p[i] != '\n'; ++i) {
      if (!splitting) continue;
      if (p[i] == ',') {
        comma_at(i);
      } else if (p[i] == '"') {
        r.status = ScanStatus::kNotSplit;
        splitting = false;
      }
    }
    r.length = i;
    r.newline = i < n;
  }
  if (splitting) {
    const std::size_t end = r.length != 0 && p[r.length - 1] == '\r' ? r.length - 1 : r.length;
    if (r.fields == capacity) {
      r.status = ScanStatus::kTooManyFields;
    } else {
      out[r.fields++] = std::string_view(p + start, end - start);
    }
  }
  return r;
}

}  // namespace fragreplay::trace

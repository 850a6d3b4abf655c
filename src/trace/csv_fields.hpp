// Small, allocation-free helpers for comma-separated text: splitting a line into fields (with
// RFC 4180 double quotes when a field needs them), and strict number parsing (writing is
// base/text_append.hpp).
#pragma once

#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/text_append.hpp"

namespace fragreplay::trace {

// Splits `line` on commas into at most N fields. Quoted fields are unquoted into `scratch`
// (reused between calls, so steady-state splitting allocates nothing). Returns the number of
// fields, or N + 1 if the line has more than N fields, or 0 with `error` set for a broken quote.
template <std::size_t N>
std::size_t split_csv(std::string_view line, std::array<std::string_view, N>& out,
                      std::string& scratch, std::string_view& error) {
  std::size_t count = 0;
  std::size_t pos = 0;
  {
    // Fast path, one pass over the bytes: no quote in the line (native traces rarely have one).
    // Sixteen bytes at a time where SSE2 exists: one compare finds every comma and quote.
    const char* const begin = line.data();
    const std::size_t size = line.size();
    std::size_t start = 0;
    std::size_t i = 0;
#if defined(__SSE2__)
    const __m128i commas = _mm_set1_epi8(',');
    const __m128i quotes = _mm_set1_epi8('"');
    bool quoted = false;
    for (; i + 16 <= size; i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(begin + i));
      if (_mm_movemask_epi8(_mm_cmpeq_epi8(v, quotes)) != 0) {
        quoted = true;
        break;
      }
      auto m = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, commas)));
      while (m != 0) {
        const std::size_t at = i + static_cast<std::size_t>(__builtin_ctz(m));
        m &= m - 1;
        if (count == N) return N + 1;
        out[count++] = std::string_view(begin + start, at - start);
        start = at + 1;
      }
    }
    if (quoted) i = size + 1;  // skip the byte loop: straight to the quoted path
#endif
    for (; i < size; ++i) {
      const char c = begin[i];
      if (c == ',') {
        if (count == N) return N + 1;
        out[count++] = std::string_view(begin + start, i - start);
        start = i + 1;
      } else if (c == '"') {
        break;
      }
    }
    if (i == size) {
      if (count == N) return N + 1;
      out[count++] = std::string_view(begin + start, size - start);
      return count;
    }
    count = 0;
  }
  // Slow path: quoted fields. Reserve enough so views into scratch stay valid.
  scratch.clear();
  scratch.reserve(line.size());
  while (true) {
    if (count == N) return N + 1;
    if (pos < line.size() && line[pos] == '"') {
      const std::size_t start = scratch.size();
      ++pos;
      while (true) {
        if (pos >= line.size()) {
          error = "unterminated double quote";
          return 0;
        }
        if (line[pos] == '"') {
          if (pos + 1 < line.size() && line[pos + 1] == '"') {
            scratch.push_back('"');
            pos += 2;
            continue;
          }
          ++pos;
          break;
        }
        scratch.push_back(line[pos++]);
      }
      out[count++] = std::string_view(scratch).substr(start);
      if (pos == line.size()) return count;
      if (line[pos] != ',') {
        error = "text after a closing double quote";
        return 0;
      }
      ++pos;
    } else {
      const std::size_t comma = line.find(',', pos);
      out[count++] = line.substr(pos, comma == std::string_view::npos ? comma : comma - pos);
      if (comma == std::string_view::npos) return count;
      pos = comma + 1;
    }
  }
}

// An unsigned integer in decimal or 0x-hexadecimal, nothing else (no sign, no spaces); nullopt
// if it does not fit in 64 bits. Written out rather than std::from_chars: every event has a few,
// and this loop is several times cheaper (tests/bench, BM_ParseNative).
inline std::optional<std::uint64_t> parse_u64(std::string_view s) {
  const char* p = s.data();
  const char* const end = p + s.size();
  std::uint64_t v = 0;
  if (s.size() > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
    p += 2;
    while (p != end && *p == '0' && end - p > 1) ++p;  // leading zeros do not count to 16
    if (end - p > 16) return std::nullopt;
    for (; p != end; ++p) {
      const auto c = static_cast<unsigned char>(*p);
      unsigned d = c - unsigned{'0'};
      if (d > 9) {
        d = (c | 0x20u) - unsigned{'a'};
        if (d > 5) return std::nullopt;
        d += 10;
      }
      v = (v << 4) | d;
    }
    return v;
  }
  if (p == end) return std::nullopt;
  for (; p != end; ++p) {
    const unsigned d = static_cast<unsigned char>(*p) - unsigned{'0'};
    if (d > 9) return std::nullopt;
    if (__builtin_mul_overflow(v, std::uint64_t{10}, &v) || __builtin_add_overflow(v, d, &v)) {
      return std::nullopt;
    }
  }
  return v;
}

// A signed integer in decimal, or -1.
inline std::optional<std::int64_t> parse_i64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 10);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace fragreplay::trace

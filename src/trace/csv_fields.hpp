// Small, allocation-free helpers for comma-separated text: the one splitter of a line into fields
// (with RFC 4180 double quotes when a field needs them) that the native reader and the text
// exports share, and strict number parsing (writing is
// base/text_append.hpp).
#pragma once

#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/text_append.hpp"

namespace fragreplay::trace {

// Spaces and tabs: what the splitter trims around fields of text exports.
inline bool is_blank(char c) { return c == ' ' || c == '\t'; }
inline std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// Where split_quoted() puts fields: a fixed array (the native reader's N columns, full after N) or
// a vector (the text exports, of variable width).
template <std::size_t N>
struct FieldArray {
  std::array<std::string_view, N>& fields;
  std::size_t count = 0;
  bool full() const { return count == N; }
  void push(std::string_view f) { fields[count++] = f; }
  void clear() { count = 0; }
};
struct FieldVector {
  std::vector<std::string_view>& fields;
  static constexpr bool full() { return false; }
  void push(std::string_view f) { fields.push_back(f); }
  void clear() { fields.clear(); }
};

// Whether fields keep the blanks around them (the native format) or lose them (text exports,
// which also allow blanks around a quoted field).
enum class Blanks : bool { kKeep, kTrim };

enum class SplitStatus : std::uint8_t {
  kOk,
  kTooManyFields,      // `out` was full before the line ended
  kUnterminatedQuote,  // a quoted field has no closing quote
  kTextAfterQuote      // something other than a comma (or blanks) after a closing quote
};

// The one quote-aware comma splitter. Splits `line` into `out` (cleared first); a field in
// double quotes (RFC 4180) may hold commas, "" is a quote inside, and its unquoted text goes to
// `scratch` (reused between calls, so steady-state splitting allocates nothing). A field that
// does not start with a quote runs to the next comma, quotes and all.
template <Blanks kBlanks, typename Out>
SplitStatus split_quoted(std::string_view line, Out& out, std::string& scratch) {
  constexpr bool kTrim = kBlanks == Blanks::kTrim;
  const auto field = [](std::string_view f) {
    if constexpr (kTrim) {
      return trim_blanks(f);
    } else {
      return f;
    }
  };
  out.clear();
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
        if (out.full()) return SplitStatus::kTooManyFields;
        out.push(field(std::string_view(begin + start, at - start)));
        start = at + 1;
      }
    }
    if (quoted) i = size + 1;  // skip the byte loop: straight to the quoted path
#endif
    for (; i < size; ++i) {
      const char c = begin[i];
      if (c == ',') {
        if (out.full()) return SplitStatus::kTooManyFields;
        out.push(field(std::string_view(begin + start, i - start)));
        start = i + 1;
      } else if (c == '"') {
        break;
      }
    }
    if (i == size) {
      if (out.full()) return SplitStatus::kTooManyFields;
      out.push(field(std::string_view(begin + start, size - start)));
      return SplitStatus::kOk;
    }
    out.clear();
  }
  // Slow path: quoted fields. Reserve enough so views into scratch stay valid.
  scratch.clear();
  scratch.reserve(line.size());
  std::size_t pos = 0;
  while (true) {
    if (out.full()) return SplitStatus::kTooManyFields;
    if constexpr (kTrim) {
      while (pos < line.size() && is_blank(line[pos])) ++pos;
    }
    if (pos < line.size() && line[pos] == '"') {
      const std::size_t start = scratch.size();
      ++pos;
      while (true) {
        if (pos >= line.size()) return SplitStatus::kUnterminatedQuote;
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
      out.push(std::string_view(scratch).substr(start));
      if constexpr (kTrim) {
        while (pos < line.size() && is_blank(line[pos])) ++pos;
      }
      if (pos == line.size()) return SplitStatus::kOk;
      if (line[pos] != ',') return SplitStatus::kTextAfterQuote;
      ++pos;
    } else {
      const std::size_t comma = line.find(',', pos);
      out.push(field(line.substr(pos, comma == std::string_view::npos ? comma : comma - pos)));
      if (comma == std::string_view::npos) return SplitStatus::kOk;
      pos = comma + 1;
    }
  }
}

// Splits `line` on commas into at most N fields, blanks kept (the native format). Returns the
// number of fields, or N + 1 if the line has more than N fields, or 0 with `error` set for a
// broken quote.
template <std::size_t N>
std::size_t split_csv(std::string_view line, std::array<std::string_view, N>& out,
                      std::string& scratch, std::string_view& error) {
  FieldArray<N> fields{out};
  switch (split_quoted<Blanks::kKeep>(line, fields, scratch)) {
    case SplitStatus::kOk:
      return fields.count;
    case SplitStatus::kTooManyFields:
      return N + 1;
    case SplitStatus::kUnterminatedQuote:
      error = "unterminated double quote";
      return 0;
    case SplitStatus::kTextAfterQuote:
      error = "text after a closing double quote";
      return 0;
  }
  return 0;
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

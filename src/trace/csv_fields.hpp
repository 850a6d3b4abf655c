// Small, allocation-free helpers for comma-separated text: splitting a line into fields (with
// RFC 4180 double quotes when a field needs them), strict number parsing, and number writing.
#pragma once

#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fragreplay::trace {

// Splits `line` on commas into at most N fields. Quoted fields are unquoted into `scratch`
// (reused between calls, so steady-state splitting allocates nothing). Returns the number of
// fields, or N + 1 if the line has more than N fields, or 0 with `error` set for a broken quote.
template <std::size_t N>
std::size_t split_csv(std::string_view line, std::array<std::string_view, N>& out,
                      std::string& scratch, std::string_view& error) {
  std::size_t count = 0;
  std::size_t pos = 0;
  if (line.find('"') == std::string_view::npos) {
    while (true) {
      const std::size_t comma = line.find(',', pos);
      if (count == N) return N + 1;
      out[count++] = line.substr(pos, comma == std::string_view::npos ? comma : comma - pos);
      if (comma == std::string_view::npos) return count;
      pos = comma + 1;
    }
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

// An unsigned integer in decimal or 0x-hexadecimal, nothing else (no sign, no spaces).
inline std::optional<std::uint64_t> parse_u64(std::string_view s) {
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    base = 16;
  }
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
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

// Appends v in decimal.
inline void append_dec(std::string& out, std::uint64_t v) {
  char tmp[24];
  const auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
  out.append(tmp, r.ptr);
}

// Appends v as 0x-prefixed lower-case hexadecimal.
inline void append_hex(std::string& out, std::uint64_t v) {
  char tmp[24];
  const auto r = std::to_chars(tmp, tmp + sizeof tmp, v, 16);
  out += "0x";
  out.append(tmp, r.ptr);
}

// Writes `s` as one CSV field, quoting it if it holds a comma, quote, or line break.
inline void append_csv_field(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += s;
    return;
  }
  out.push_back('"');
  for (const char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace fragreplay::trace

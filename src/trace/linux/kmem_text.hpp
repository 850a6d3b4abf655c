// Small parsing helpers for the Linux kmem tracepoint text that bpftrace and ftrace print
// (docs/formats.md §5): hexadecimal pointers with or without 0x (hashed %p values are
// plain hex), decimal sizes, `key=value` fields, and the page size the page events assume.
// The formats are those of Linux include/trace/events/kmem.h; older kernels print a NULL %p as
// "(null)" padded to the pointer's width ("ptr=  (null)"), newer ones as zeros.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fragreplay::trace::kmem {

// Page events carry an order, not bytes; bytes = kPageBytes << order (x86-64 and arm64 default).
inline constexpr std::uint64_t kPageBytes = 4096;
// The largest order a page event may carry (MAX_ORDER is 11 on x86-64; leave room).
inline constexpr std::uint64_t kMaxOrder = 20;

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Hexadecimal, with or without a 0x prefix; nothing else.
inline std::optional<std::uint64_t> parse_hex(std::string_view s) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// Decimal digits only.
inline std::optional<std::uint64_t> parse_dec(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 10);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// The value of `key=` among space-separated fields, or nullopt if the key is absent. A value the
// kernel padded on the left (%p printing "  (null)") is the next word, unless that word is a
// field of its own.
inline std::optional<std::string_view> field(std::string_view args, std::string_view key) {
  std::size_t pos = 0;
  while (pos < args.size()) {
    while (pos < args.size() && args[pos] == ' ') ++pos;
    const std::size_t end = args.find(' ', pos);
    const std::string_view item = args.substr(pos, end == std::string_view::npos ? end : end - pos);
    if (item.size() > key.size() && item.starts_with(key) && item[key.size()] == '=') {
      std::string_view value = item.substr(key.size() + 1);
      if (value.empty() && end != std::string_view::npos) {
        std::string_view next = args.substr(end);
        while (!next.empty() && next.front() == ' ') next.remove_prefix(1);
        next = next.substr(0, next.find(' '));
        if (next.find('=') == std::string_view::npos) value = next;
      }
      return value;
    }
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return std::nullopt;
}

// A pointer as %p, %px or %lx print it: hexadecimal with or without 0x, or "(null)" (0).
inline std::optional<std::uint64_t> parse_pointer(std::string_view s) {
  if (s == "(null)") return 0;
  return parse_hex(s);
}

// kfree() and kmem_cache_free() of NULL or of ZERO_SIZE_PTR (16, what kmalloc(0) returns) do
// nothing (Linux include/linux/slab.h, ZERO_OR_NULL_PTR).
inline constexpr std::uint64_t kZeroSizePtr = 16;
inline bool zero_or_null(std::uint64_t ptr) { return ptr <= kZeroSizePtr; }

// Quotes a piece of a line for a message (at most 60 characters).
inline std::string quoted(std::string_view s) {
  std::string out = "\"";
  out.append(s.substr(0, 60));
  if (s.size() > 60) out += "...";
  return out + "\"";
}

}  // namespace fragreplay::trace::kmem

// Field parsing for text exports (see text_fields.hpp).
#include "trace/text/text_fields.hpp"

#include <charconv>

#include "base/kernel_abi.hpp"
#include "trace/csv_fields.hpp"
#include "trace/kernel_names.hpp"

namespace fragreplay::trace::text {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Decimal digits with optional thousands separators (',' or ' ') into `v`; false on overflow or
// anything else.
bool decimal_digits(std::string_view s, std::uint64_t& v) {
  if (s.empty() || !is_digit(s.front()) || !is_digit(s.back())) return false;
  v = 0;
  for (const char c : s) {
    if (c == ',' || c == ' ') continue;
    if (!is_digit(c)) return false;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  return true;
}

}  // namespace

std::string_view trim(std::string_view s) { return trim_blanks(s); }

std::string_view skip_bom(std::string_view s) {
  return s.starts_with("\xEF\xBB\xBF") ? s.substr(3) : s;
}

std::string_view first_line(std::string_view head) {
  head = skip_bom(head);
  while (!head.empty()) {
    const std::size_t nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (!trim(line).empty()) return line;
    if (nl == std::string_view::npos) break;
    head.remove_prefix(nl + 1);
  }
  return {};
}

void append_normalized(std::string_view name, std::string& out) {
  for (const char c : name) {
    const char l = lower(c);
    if ((l >= 'a' && l <= 'z') || is_digit(l)) out.push_back(l);
  }
}

std::string normalize_name(std::string_view name) {
  std::string out;
  append_normalized(name, out);
  return out;
}

int find_column(const std::vector<std::string>& normalized,
                std::span<const std::string_view> aliases) {
  for (const std::string_view a : aliases) {
    for (std::size_t i = 0; i < normalized.size(); ++i) {
      if (normalized[i] == a) return static_cast<int>(i);
    }
  }
  return -1;
}

bool split_fields(std::string_view line, std::vector<std::string_view>& out, std::string& scratch) {
  FieldVector fields{out};
  return split_quoted<Blanks::kTrim>(line, fields, scratch) == SplitStatus::kOk;
}

std::optional<std::uint64_t> parse_number(std::string_view s) {
  s = trim(s);
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    std::uint64_t v = 0;
    const auto [ptr, ec] = std::from_chars(s.data() + 2, s.data() + s.size(), v, 16);
    if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
    return v;
  }
  std::uint64_t v = 0;
  if (!decimal_digits(s, v)) return std::nullopt;
  return v;
}

std::optional<std::uint64_t> parse_time(std::string_view s, std::uint64_t unit_ns) {
  s = trim(s);
  const std::size_t dot = s.find('.');
  std::uint64_t whole = 0;
  if (!decimal_digits(s.substr(0, dot), whole)) return std::nullopt;
  if (unit_ns != 0 && whole > UINT64_MAX / unit_ns) return std::nullopt;
  std::uint64_t ns = whole * unit_ns;
  if (dot == std::string_view::npos) return ns;
  const std::string_view frac = s.substr(dot + 1);
  if (frac.empty() || unit_ns > 1'000'000'000u) return std::nullopt;
  // Ten fraction digits are more than a nanosecond of a second needs; further ones are checked
  // but do not count. digits < 1e10 and unit_ns <= 1e9, so the product fits.
  std::uint64_t digits = 0;
  std::uint64_t scale = 1;
  for (std::size_t i = 0; i < frac.size(); ++i) {
    if (!is_digit(frac[i])) return std::nullopt;
    if (i < 10) {
      digits = digits * 10 + static_cast<std::uint64_t>(frac[i] - '0');
      scale *= 10;
    }
  }
  const std::uint64_t part = (digits * unit_ns + scale / 2) / scale;
  if (ns > UINT64_MAX - part) return std::nullopt;
  return ns + part;
}

std::optional<std::uint32_t> parse_tag(std::string_view s) {
  s = trim(s);
  if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"') && s.back() == s.front()) {
    s = s.substr(1, s.size() - 2);
  }
  const bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  if (hex || (s.size() > 4 && s.find_first_not_of("0123456789") == std::string_view::npos)) {
    const auto v = parse_number(s);
    if (!v || *v > 0xFFFFFFFFu) return std::nullopt;
    return static_cast<std::uint32_t>(*v);
  }
  if (s.size() > 4) return std::nullopt;
  std::uint32_t v = 0;
  for (unsigned i = 0; i < 4; ++i) {
    const auto c = i < s.size() ? static_cast<unsigned char>(s[i]) : ' ';
    v |= static_cast<std::uint32_t>(c) << (8 * i);
  }
  return v;
}

std::optional<std::uint64_t> parse_pool_kind(std::string_view s) {
  s = trim(s);
  const std::string n = normalize_name(s);
  if (n == "paged" || n == "true" || n == "yes") return PoolType::kPagedPool;
  if (n == "nonpaged" || n == "false" || n == "no") return PoolType::kNonPagedPool;
  if (const auto v = parse_number(s)) return v;
  return parse_pool_type(s);
}

void normalize_process(std::string_view s, std::string& out) {
  s = trim(s);
  const std::size_t open = s.rfind('(');
  if (open == std::string_view::npos || s.back() != ')') {
    out += s;
    return;
  }
  out += trim(s.substr(0, open));
  out += " (";
  out += trim(s.substr(open + 1, s.size() - open - 2));
  out += ')';
}

std::uint64_t time_unit_ns(std::string_view name) {
  if (name == "ns") return 1;
  if (name == "100ns") return 100;
  if (name == "us" || name == "\xC2\xB5s") return 1'000;
  if (name == "ms") return 1'000'000;
  if (name == "s") return 1'000'000'000;
  return 0;
}

}  // namespace fragreplay::trace::text

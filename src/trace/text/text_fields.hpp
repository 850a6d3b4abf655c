// Field parsing shared by the readers of Windows text exports (xperf dumper, tracerpt CSV, WPA
// CSV): splitting a line of variable width, matching column names whatever their spacing and
// case, and the values these tools print — decimal or 0x numbers (with thousands separators),
// times with a fraction in a chosen unit, pool tags as text or numbers, pool types as names or
// numbers, and "name.exe ( 1234)" processes. None of these allocates per call in the steady state.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fragreplay::trace::text {

// Whitespace (spaces, tabs) removed at both ends.
std::string_view trim(std::string_view s);

// `s` without a leading UTF-8 byte order mark.
std::string_view skip_bom(std::string_view s);

// The first line of `head` (the first bytes of an input) that is not blank, without its line
// ending or a byte order mark before it; "" if there is none.
std::string_view first_line(std::string_view head);

// The comparison form of a column or event name: ASCII letters and digits only, lower case
// ("Process Name ( PID)" -> "processnamepid").
std::string normalize_name(std::string_view name);
// The same, appended to `out` (no allocation once `out` has grown).
void append_normalized(std::string_view name, std::string& out);

// The index of the first of `normalized` (column names in normalize_name() form) that is one of
// `aliases` (tried in order), or -1.
int find_column(const std::vector<std::string>& normalized,
                std::span<const std::string_view> aliases);
inline int find_column(const std::vector<std::string>& normalized,
                       std::initializer_list<std::string_view> aliases) {
  return find_column(normalized,
                     std::span<const std::string_view>(aliases.begin(), aliases.size()));
}

// Splits `line` on commas into `out` (cleared first), each field trimmed; a field in double quotes
// may hold commas ("" is a quote inside), its unquoted text going to `scratch`. Returns false if
// a quote is not closed or text follows a closing quote. The splitter is the native reader's
// (split_quoted in trace/csv_fields.hpp), with blanks trimmed.
bool split_fields(std::string_view line, std::vector<std::string_view>& out, std::string& scratch);

// An unsigned integer: decimal, or hexadecimal with 0x; decimal may group thousands with commas
// or spaces ("1,024"). Nothing else.
std::optional<std::uint64_t> parse_number(std::string_view s);

// A time such as "12", "12.345678901" or "1,234.5" in units of `unit_ns` nanoseconds, rounded to
// the nearest nanosecond. No sign, no exponent.
std::optional<std::uint64_t> parse_time(std::string_view s, std::uint64_t unit_ns);

// A pool tag: up to four characters (padded with spaces, quotes around it removed), or a number
// (0x hexadecimal, or decimal with more than four digits) holding the four bytes, first in the
// lowest byte.
std::optional<std::uint32_t> parse_tag(std::string_view s);

// A POOL_TYPE: a number, a name such as NonPagedPoolNx (names joined by '|' too), or what WPA's
// Paged column says: Paged / NonPaged, True / False.
std::optional<std::uint64_t> parse_pool_kind(std::string_view s);

// "name.exe ( 1234)" -> "name.exe (1234)"; other text unchanged. Appends to `out`.
void normalize_process(std::string_view s, std::string& out);

// A timestamp unit name: ns, us (or µs), ms, s, 100ns. 0 if not one of them.
std::uint64_t time_unit_ns(std::string_view name);

}  // namespace fragreplay::trace::text

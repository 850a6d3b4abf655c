// Appending numbers and CSV fields to a string without streams or allocation per call: what the
// native trace writer (trace/native_writer.cpp), the events CSV and the CSV reports share.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace fragreplay {

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

}  // namespace fragreplay

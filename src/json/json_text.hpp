// JSON that fragreplay writes. Names come from traces (process, tag, adapter and file names) and
// may hold bytes that are not UTF-8, such as a Latin-1 "Prozeß.exe"; JSON text must be UTF-8, and
// nlohmann's default dump throws on them. Every document is written through json_text, which
// writes each invalid byte as U+FFFD (nlohmann's error_handler_t::replace) so the report is still
// written; count_non_utf8_strings lets a report say how many of its strings were changed.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace fragreplay {

// Whether `text` is valid UTF-8 (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF).
bool is_utf8(std::string_view text);

// `j` as JSON text (indented by `indent` spaces, -1 = one line), invalid UTF-8 written as U+FFFD.
template <typename Json>
std::string json_text(const Json& j, int indent = 2) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

// The strings in `j` (object keys included) that are not valid UTF-8. `j` is a document
// fragreplay built, a few levels deep.
template <typename Json>
std::size_t count_non_utf8_strings(const Json& j) {
  std::size_t n = 0;
  if (j.is_string()) return is_utf8(j.template get_ref<const std::string&>()) ? 0 : 1;
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      n += (is_utf8(it.key()) ? 0 : 1) + count_non_utf8_strings(*it);
    }
  } else if (j.is_array()) {
    for (const auto& e : j) n += count_non_utf8_strings(e);
  }
  return n;
}

}  // namespace fragreplay

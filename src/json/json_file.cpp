// JSON files read back (see json_file.hpp).
#include "json/json_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>
#include <vector>

#include "base/error.hpp"

namespace fragreplay {

using nlohmann::ordered_json;

std::string read_whole_file(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!f) throw Error(Position{path, 0, 0, false}, std::string("cannot open: ") + strerror(errno));
  std::string text;
  char buf[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) text.append(buf, n);
  if (std::ferror(f.get()) != 0) {
    throw Error(Position{path, 0, 0, false}, std::string("cannot read: ") + strerror(errno));
  }
  return text;
}

void check_json_depth(std::string_view text, const std::string& file) {
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      // Skip the string; a backslash escapes the next byte.
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      const auto end = text.find("*/", i + 2);
      i = end == std::string_view::npos ? text.size() : end + 1;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) {
        throw Error(Position{file, 0, 0, false},
                    "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
}

ordered_json parse_json_text(std::string_view text, const std::string& file,
                             JsonParseOptions options) {
  check_json_depth(text, file);
  // Objects being parsed, innermost last, with the keys seen so far in each.
  std::vector<std::set<std::string>> open_objects;
  std::string duplicate;
  ordered_json::parser_callback_t callback = nullptr;
  if (options.reject_duplicate_keys) {
    callback = [&](int, nlohmann::detail::parse_event_t event, ordered_json& parsed) {
      using nlohmann::detail::parse_event_t;
      if (event == parse_event_t::object_start) open_objects.emplace_back();
      if (event == parse_event_t::object_end && !open_objects.empty()) open_objects.pop_back();
      if (event == parse_event_t::key && !open_objects.empty() &&
          !open_objects.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
        duplicate = parsed.get<std::string>();
      }
      return true;
    };
  }
  ordered_json doc;
  try {
    doc = ordered_json::parse(text.begin(), text.end(), callback, true, options.allow_comments);
  } catch (const ordered_json::parse_error& e) {
    // e.byte is 1-based: the position of the character that did not fit.
    const std::size_t at = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    std::uint64_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < at; ++i) {
      if (text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    std::string what = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] parse error at line L, column C: ".
    if (const auto col = what.find("column "); col != std::string::npos) {
      if (const auto colon = what.find(": ", col); colon != std::string::npos) {
        what = what.substr(colon + 2);
      }
    }
    throw Error(
        Position::at_line(file, line),
        "invalid JSON (column " + std::to_string(at - line_start + 1) + "): " + printable(what));
  } catch (const ordered_json::out_of_range& e) {
    // A number too large for a double ("number overflow parsing '1e999'"); nlohmann gives no
    // position, so the line is where that number first appears.
    std::string what = e.what();
    std::uint64_t line = 0;
    const auto open = what.find('\''), close = what.rfind('\'');
    if (open != std::string::npos && close > open) {
      const auto at = text.find(what.substr(open + 1, close - open - 1));
      if (at != std::string_view::npos) {
        line = 1 + static_cast<std::uint64_t>(std::count(
                       text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
      }
    }
    if (const auto bracket = what.find("] "); bracket != std::string::npos) {
      what = what.substr(bracket + 2);
    }
    throw Error(Position::at_line(file, line), "invalid JSON: " + printable(what));
  }
  if (!duplicate.empty()) {
    throw Error(Position{file, 0, 0, false}, "invalid JSON: the key \"" + printable(duplicate) +
                                                 "\" appears twice in one object");
  }
  return doc;
}

ordered_json read_json_file(const std::string& path, JsonParseOptions options) {
  return parse_json_text(read_whole_file(path), path, options);
}

std::string json_kind(const ordered_json& value) {
  switch (value.type()) {
    case ordered_json::value_t::null:
      return "null";
    case ordered_json::value_t::object:
      return "an object";
    case ordered_json::value_t::array:
      return "an array";
    case ordered_json::value_t::string:
      return "a string (\"" + printable(value.get_ref<const std::string&>()) + "\")";
    case ordered_json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case ordered_json::value_t::number_integer:
    case ordered_json::value_t::number_unsigned:
    case ordered_json::value_t::number_float:
      return "the number " + value.dump();
    case ordered_json::value_t::binary:
    case ordered_json::value_t::discarded:
      break;
  }
  return "something else";
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

}  // namespace fragreplay

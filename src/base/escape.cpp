// Escaping for HTML and Markdown (see escape.hpp).
#include "base/escape.hpp"

namespace fragreplay {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (const char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n') {
          out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
        } else {
          out.push_back(ch);
        }
    }
  }
  return out;
}

std::string markdown_escape(std::string_view text) {
  static constexpr std::string_view kSpecial = "\\`*_{}[]#!|~@";
  std::string out;
  out.reserve(text.size() + 8);
  for (const char ch : text) {
    if (ch == '\n' || ch == '\r') {
      out.push_back(' ');
    } else if (ch == '<') {
      out += "&lt;";
    } else if (ch == '>') {
      out += "&gt;";
    } else if (ch == '&') {
      out += "&amp;";
    } else {
      if (kSpecial.find(ch) != std::string_view::npos) out.push_back('\\');
      out.push_back(ch);
    }
  }
  return out;
}

std::string markdown_code(std::string_view text) {
  if (text.find_first_of("`\r\n") != std::string_view::npos) return markdown_escape(text);
  std::string out = "`";
  for (const char ch : text) {
    if (ch == '|') out.push_back('\\');
    out.push_back(ch);
  }
  return out + "`";
}

}  // namespace fragreplay

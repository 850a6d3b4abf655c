// Escaping input text for the terminal (see terminal_text.hpp).
#include "cli/terminal_text.hpp"

#include <cstdint>

namespace fragreplay::cli {
namespace {

void escape_byte(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\x";
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 0xF]);
}

// The length of the valid UTF-8 sequence of two or more bytes at text[i] (RFC 3629), or 0.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1Fu;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0Fu;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07u;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(text[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3Fu);
  }
  static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kSmallest[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  if (cp >= 0x80 && cp <= 0x9F) return 0;  // C1 controls (U+009B is CSI)
  return len;
}

}  // namespace

std::string terminal_text(std::string_view text, Newlines newlines) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (c == '\n' && newlines == Newlines::kKeep) {
      out.push_back('\n');
      ++i;
    } else if (c >= 0x80) {
      if (const std::size_t len = utf8_length(text, i); len != 0) {
        out.append(text.substr(i, len));
        i += len;
      } else {
        escape_byte(out, c);
        ++i;
      }
    } else {
      escape_byte(out, c);
      ++i;
    }
  }
  return out;
}

}  // namespace fragreplay::cli

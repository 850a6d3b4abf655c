// A pool tag: four bytes stored as the kernel stores them (first character in the lowest byte,
// which is also how ETW payloads carry it). Shorter tags are padded with spaces, like the
// kernel's own 'Irp ' or 'Mdl '. Display trims the padding and escapes non-printable bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fragreplay {

struct Tag {
  std::uint32_t value = 0;

  constexpr Tag() = default;
  constexpr explicit Tag(std::uint32_t v) : value(v) {}

  // Packs up to four characters; missing ones become spaces. REQUIRES: text.size() <= 4.
  static constexpr Tag from_chars(std::string_view text) {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < 4; ++i) {
      const unsigned char c = i < text.size() ? static_cast<unsigned char>(text[i]) : ' ';
      v |= static_cast<std::uint32_t>(c) << (8 * i);
    }
    return Tag{v};
  }

  // Printable ASCII as is, other bytes as \xNN, trailing spaces trimmed.
  std::string to_string() const {
    std::string out;
    unsigned len = 4;
    while (len > 0 && ((value >> (8 * (len - 1))) & 0xFF) == ' ') --len;
    for (unsigned i = 0; i < len; ++i) {
      const auto c = static_cast<unsigned char>((value >> (8 * i)) & 0xFF);
      if (c >= 0x20 && c < 0x7F && c != '\\') {
        out.push_back(static_cast<char>(c));
      } else {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\x";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
      }
    }
    return out;
  }

  friend constexpr bool operator==(Tag, Tag) = default;
  friend constexpr auto operator<=>(Tag, Tag) = default;
};

}  // namespace fragreplay

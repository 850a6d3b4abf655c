// StackWalk and Image payloads (see code_payload.hpp).
#include "trace/etl/code_payload.hpp"

namespace fragreplay::trace::etl {
namespace {

void append_utf8(std::string& out, std::uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// UTF-16LE up to the first NUL (or the end) as UTF-8; lone surrogates become U+FFFD.
std::string utf16_to_utf8(ByteSpan s) {
  std::string out;
  const std::size_t units = s.size() / 2;
  for (std::size_t i = 0; i < units; ++i) {
    const std::uint32_t u = le16(s.data() + 2 * i);
    if (u == 0) break;
    if (u >= 0xD800 && u < 0xDC00 && i + 1 < units) {
      const std::uint32_t low = le16(s.data() + 2 * (i + 1));
      if (low >= 0xDC00 && low < 0xE000) {
        append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
        ++i;
        continue;
      }
    }
    append_utf8(out, (u >= 0xD800 && u < 0xE000) ? 0xFFFD : u);
  }
  return out;
}

std::uint64_t pointer_at(const std::uint8_t* p, std::size_t pointer_size) {
  return pointer_size == 8 ? le64(p) : le32(p);
}

}  // namespace

const char* decode_stack_walk(ByteSpan payload, std::size_t pointer_size, StackWalk& out) {
  if (payload.size() < 16) return "StackWalk payload shorter than its 16-byte head";
  if ((payload.size() - 16) % pointer_size != 0)
    return "StackWalk frames are not a whole number of pointers";
  out.event_time = le64(payload.data());
  out.process_id = le32(payload.data() + 8);
  out.thread_id = le32(payload.data() + 12);
  out.frames = payload.subspan(16);
  out.pointer_size = pointer_size;
  return nullptr;
}

const char* decode_image(ByteSpan payload, std::size_t pointer_size, ImageEvent& out) {
  const std::size_t name_at = image_name_offset(pointer_size);
  if (payload.size() < name_at) return "Image payload shorter than its fields before FileName";
  out.base = pointer_at(payload.data(), pointer_size);
  out.size = pointer_at(payload.data() + pointer_size, pointer_size);
  out.process_id = le32(payload.data() + 2 * pointer_size);
  out.file_name = utf16_to_utf8(payload.subspan(name_at));
  return nullptr;
}

}  // namespace fragreplay::trace::etl

// The payloads of the two event kinds that say where an allocation came from (docs/formats.md
// §10):
//  - StackWalk (group 0x18, type 0x20; STACK_WALK_EVENT_DATA): u64 EventTimeStamp (the
//    timestamp of the event the stack belongs to), u32 StackProcess, u32 StackThread, then the
//    return addresses, pointer-sized, innermost first.
//  - Image (group 0x14; Load 10, Unload 2, DCStart 3, DCEnd 4; Image_Load version 2 and later):
//    ImageBase and ImageSize (pointers), u32 ProcessId, u32 ImageCheckSum, u32 TimeDateStamp,
//    u32 Reserved0, DefaultBase (pointer), four u32 reserved, then FileName as NUL-terminated
//    UTF-16LE.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "trace/etl/etl_layout.hpp"

namespace fragreplay::trace::etl {

struct StackWalk {
  std::uint64_t event_time = 0;  // raw, in the trace's clock
  std::uint32_t process_id = 0;
  std::uint32_t thread_id = 0;
  ByteSpan frames;  // frame_count() addresses of pointer_size bytes
  std::size_t pointer_size = 8;
  std::size_t frame_count() const { return frames.size() / pointer_size; }
  std::uint64_t frame(std::size_t i) const {
    const std::uint8_t* p = frames.data() + i * pointer_size;
    return pointer_size == 8 ? le64(p) : le32(p);
  }
};

// Returns what is wrong, or null: a payload shorter than its 16-byte head, or whose frames are
// not a whole number of pointers.
const char* decode_stack_walk(ByteSpan payload, std::size_t pointer_size, StackWalk& out);

struct ImageEvent {
  std::uint64_t base = 0;
  std::uint64_t size = 0;
  std::uint32_t process_id = 0;
  std::string file_name;  // UTF-8; characters UTF-16 cannot hold become U+FFFD
};

// Bytes before FileName: 3 pointers and 8 u32.
constexpr std::size_t image_name_offset(std::size_t pointer_size) { return 3 * pointer_size + 32; }

// Returns what is wrong, or null. A name without its terminating NUL is read to the payload's
// end.
const char* decode_image(ByteSpan payload, std::size_t pointer_size, ImageEvent& out);

}  // namespace fragreplay::trace::etl

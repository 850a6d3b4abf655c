// The binary layout of ETL files, as facts from docs/formats.md §4 (WMI_BUFFER_HEADER,
// event headers, TRACE_LOGFILE_HEADER) and §1 (the PoolTrace group), verified against the real
// files in the project's test data. Little-endian loads that never read past a span.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "base/kernel_abi.hpp"

namespace fragreplay::trace::etl {

using ByteSpan = std::span<const std::uint8_t>;

inline std::uint16_t le16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
inline std::uint32_t le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
inline std::uint64_t le64(const std::uint8_t* p) {
  return static_cast<std::uint64_t>(le32(p)) | (static_cast<std::uint64_t>(le32(p + 4)) << 32);
}

// WMI_BUFFER_HEADER: 0x48 bytes before the events of every buffer (§4.1).
inline constexpr std::size_t kBufferHeaderSize = 0x48;
inline constexpr std::size_t kBufSize = 0x00;       // u32 bytes on disk (compressed size if so)
inline constexpr std::size_t kBufProcessor = 0x28;  // u16 ProcessorIndex
inline constexpr std::size_t kBufFilled = 0x30;     // u32 Offset: end of the events
inline constexpr std::size_t kBufFlags = 0x34;      // u16 BufferFlag
inline constexpr std::size_t kBufType = 0x36;       // u16 BufferType
inline constexpr std::uint16_t kFlagEventsLost = 0x2;
inline constexpr std::uint16_t kFlagBufferLost = 0x4;
inline constexpr std::uint16_t kFlagCompressed = 0x40;
// Buffers larger than this are refused as corrupt: ETW buffers are at most a few MB.
inline constexpr std::uint32_t kMaxBufferSize = 64u << 20;

// Event header types: byte 2 of a record when byte 3 holds the flags 0xC0 (§4.2).
enum HeaderType : std::uint8_t {
  kSystem32 = 0x01,
  kSystem64 = 0x02,
  kCompact32 = 0x03,
  kCompact64 = 0x04,
  kFullHeader32 = 0x0A,
  kInstance32 = 0x0B,
  kTimed = 0x0C,
  kError = 0x0D,
  kWnode = 0x0E,
  kMessage = 0x0F,
  kPerfInfo32 = 0x10,
  kPerfInfo64 = 0x11,
  kEventHeader32 = 0x12,
  kEventHeader64 = 0x13,
  kFullHeader64 = 0x14,
  kInstance64 = 0x15,
};
inline constexpr std::uint8_t kHeaderFlags = 0xC0;       // TRACE_HEADER_FLAG | ..._EVENT_TRACE
inline constexpr std::uint8_t kMessageFlagsMask = 0xF0;  // WPP messages: byte 3 is 0x9N
inline constexpr std::uint8_t kMessageFlags = 0x90;
inline constexpr std::uint32_t kPaddingMarker = 0xFFFFFFFF;  // unused rest of a buffer

// Header sizes: the payload starts here.
inline constexpr std::size_t kSystemHeaderSize = 32;
inline constexpr std::size_t kCompactHeaderSize = 24;
inline constexpr std::size_t kPerfInfoHeaderSize = 16;
inline constexpr std::size_t kEventHeaderSize = 80;
inline constexpr std::size_t kFullHeaderSize = 48;
inline constexpr std::size_t kInstanceHeaderSize = 72;
inline constexpr std::size_t kMessageHeaderSize = 8;
inline constexpr std::size_t kErrorHeaderSize = 80;

// Kernel event groups (the high byte of a HookId) that matter here.
inline constexpr std::uint8_t kGroupHeader = 0x00;
inline constexpr std::uint8_t kGroupPool = 0x0E;
inline constexpr std::uint8_t kGroupImage = 0x14;
inline constexpr std::uint8_t kGroupStackWalk = 0x18;
// StackWalk's event type (PERFINFO_LOG_TYPE_STACKWALK), Image's (Load, Unload, DCStart, DCEnd).
inline constexpr std::uint8_t kTypeStackWalk = 0x20;
inline constexpr std::uint8_t kTypeStackKeyKernel = 0x25;
inline constexpr std::uint8_t kTypeStackKeyUser = 0x26;
inline constexpr std::uint8_t kTypeImageLoad = 10;
inline constexpr std::uint8_t kTypeImageUnload = 2;
inline constexpr std::uint8_t kTypeImageDcStart = 3;
inline constexpr std::uint8_t kTypeImageDcEnd = 4;

// PoolTrace types (§1.2, Vista and later numbering).
inline constexpr std::uint8_t kTypePoolAlloc = 0x20;
inline constexpr std::uint8_t kTypePoolAllocSession = 0x21;
inline constexpr std::uint8_t kTypePoolFree = 0x22;
inline constexpr std::uint8_t kTypePoolFreeSession = 0x23;
inline constexpr std::uint8_t kTypeAddPoolPage = 0x24;
inline constexpr std::uint8_t kTypeAddPoolPageSession = 0x25;
inline constexpr std::uint8_t kTypeBigPoolPage = 0x26;
inline constexpr std::uint8_t kTypeBigPoolPageSession = 0x27;
inline constexpr std::uint8_t kPoolSnapFirst = 0x28;  // PoolSnap DCStart
inline constexpr std::uint8_t kPoolSnapLast = 0x2F;   // SessionBigPoolSnap DCEnd

// Bits of the pool Type field that are not part of the POOL_TYPE value (§1.4): quota, raise,
// cold, zero, ETW_POOLTRACE_BIGPOOL_MASK and the old POOL_MM_ALLOCATION.
inline constexpr std::uint32_t kPoolTraceBigPoolMask = 0x10000000;  // ETW_POOLTRACE_BIGPOOL_MASK
inline constexpr std::uint32_t kPoolTypeModifierBits = static_cast<std::uint32_t>(
    PoolTypeBit::kQuotaPoolMask | PoolTypeBit::kPoolRaiseIfAllocationFailure |
    PoolTypeBit::kPoolColdAllocation | PoolTypeBit::kPoolZeroAllocation | kPoolTraceBigPoolMask |
    PoolTypeBit::kPoolMmAllocation);

// Largest allocation size a record may claim: the 48-bit virtual address space of x64. Larger
// ones are corrupt records, refused with an error.
inline constexpr std::uint64_t kMaxAllocationBytes = std::uint64_t{1} << 48;

}  // namespace fragreplay::trace::etl

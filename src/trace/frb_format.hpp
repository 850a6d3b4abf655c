// The compact binary native format, version 1 (docs/formats.md §8): a header, then records of
// string definitions, DMA adapter declarations and events, then an end record; the whole usually
// inside one zstd frame, which open_trace undoes before detection. Shared by the reader and the
// writer so both agree on every byte. Events are coded against the event before them: a
// presence mask says which fields follow, times and addresses are zigzag deltas, numbers varints.
#pragma once

#include <cstdint>
#include <string_view>

namespace fragreplay::trace::frb {

// "\x89FRB" names the format (any version); "\r\n\x1a\n" catches a file mangled as text.
inline constexpr std::string_view kMagic{
    "\x89"
    "FRB\r\n\x1a\n",
    8};
inline constexpr std::size_t kMagicNameSize = 4;
inline constexpr std::uint64_t kVersion = 1;
inline constexpr std::string_view kFormatName = "frb-v1";

// The first byte of a record. Events are kEventBase + their routine (Routine, event.hpp).
enum RecordType : std::uint8_t {
  kString = 0x01,   // varint length, bytes: the next id of the string table
  kAdapter = 0x02,  // varint name id, highest, boundary, map_registers, declared_at
  kEnd = 0x03,      // varint number of events: the trace is complete
  kEventBase = 0x80
};

// Limits a reader enforces before trusting a length.
inline constexpr std::uint64_t kMaxString = std::uint64_t{1} << 20;  // bytes of one string
inline constexpr std::uint64_t kMaxComment = std::uint64_t{1} << 16;
// The longest event record: the type byte, the mask and 16 more varints of at most 10 bytes
// each, the 4-byte tag.
inline constexpr std::size_t kMaxEventBytes = 1 + 17 * 10 + 4;

// The presence mask of an event record (a varint): which fields follow, in this order. Fields
// "vs previous" are written only when they differ from the previous event's (tag and pool: the
// previous event of the same kind); the others only when not their default.
enum MaskBit : unsigned {
  kKindShift = 0,        // 2 bits: EventKind
  kTime = 2,             // zigzag delta from the previous event's time (else the same time)
  kBytes = 3,            // varint (else 0)
  kAddress = 4,          // zigzag delta from the last address written (else 0)
  kTag = 5,              // 4 bytes, little-endian (else the previous tag of this kind)
  kPool = 6,             // varint (else the previous pool of this kind)
  kPoolArgShift = 7,     // 2 bits: PoolArg
  kProcess = 9,          // varint string id (else the previous event's)
  kThread = 10,          // varint string id (else the previous event's)
  kSourcePos = 11,       // zigzag delta from the previous source_pos + 1 (else that)
  kRundown = 12,         // flag
  kInferred = 13,        // flag: routine_inferred
  kLowest = 14,          // varint (else 0)
  kHighest = 15,         // varint (else 0)
  kBoundary = 16,        // varint (else 0)
  kCache = 17,           // varint CachingType 0..5 (else not given)
  kCharged = 18,         // varint charged_bytes (else 0)
  kNode = 19,            // varint node 0..2^31-1 (else -1)
  kAdapterId = 20,       // varint string id of a declared adapter (else 0)
  kCallSite = 21,        // varint (else 0)
  kCallSiteSymbol = 22,  // varint string id (else 0)
  kMaskBits = 23
};

constexpr std::uint32_t bit(MaskBit b) { return std::uint32_t{1} << b; }

constexpr std::uint64_t zigzag(std::uint64_t delta) { return (delta << 1) ^ (0 - (delta >> 63)); }
constexpr std::uint64_t unzigzag(std::uint64_t z) { return (z >> 1) ^ (0 - (z & 1)); }

}  // namespace fragreplay::trace::frb

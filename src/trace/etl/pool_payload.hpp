// PoolTrace payloads (group 0x0E, docs/formats.md §1.2-1.4): ETW_POOL_EVENT
// { u32 PoolType; u32 Tag; SIZE_T NumberOfBytes; PVOID Entry } with pointer-sized fields as wide
// as the event header says, the session variants followed by a u32 SessionId, and the rundown
// snapshots (0x28-0x2F) read as one or more ETW_POOL_EVENT entries back to back.
//
// UNVERIFIED: the snapshot payload. ntwmi.h annotates 0x28-0x2F as ETW_POOL_EVENT, and real
// traces log few snapshot records for many live allocations, so each record is read as an array
// of entries; a payload that is not a whole number of entries is counted as malformed.
#pragma once

#include <cstdint>

#include "trace/etl/etl_layout.hpp"

namespace fragreplay::trace::etl {

struct PoolEntry {
  std::uint32_t pool_type = 0;  // as logged, modifier bits included
  std::uint32_t tag = 0;        // four characters, first in the lowest byte
  std::uint64_t bytes = 0;      // NumberOfBytes
  std::uint64_t address = 0;    // Entry
  bool has_session = false;
  std::uint32_t session_id = 0;
};

enum class PoolRecordClass : std::uint8_t {
  kAlloc,          // 0x20, 0x21
  kFree,           // 0x22, 0x23
  kAddPoolPage,    // 0x24, 0x25
  kBigPoolPage,    // 0x26, 0x27
  kSnapshotStart,  // 0x28, 0x2a, 0x2c, 0x2e (DCStart: what was live when the trace started)
  kSnapshotEnd,    // 0x29, 0x2b, 0x2d, 0x2f (DCEnd: what was live when it stopped)
  kOther
};

PoolRecordClass classify_pool_record(std::uint8_t type);
// True for the session variants (odd types among 0x21-0x27; snapshots 0x2c-0x2f).
bool is_session_pool_record(std::uint8_t type);

// Bytes of one ETW_POOL_EVENT for a pointer size of 4 or 8.
constexpr std::size_t pool_entry_size(std::size_t pointer_size) { return 8 + 2 * pointer_size; }

// Decodes the single entry of an alloc, free or pool-page record; `session` reads the SessionId
// that follows when the payload holds it. Returns what is wrong, or null.
const char* decode_pool_entry(ByteSpan payload, std::size_t pointer_size, bool session,
                              PoolEntry& out);

// The number of entries of a snapshot record, or null count with an error.
const char* snapshot_entries(ByteSpan payload, std::size_t pointer_size, std::size_t& count);
// Entry `i` of a snapshot record. REQUIRES: i < the count snapshot_entries() gave.
PoolEntry snapshot_entry(ByteSpan payload, std::size_t pointer_size, std::size_t i);

// The POOL_TYPE value of a logged Type: modifier bits stripped (§1.4), the session bit added for
// session records.
std::uint32_t pool_type_value(std::uint32_t logged, bool session_record);

}  // namespace fragreplay::trace::etl

// One record (event) inside an ETL buffer: which of the event header layouts it has, its size,
// and the fields a reader needs — group and type of classic kernel events, the provider GUID of
// the others, the timestamp, the process and thread. Layouts: docs/formats.md §4.2.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "trace/etl/etl_layout.hpp"

namespace fragreplay::trace::etl {

enum class RecordKind : std::uint8_t {
  kSystem,       // SYSTEM_TRACE_HEADER, with or without CPU times (COMPACT)
  kPerfInfo,     // PERFINFO_TRACE_HEADER: no process, no thread
  kEventHeader,  // EVENT_HEADER (manifest and TraceLogging providers)
  kClassic,      // EVENT_TRACE_HEADER with a GUID (FULL_HEADER) or an INSTANCE header
  kOther         // WPP messages, error, timed and WNODE headers: counted only
};

struct Record {
  RecordKind kind = RecordKind::kOther;
  std::uint8_t header_type = 0;  // byte 2; kMessage for WPP messages
  bool is64 = false;             // the logging code's pointer size is 8
  std::size_t size = 0;          // the whole record, header included
  std::size_t payload = 0;       // where the payload starts, from the record's start
  std::uint8_t group = 0;        // kSystem, kPerfInfo
  std::uint8_t type = 0;     // kSystem, kPerfInfo; kClassic: the class type; kEventHeader: opcode
  std::uint8_t version = 0;  // kSystem, kPerfInfo, kClassic: the event's layout version
  bool extended = false;     // kEventHeader: extended data items come before the payload
  const std::uint8_t* guid = nullptr;  // kEventHeader, kClassic: 16 bytes as stored
  bool has_time = false;
  std::uint64_t time = 0;  // raw timestamp, in the trace's clock
  bool has_ids = false;
  std::uint32_t process_id = 0;
  std::uint32_t thread_id = 0;

  std::size_t pointer_size() const { return is64 ? 8 : 4; }
};

// Decodes the record at `data[pos]` (pos < data.size(), 8-byte aligned, not the padding marker).
// Returns null and fills `r`, or returns what is wrong (the record is then unusable and so is
// the rest of its buffer, since its size is not known).
const char* decode_record(ByteSpan data, std::size_t pos, Record& r);

// The record's start plus its size rounded up to 8: where the next record starts.
inline std::size_t next_record(std::size_t pos, const Record& r) {
  return pos + ((r.size + 7) & ~std::size_t{7});
}

// "system64", "perfinfo32", "event_header64", "message", ... (the keys of by_header_type).
std::string_view header_type_name(std::uint8_t header_type);

// A GUID as stored (Data1-3 little-endian) in lower-case 8-4-4-4-12 form without braces.
std::string guid_string(const std::uint8_t* guid);

// True if `r` is a PoolTrace event: a kernel event of group 0x0E, or an event naming PoolTrace's
// GUID {0268a8b6-74fd-4302-9dd0-6e8f1795c0cf} (as a relogger may write kernel events) whose
// payload follows its header directly.
bool is_pool_record(const Record& r);

// True if `r` is a StackWalk event (group 0x18, type 0x20) or names StackWalk's GUID
// {def2fe46-7bd6-4b80-bd94-f57fe20d0ce3}; is_image_record: an Image event (group 0x14) or one
// naming Image's GUID {2cb15d1d-5fc1-11d2-abe1-00a0c911f518}, whatever its type.
bool is_stack_walk_record(const Record& r);
bool is_image_record(const Record& r);
// True for the StackWalk events that name a cached stack by key instead of listing its frames
// (StackKeyKernel 0x25, StackKeyUser 0x26: Windows 8's stack caching). Counted, not resolved.
bool is_stack_key_record(const Record& r);

// The name of a kernel event group ("Pool", "Thread", ...), or "" if unknown.
std::string_view group_name(std::uint8_t group);

}  // namespace fragreplay::trace::etl

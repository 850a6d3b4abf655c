// Event header decoding (see event_record.hpp).
#include "trace/etl/event_record.hpp"

#include <algorithm>
#include <array>

namespace fragreplay::trace::etl {
namespace {

// Kernel event groups (EVENT_TRACE_GROUP_*, docs/formats.md §1.1 and §4).
constexpr std::array<std::string_view, 0x1F> kGroupNames{
    "Header",     "IO",         "Memory",     "Process",   "File",   "Thread",   "TcpIp",
    "Job",        "UdpIp",      "Registry",   "DbgPrint",  "Config", "Spare1",   "Wnf",
    "Pool",       "PerfInfo",   "Heap",       "Object",    "Power",  "ModBound", "Image",
    "Dpc",        "Cc",         "CritSec",    "StackWalk", "Ums",    "Alpc",     "SplitIo",
    "ThreadPool", "Hypervisor", "HypervisorX"};

// The layout of a record with the 0xC0 header marker, from its header type (byte 2): kind,
// size, where the payload starts. Returns what is wrong, or null.
const char* decode_kernel_layout(const std::uint8_t* p, Record& r) {
  r.header_type = p[2];
  switch (r.header_type) {
    case kSystem32:
    case kSystem64:
    case kCompact32:
    case kCompact64:
    case kPerfInfo32:
    case kPerfInfo64: {
      // u16 Version, u8 HeaderType, u8 Flags, u16 Size, u8 Type, u8 Group, then
      // PERFINFO: u64 TimeStamp; SYSTEM: u32 TID, u32 PID, u64 TimeStamp[, u32 KernelTime,
      // u32 UserTime] (COMPACT has no CPU times).
      const bool perfinfo = r.header_type == kPerfInfo32 || r.header_type == kPerfInfo64;
      const bool compact = r.header_type == kCompact32 || r.header_type == kCompact64;
      r.kind = perfinfo ? RecordKind::kPerfInfo : RecordKind::kSystem;
      r.is64 =
          r.header_type == kSystem64 || r.header_type == kCompact64 || r.header_type == kPerfInfo64;
      r.size = le16(p + 4);
      r.type = p[6];
      r.group = p[7];
      r.payload =
          perfinfo ? kPerfInfoHeaderSize : (compact ? kCompactHeaderSize : kSystemHeaderSize);
      // Extended kernel headers: Version bit 0x8000 adds 8 bytes, bits 0x0700 count further
      // 8-byte words (performance counters). UNVERIFIED beyond dissect.etl's reading.
      const std::uint16_t version = le16(p);
      r.version = static_cast<std::uint8_t>(version & 0xFFu);
      if ((version & 0x8000u) != 0) r.payload += 8;
      r.payload += 8u * ((version & 0x0700u) >> 8);
      return nullptr;
    }
    case kEventHeader32:
    case kEventHeader64:
      // u16 Size, u16 marker, u16 Flags, u16 EventProperty, u32 TID, u32 PID, u64 TimeStamp,
      // GUID ProviderId, the event descriptor, ...; extended items count in Size.
      r.kind = RecordKind::kEventHeader;
      r.is64 = r.header_type == kEventHeader64;
      r.size = le16(p);
      r.payload = kEventHeaderSize;
      return nullptr;
    case kFullHeader32:
    case kFullHeader64:
    case kInstance32:
    case kInstance64:
      // u16 Size, u16 marker, u8 Type, u8 Level, u16 Version, u32 TID, u32 PID, u64 TimeStamp,
      // GUID, ...
      r.kind = RecordKind::kClassic;
      r.is64 = r.header_type == kFullHeader64 || r.header_type == kInstance64;
      r.size = le16(p);
      r.type = p[4];
      r.version = static_cast<std::uint8_t>(le16(p + 6) & 0xFFu);
      r.payload = (r.header_type == kFullHeader32 || r.header_type == kFullHeader64)
                      ? kFullHeaderSize
                      : kInstanceHeaderSize;
      return nullptr;
    case kTimed:
    case kWnode:
    case kMessage:
      r.size = le16(p);
      r.payload = kMessageHeaderSize;
      return nullptr;
    case kError:
      r.size = le16(p);
      r.payload = kErrorHeaderSize;
      return nullptr;
    default:
      return "unknown event header type";
  }
}

// The fields after the layout, all inside the record once its size has been checked.
void decode_fields(const std::uint8_t* p, Record& r) {
  switch (r.kind) {
    case RecordKind::kPerfInfo:
      r.has_time = true;
      r.time = le64(p + 8);
      break;
    case RecordKind::kSystem:
    case RecordKind::kEventHeader:
    case RecordKind::kClassic:
      r.has_time = true;
      r.time = le64(p + 16);
      r.has_ids = true;
      r.thread_id = le32(p + 8);
      r.process_id = le32(p + 12);
      if (r.kind != RecordKind::kSystem) r.guid = p + 24;
      if (r.kind == RecordKind::kEventHeader) {
        r.type = p[45];                        // EVENT_DESCRIPTOR.Opcode
        r.extended = (le16(p + 4) & 1u) != 0;  // EVENT_HEADER_FLAG_EXTENDED_INFO
      }
      break;
    case RecordKind::kOther:
      break;
  }
}

}  // namespace

const char* decode_record(ByteSpan data, std::size_t pos, Record& r) {
  const std::size_t left = data.size() - pos;
  if (left < 8) return "record header cut off by the end of the buffer";
  const std::uint8_t* p = data.data() + pos;
  const std::uint8_t flags = p[3];
  r = Record{};
  // First the layout: kind, size and where the payload starts.
  if ((flags & kMessageFlagsMask) == kMessageFlags) {
    // WPP message: u16 Size, u16 marker, u16 Id, u16 EventProperty.
    r.header_type = kMessage;
    r.size = le16(p);
    r.payload = kMessageHeaderSize;
  } else if (flags != kHeaderFlags) {
    return "not an event header (byte 3 is neither 0xC0 nor a message marker)";
  } else if (const char* problem = decode_kernel_layout(p, r)) {
    return problem;
  }
  if (r.size < r.payload) return "record size smaller than its header";
  if (r.size > left) return "record size runs past the end of the buffer";
  decode_fields(p, r);
  return nullptr;
}

std::string_view header_type_name(std::uint8_t header_type) {
  switch (header_type) {
    case kSystem32:
      return "system32";
    case kSystem64:
      return "system64";
    case kCompact32:
      return "compact32";
    case kCompact64:
      return "compact64";
    case kFullHeader32:
      return "full_header32";
    case kFullHeader64:
      return "full_header64";
    case kInstance32:
      return "instance32";
    case kInstance64:
      return "instance64";
    case kTimed:
      return "timed";
    case kError:
      return "error";
    case kWnode:
      return "wnode";
    case kMessage:
      return "message";
    case kPerfInfo32:
      return "perfinfo32";
    case kPerfInfo64:
      return "perfinfo64";
    case kEventHeader32:
      return "event_header32";
    case kEventHeader64:
      return "event_header64";
    default:
      return "unknown";
  }
}

std::string guid_string(const std::uint8_t* g) {
  static constexpr char kHex[] = "0123456789abcdef";
  // Data1 (4 bytes), Data2 (2), Data3 (2) little-endian; Data4 (8) as stored.
  static constexpr std::array<int, 16> kOrder{3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < kOrder.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    const std::uint8_t b = g[kOrder[i]];
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

namespace {

// The GUID a relogger writes for a kernel group's events, as stored (Data1-3 little-endian, then
// Data4): PoolTrace {0268a8b6-74fd-4302-9dd0-6e8f1795c0cf}, StackWalk
// {def2fe46-7bd6-4b80-bd94-f57fe20d0ce3}, Image {2cb15d1d-5fc1-11d2-abe1-00a0c911f518}.
using Guid = std::array<std::uint8_t, 16>;
constexpr Guid kPoolGuid{0xb6, 0xa8, 0x68, 0x02, 0xfd, 0x74, 0x02, 0x43,
                         0x9d, 0xd0, 0x6e, 0x8f, 0x17, 0x95, 0xc0, 0xcf};
constexpr Guid kStackWalkGuid{0x46, 0xfe, 0xf2, 0xde, 0xd6, 0x7b, 0x80, 0x4b,
                              0xbd, 0x94, 0xf5, 0x7f, 0xe2, 0x0d, 0x0c, 0xe3};
constexpr Guid kImageGuid{0x1d, 0x5d, 0xb1, 0x2c, 0xc1, 0x5f, 0xd2, 0x11,
                          0xab, 0xe1, 0x00, 0xa0, 0xc9, 0x11, 0xf5, 0x18};

bool is_group_record(const Record& r, std::uint8_t group, const Guid& guid) {
  switch (r.kind) {
    case RecordKind::kSystem:
    case RecordKind::kPerfInfo:
      return r.group == group;
    case RecordKind::kEventHeader:
      if (r.extended) return false;
      [[fallthrough]];
    case RecordKind::kClassic:
      return std::equal(guid.begin(), guid.end(), r.guid);
    case RecordKind::kOther:
      break;
  }
  return false;
}

}  // namespace

bool is_pool_record(const Record& r) { return is_group_record(r, kGroupPool, kPoolGuid); }
bool is_stack_walk_record(const Record& r) {
  return is_group_record(r, kGroupStackWalk, kStackWalkGuid) && r.type == kTypeStackWalk;
}
bool is_stack_key_record(const Record& r) {
  return is_group_record(r, kGroupStackWalk, kStackWalkGuid) &&
         (r.type == kTypeStackKeyKernel || r.type == kTypeStackKeyUser);
}
bool is_image_record(const Record& r) { return is_group_record(r, kGroupImage, kImageGuid); }

std::string_view group_name(std::uint8_t group) {
  return group < kGroupNames.size() ? kGroupNames[group] : std::string_view();
}

}  // namespace fragreplay::trace::etl

// PoolTrace payload decoding (see pool_payload.hpp).
#include "trace/etl/pool_payload.hpp"

namespace fragreplay::trace::etl {
namespace {

PoolEntry read_entry(const std::uint8_t* p, std::size_t pointer_size) {
  PoolEntry e;
  e.pool_type = le32(p);
  e.tag = le32(p + 4);
  if (pointer_size == 8) {
    e.bytes = le64(p + 8);
    e.address = le64(p + 16);
  } else {
    e.bytes = le32(p + 8);
    e.address = le32(p + 12);
  }
  return e;
}

}  // namespace

PoolRecordClass classify_pool_record(std::uint8_t type) {
  switch (type) {
    case kTypePoolAlloc:
    case kTypePoolAllocSession:
      return PoolRecordClass::kAlloc;
    case kTypePoolFree:
    case kTypePoolFreeSession:
      return PoolRecordClass::kFree;
    case kTypeAddPoolPage:
    case kTypeAddPoolPageSession:
      return PoolRecordClass::kAddPoolPage;
    case kTypeBigPoolPage:
    case kTypeBigPoolPageSession:
      return PoolRecordClass::kBigPoolPage;
    default:
      break;
  }
  if (type >= kPoolSnapFirst && type <= kPoolSnapLast) {
    return (type & 1) == 0 ? PoolRecordClass::kSnapshotStart : PoolRecordClass::kSnapshotEnd;
  }
  return PoolRecordClass::kOther;
}

bool is_session_pool_record(std::uint8_t type) {
  if (type >= kTypePoolAllocSession && type <= kTypeBigPoolPageSession) return (type & 1) != 0;
  return type >= 0x2c && type <= kPoolSnapLast;
}

const char* decode_pool_entry(ByteSpan payload, std::size_t pointer_size, bool session,
                              PoolEntry& out) {
  const std::size_t size = pool_entry_size(pointer_size);
  if (payload.size() < size) return "pool event payload shorter than ETW_POOL_EVENT";
  out = read_entry(payload.data(), pointer_size);
  if (session && payload.size() >= size + 4) {
    out.has_session = true;
    out.session_id = le32(payload.data() + size);
  }
  return nullptr;
}

const char* snapshot_entries(ByteSpan payload, std::size_t pointer_size, std::size_t& count) {
  const std::size_t size = pool_entry_size(pointer_size);
  count = payload.size() / size;
  if (payload.size() % size != 0) {
    count = 0;
    return "pool snapshot payload is not a whole number of ETW_POOL_EVENT entries";
  }
  return nullptr;
}

PoolEntry snapshot_entry(ByteSpan payload, std::size_t pointer_size, std::size_t i) {
  return read_entry(payload.data() + i * pool_entry_size(pointer_size), pointer_size);
}

std::uint32_t pool_type_value(std::uint32_t logged, bool session_record) {
  std::uint32_t v = logged & ~kPoolTypeModifierBits;
  if (session_record) v |= static_cast<std::uint32_t>(PoolTypeBit::kSessionPoolMask);
  return v;
}

}  // namespace fragreplay::trace::etl

// Tables of kernel names (see kernel_names.hpp).
#include "trace/kernel_names.hpp"

#include <array>
#include <charconv>

#include "trace/csv_fields.hpp"

namespace fragreplay::trace {
namespace {

struct Named {
  std::string_view name;
  std::uint64_t value;
};

// Whole POOL_TYPE values first (formatting prefers them), then modifier bits. The values are
// those of base/kernel_abi.hpp (docs/model.md §1.4, §1.5).
constexpr std::array kPoolTypes{
    Named{"NonPagedPool", PoolType::kNonPagedPool},
    Named{"PagedPool", PoolType::kPagedPool},
    Named{"NonPagedPoolMustSucceed", PoolType::kNonPagedPoolMustSucceed},
    Named{"DontUseThisType", PoolType::kDontUseThisType},
    Named{"NonPagedPoolCacheAligned", PoolType::kNonPagedPoolCacheAligned},
    Named{"PagedPoolCacheAligned", PoolType::kPagedPoolCacheAligned},
    Named{"NonPagedPoolCacheAlignedMustS", PoolType::kNonPagedPoolCacheAlignedMustS},
    Named{"NonPagedPoolSession", PoolType::kNonPagedPoolSession},
    Named{"PagedPoolSession", PoolType::kPagedPoolSession},
    Named{"NonPagedPoolMustSucceedSession", PoolType::kNonPagedPoolMustSucceedSession},
    Named{"DontUseThisTypeSession", PoolType::kDontUseThisTypeSession},
    Named{"NonPagedPoolCacheAlignedSession", PoolType::kNonPagedPoolCacheAlignedSession},
    Named{"PagedPoolCacheAlignedSession", PoolType::kPagedPoolCacheAlignedSession},
    Named{"NonPagedPoolCacheAlignedMustSSession", PoolType::kNonPagedPoolCacheAlignedMustSSession},
    Named{"NonPagedPoolNx", PoolType::kNonPagedPoolNx},
    Named{"NonPagedPoolNxCacheAligned", PoolType::kNonPagedPoolNxCacheAligned},
    Named{"NonPagedPoolSessionNx", PoolType::kNonPagedPoolSessionNx},
    // Aliases accepted on input only (after the canonical entries, so formatting skips them).
    Named{"NonPagedPoolExecute", PoolType::kNonPagedPoolExecute},
};
constexpr std::size_t kPoolTypeCanonical = kPoolTypes.size() - 1;

constexpr std::array kPoolTypeModifiers{
    Named{"POOL_QUOTA_FAIL_INSTEAD_OF_RAISE", PoolTypeBit::kQuotaPoolMask},
    Named{"POOL_RAISE_IF_ALLOCATION_FAILURE", PoolTypeBit::kPoolRaiseIfAllocationFailure},
    Named{"POOL_COLD_ALLOCATION", PoolTypeBit::kPoolColdAllocation},
    Named{"POOL_NX_ALLOCATION", PoolTypeBit::kPoolNxAllocation},
    Named{"POOL_ZERO_ALLOCATION", PoolTypeBit::kPoolZeroAllocation},
};

// The bits of a whole base type: the base type, must-succeed, cache-aligned, session and NX.
constexpr std::uint64_t kWholeTypeBits =
    PoolTypeBit::kBasePoolTypeMask | PoolTypeBit::kMustSucceedPoolTypeMask |
    PoolTypeBit::kCacheAlignedPoolTypeMask | PoolTypeBit::kSessionPoolMask |
    PoolTypeBit::kPoolNxAllocation;

constexpr std::array kPoolFlags{
    Named{"POOL_FLAG_USE_QUOTA", PoolFlag::kUseQuota},
    Named{"POOL_FLAG_UNINITIALIZED", PoolFlag::kUninitialized},
    Named{"POOL_FLAG_SESSION", PoolFlag::kSession},
    Named{"POOL_FLAG_CACHE_ALIGNED", PoolFlag::kCacheAligned},
    Named{"POOL_FLAG_RESERVED1", PoolFlag::kReserved1},
    Named{"POOL_FLAG_RAISE_ON_FAILURE", PoolFlag::kRaiseOnFailure},
    Named{"POOL_FLAG_NON_PAGED", PoolFlag::kNonPaged},
    Named{"POOL_FLAG_NON_PAGED_EXECUTE", PoolFlag::kNonPagedExecute},
    Named{"POOL_FLAG_PAGED", PoolFlag::kPaged},
    Named{"POOL_FLAG_RESERVED2", PoolFlag::kReserved2},
    Named{"POOL_FLAG_RESERVED3", PoolFlag::kReserved3},
    Named{"POOL_FLAG_SPECIAL_POOL", PoolFlag::kSpecialPool},
};

struct NamedCache {
  std::string_view name;
  CachingType value;
};
constexpr std::array kCacheTypes{
    NamedCache{"MmNonCached", CachingType::kMmNonCached},
    NamedCache{"MmCached", CachingType::kMmCached},
    NamedCache{"MmWriteCombined", CachingType::kMmWriteCombined},
    NamedCache{"MmHardwareCoherentCached", CachingType::kMmHardwareCoherentCached},
    NamedCache{"MmNonCachedUnordered", CachingType::kMmNonCachedUnordered},
    NamedCache{"MmUSWCCached", CachingType::kMmUSWCCached},
};

template <typename Table>
std::optional<std::uint64_t> lookup(const Table& table, std::string_view name) {
  for (const auto& n : table) {
    if (n.name == name) return n.value;
  }
  return std::nullopt;
}

// Splits on '|' and ORs the parts, each a name from one of the tables or a number.
template <typename... Tables>
std::optional<std::uint64_t> parse_or_joined(std::string_view text, const Tables&... tables) {
  text = trim_blanks(text);
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  while (true) {
    const auto bar = text.find('|');
    const auto part = trim_blanks(text.substr(0, bar));
    std::optional<std::uint64_t> v = parse_u64(part);
    if (!v) ((v = v ? v : lookup(tables, part)), ...);
    if (!v) return std::nullopt;
    value |= *v;
    if (bar == std::string_view::npos) return value;
    text.remove_prefix(bar + 1);
  }
}

std::string hex(std::uint64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, 16);
  std::string s = "0x";
  s.append(buf, r.ptr);
  return s;
}

// Appends `part` to a '|'-joined list.
void join(std::string& out, std::string_view part) {
  if (!out.empty()) out.push_back('|');
  out.append(part);
}

}  // namespace

std::optional<std::uint64_t> parse_pool_type(std::string_view text) {
  return parse_or_joined(text, kPoolTypes, kPoolTypeModifiers);
}

std::optional<std::uint64_t> parse_pool_flags(std::string_view text) {
  return parse_or_joined(text, kPoolFlags);
}

std::optional<CachingType> parse_cache_type(std::string_view text) {
  text = trim_blanks(text);
  for (const auto& c : kCacheTypes) {
    if (c.name == text) return c.value;
  }
  constexpr auto kEnd = static_cast<std::uint64_t>(CachingType::kMmMaximumCacheType);
  if (auto v = parse_u64(text); v && *v < kEnd) return static_cast<CachingType>(*v);
  return std::nullopt;
}

std::string pool_type_name(std::uint64_t value) {
  // The largest canonical base type whose bits are all present, then the modifiers left over.
  std::string out;
  std::uint64_t rest = value;
  const Named* best = nullptr;
  for (std::size_t i = 0; i < kPoolTypeCanonical; ++i) {
    const auto& n = kPoolTypes[i];
    if ((value & n.value) == n.value && (!best || n.value > best->value)) {
      // Only whole base types (kWholeTypeBits).
      if ((value & kWholeTypeBits) == n.value) best = &n;
    }
  }
  if (best) {
    out = best->name;
    rest &= ~best->value;
  }
  for (const auto& m : kPoolTypeModifiers) {
    if (rest & m.value) {
      join(out, m.name);
      rest &= ~m.value;
    }
  }
  if (rest != 0 || out.empty()) join(out, hex(rest));
  return out;
}

std::string pool_flags_name(std::uint64_t value) {
  std::string out;
  std::uint64_t rest = value;
  for (const auto& f : kPoolFlags) {
    if (rest & f.value) {
      join(out, f.name);
      rest &= ~f.value;
    }
  }
  if (rest != 0 || out.empty()) join(out, hex(rest));
  return out;
}

std::string cache_type_name(CachingType value) {
  for (const auto& c : kCacheTypes) {
    if (c.value == value) return std::string(c.name);
  }
  const int v = static_cast<int>(value);
  return v < 0 ? std::string() : std::to_string(v);
}

}  // namespace fragreplay::trace

// Tables of kernel names (see kernel_names.hpp).
#include "trace/kernel_names.hpp"

#include "trace/csv_fields.hpp"

#include <array>
#include <charconv>

namespace fragreplay::trace {
namespace {

struct Named {
  std::string_view name;
  std::uint64_t value;
};

// Whole POOL_TYPE values first (formatting prefers them), then modifier bits.
constexpr std::array kPoolTypes{
    Named{"NonPagedPool", 0},
    Named{"PagedPool", 1},
    Named{"NonPagedPoolMustSucceed", 2},
    Named{"DontUseThisType", 3},
    Named{"NonPagedPoolCacheAligned", 4},
    Named{"PagedPoolCacheAligned", 5},
    Named{"NonPagedPoolCacheAlignedMustS", 6},
    Named{"NonPagedPoolSession", 32},
    Named{"PagedPoolSession", 33},
    Named{"NonPagedPoolMustSucceedSession", 34},
    Named{"DontUseThisTypeSession", 35},
    Named{"NonPagedPoolCacheAlignedSession", 36},
    Named{"PagedPoolCacheAlignedSession", 37},
    Named{"NonPagedPoolCacheAlignedMustSSession", 38},
    Named{"NonPagedPoolNx", 512},
    Named{"NonPagedPoolNxCacheAligned", 516},
    Named{"NonPagedPoolSessionNx", 544},
    // Aliases accepted on input only (after the canonical entries, so formatting skips them).
    Named{"NonPagedPoolExecute", 0},
};
constexpr std::size_t kPoolTypeCanonical = kPoolTypes.size() - 1;

constexpr std::array kPoolTypeModifiers{
    Named{"POOL_QUOTA_FAIL_INSTEAD_OF_RAISE", 0x8}, Named{"POOL_RAISE_IF_ALLOCATION_FAILURE", 0x10},
    Named{"POOL_COLD_ALLOCATION", 0x100},           Named{"POOL_NX_ALLOCATION", 0x200},
    Named{"POOL_ZERO_ALLOCATION", 0x400},
};

constexpr std::array kPoolFlags{
    Named{"POOL_FLAG_USE_QUOTA", 0x1},   Named{"POOL_FLAG_UNINITIALIZED", 0x2},
    Named{"POOL_FLAG_SESSION", 0x4},     Named{"POOL_FLAG_CACHE_ALIGNED", 0x8},
    Named{"POOL_FLAG_RESERVED1", 0x10},  Named{"POOL_FLAG_RAISE_ON_FAILURE", 0x20},
    Named{"POOL_FLAG_NON_PAGED", 0x40},  Named{"POOL_FLAG_NON_PAGED_EXECUTE", 0x80},
    Named{"POOL_FLAG_PAGED", 0x100},     Named{"POOL_FLAG_RESERVED2", 0x200},
    Named{"POOL_FLAG_RESERVED3", 0x400}, Named{"POOL_FLAG_SPECIAL_POOL", 0x100000000ull},
};

constexpr std::array kCacheTypes{
    Named{"MmNonCached", 0},          Named{"MmCached", 1},
    Named{"MmWriteCombined", 2},      Named{"MmHardwareCoherentCached", 3},
    Named{"MmNonCachedUnordered", 4}, Named{"MmUSWCCached", 5},
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

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
  text = trim(text);
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  while (true) {
    const auto bar = text.find('|');
    const auto part = trim(text.substr(0, bar));
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

std::optional<std::int8_t> parse_cache_type(std::string_view text) {
  text = trim(text);
  if (auto v = lookup(kCacheTypes, text)) return static_cast<std::int8_t>(*v);
  if (auto v = parse_u64(text); v && *v < 6) return static_cast<std::int8_t>(*v);
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
      // Only whole base types: the low 3 bits, the session bit and the NX bit together.
      if ((value & 0x227) == n.value) best = &n;
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

std::string cache_type_name(std::int8_t value) {
  for (const auto& c : kCacheTypes) {
    if (static_cast<std::int64_t>(c.value) == value) return std::string(c.name);
  }
  return value < 0 ? std::string() : std::to_string(value);
}

}  // namespace fragreplay::trace

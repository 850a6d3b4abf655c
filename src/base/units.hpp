// Strong types for the quantities fragreplay must never mix: byte counts, page counts, page-frame
// numbers and physical addresses. Arithmetic follows the domain (frame - frame = page count,
// frame + page count = frame); everything else needs an explicit conversion that names the page
// size. All types are trivially copyable 64-bit values, so they cost nothing on hot paths.
#pragma once

#include <compare>
#include <cstdint>

namespace fragreplay {

// A count of bytes (sizes, footprints, waste). Closed under + and -.
struct Bytes {
  std::uint64_t value = 0;

  constexpr Bytes() = default;
  constexpr explicit Bytes(std::uint64_t v) : value(v) {}

  constexpr Bytes& operator+=(Bytes o) {
    value += o.value;
    return *this;
  }
  constexpr Bytes& operator-=(Bytes o) {
    value -= o.value;
    return *this;
  }
  friend constexpr Bytes operator+(Bytes a, Bytes b) { return Bytes{a.value + b.value}; }
  friend constexpr Bytes operator-(Bytes a, Bytes b) { return Bytes{a.value - b.value}; }
  friend constexpr auto operator<=>(Bytes, Bytes) = default;
};

// A number of pages (or frames). Closed under + and -.
struct PageCount {
  std::uint64_t value = 0;

  constexpr PageCount() = default;
  constexpr explicit PageCount(std::uint64_t v) : value(v) {}

  constexpr PageCount& operator+=(PageCount o) {
    value += o.value;
    return *this;
  }
  constexpr PageCount& operator-=(PageCount o) {
    value -= o.value;
    return *this;
  }
  friend constexpr PageCount operator+(PageCount a, PageCount b) {
    return PageCount{a.value + b.value};
  }
  friend constexpr PageCount operator-(PageCount a, PageCount b) {
    return PageCount{a.value - b.value};
  }
  friend constexpr auto operator<=>(PageCount, PageCount) = default;
};

// A physical page-frame number (PFN). Frames are positions: frame - frame is a distance in pages,
// and frame + pages is another frame.
struct Pfn {
  std::uint64_t value = 0;

  constexpr Pfn() = default;
  constexpr explicit Pfn(std::uint64_t v) : value(v) {}

  friend constexpr PageCount operator-(Pfn a, Pfn b) { return PageCount{a.value - b.value}; }
  friend constexpr Pfn operator+(Pfn a, PageCount n) { return Pfn{a.value + n.value}; }
  friend constexpr Pfn operator-(Pfn a, PageCount n) { return Pfn{a.value - n.value}; }
  friend constexpr auto operator<=>(Pfn, Pfn) = default;
};

// A physical byte address.
struct PhysAddr {
  std::uint64_t value = 0;

  constexpr PhysAddr() = default;
  constexpr explicit PhysAddr(std::uint64_t v) : value(v) {}

  friend constexpr auto operator<=>(PhysAddr, PhysAddr) = default;
};

// The page size of a modelled machine, kept as its shift so conversions are exact.
struct PageSize {
  unsigned shift = 12;

  constexpr std::uint64_t bytes() const { return std::uint64_t{1} << shift; }

  // BYTES_TO_PAGES: whole pages needed to hold n bytes (0 bytes -> 0 pages).
  constexpr PageCount pages_for(Bytes n) const {
    return PageCount{(n.value + bytes() - 1) >> shift};
  }
  constexpr Bytes bytes_of(PageCount p) const { return Bytes{p.value << shift}; }
  constexpr PhysAddr address_of(Pfn f) const { return PhysAddr{f.value << shift}; }
  // The frame holding an address (rounds down).
  constexpr Pfn frame_of(PhysAddr a) const { return Pfn{a.value >> shift}; }
  // The first frame at or above an address (rounds up).
  constexpr Pfn frame_at_or_above(PhysAddr a) const {
    return Pfn{(a.value >> shift) + ((a.value & (bytes() - 1)) != 0 ? 1 : 0)};
  }
  friend constexpr bool operator==(PageSize, PageSize) = default;
};

// Rounds v up to a multiple of the power of two `unit`.
constexpr std::uint64_t round_up_pow2(std::uint64_t v, std::uint64_t unit) {
  return (v + unit - 1) & ~(unit - 1);
}

namespace literals {
constexpr Bytes operator""_B(unsigned long long v) { return Bytes{v}; }
constexpr Bytes operator""_KiB(unsigned long long v) { return Bytes{v << 10}; }
constexpr Bytes operator""_MiB(unsigned long long v) { return Bytes{v << 20}; }
constexpr Bytes operator""_GiB(unsigned long long v) { return Bytes{v << 30}; }
}  // namespace literals

}  // namespace fragreplay

// A fixed-size array whose memory follows what is written to it: it is mapped from anonymous
// memory, which the kernel hands out zero-filled and backs with pages only where something is
// stored. The frame database is indexed by frame number, so a machine with 2 MiB of RAM at 1 TiB
// spans 2^28 frames; with this array the frames of the holes cost address space, not memory
// (docs/design.md, "Physical memory"). Every element starts as zero bytes, so T's zero value must
// be its empty state (PhysicalMemory: a hole, no links). Copies copy only the pages that hold
// something.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace fragreplay::model {

template <typename T>
class ZeroedArray {
  static_assert(std::is_trivially_copyable_v<T>, "elements are copied as bytes");

 public:
  ZeroedArray() = default;
  explicit ZeroedArray(std::size_t n) : size_(n), bytes_(mapped_bytes(n)) {
    if (bytes_ != 0) data_ = static_cast<T*>(map(bytes_));
  }
  ~ZeroedArray() { release(); }
  ZeroedArray(const ZeroedArray& other) : ZeroedArray(other.size_) { copy_pages_from(other); }
  ZeroedArray& operator=(const ZeroedArray& other) {
    if (this != &other) {
      ZeroedArray copy(other);
      swap(copy);
    }
    return *this;
  }
  ZeroedArray(ZeroedArray&& other) noexcept { swap(other); }
  ZeroedArray& operator=(ZeroedArray&& other) noexcept {
    ZeroedArray moved(std::move(other));
    swap(moved);
    return *this;
  }

  std::size_t size() const { return size_; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

 private:
  static constexpr std::size_t kPage = 4096;
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;
  // Arrays of at least one huge page start on a huge-page boundary and ask for huge pages
  // (MADV_HUGEPAGE, advice the kernel may ignore): the boot pass writes the entry of every RAM
  // frame, and in 2 MiB pages that is one page fault, and one page to free at exit, where 4 KiB
  // pages take 512. Untouched huge pages over holes still cost nothing.
  static void* map(std::size_t bytes) {
    const bool huge = bytes >= kHugePage;
    const std::size_t span = huge ? bytes + kHugePage : bytes;
    void* p = ::mmap(nullptr, span, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    if (!huge) return p;
    auto* const start = static_cast<unsigned char*>(p);
    const std::size_t skip =
        (kHugePage - reinterpret_cast<std::uintptr_t>(p) % kHugePage) % kHugePage;
    if (skip != 0) ::munmap(start, skip);
    if (span - skip != bytes) ::munmap(start + skip + bytes, span - skip - bytes);
    ::madvise(start + skip, bytes, MADV_HUGEPAGE);
    return start + skip;
  }
  static std::size_t mapped_bytes(std::size_t n) {
    return (n * sizeof(T) + kPage - 1) / kPage * kPage;
  }
  void swap(ZeroedArray& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(bytes_, other.bytes_);
  }
  void release() {
    if (data_ != nullptr) ::munmap(data_, bytes_);
    data_ = nullptr;
  }
  // Pages of `other` that hold only zero bytes are left unmapped here (they read as zero).
  void copy_pages_from(const ZeroedArray& other) {
    const auto* from = reinterpret_cast<const unsigned char*>(other.data_);
    auto* to = reinterpret_cast<unsigned char*>(data_);
    for (std::size_t at = 0; at < bytes_; at += kPage) {
      std::uint64_t any = 0;
      for (std::size_t k = 0; k < kPage; k += sizeof any) {
        std::uint64_t w;
        std::memcpy(&w, from + at + k, sizeof w);
        any |= w;
      }
      if (any != 0) std::memcpy(to + at, from + at, kPage);
    }
  }

  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t bytes_ = 0;
};

}  // namespace fragreplay::model

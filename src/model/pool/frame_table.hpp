// The frames behind an address range whose pages are handed out upward and never reused (the
// nonpaged pool's expansion area, pool_pages.hpp): page number -> frame, as a two-level page
// table of blocks of kBlockPages slots. A lookup is two loads, and the pages of one allocation
// sit side by side, where a hash map scattered them over a table larger than the cache (the
// MmCm round trip of NT 5.x maps, walks and unmaps about five expansion pages per event).
// A block is dropped when its last page is unmapped (pages are never reused, so it will not fill
// again) and kept for the next block the range grows into, so the table allocates nothing in a
// steady state; the directory's dead front is cut once it is half the directory.
//
// Invariants (check_invariants()): size() = mapped slots; every block's count = its mapped slots;
// no block kept is empty; the directory holds no block before head_ and one at head_.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <vector>

namespace fragreplay::model {

class FrameTable {
 public:
  static constexpr std::uint32_t kUnmapped = ~std::uint32_t{0};
  static constexpr unsigned kBlockShift = 9;
  static constexpr std::uint64_t kBlockPages = std::uint64_t{1} << kBlockShift;

  // Pages from `base` up. REQUIRES: every page number given later is >= base.
  explicit FrameTable(std::uint64_t base) : base_(base) {}

  std::size_t size() const { return size_; }
  // The frame of `page`, or kUnmapped.
  std::uint32_t find(std::uint64_t page) const {
    const std::uint64_t b = block_of(page);
    if (b < first_block_ || b - first_block_ >= directory_.size()) return kUnmapped;
    const Block* block = directory_[b - first_block_].get();
    return block == nullptr ? kUnmapped : block->frames[slot_of(page)];
  }
  // Maps `page` to `frame`. REQUIRES: page >= base, frame != kUnmapped. Throws
  // std::logic_error if the page is mapped already.
  void insert(std::uint64_t page, std::uint32_t frame) {
    insert_run(page, 1, [frame] { return frame; });
  }
  // Unmaps `page` and returns its frame. Throws std::logic_error if it was not mapped.
  std::uint32_t erase(std::uint64_t page) {
    std::uint32_t frame = kUnmapped;
    erase_run(page, 1, [&frame](std::uint32_t f) { frame = f; });
    return frame;
  }

  // The runs below walk a block at a time: one directory lookup per kBlockPages pages.
  // Calls f(frame) for pages [first, first + n) in order (kUnmapped for a page not mapped) while
  // f returns true; returns false if f stopped the walk.
  template <typename F>
  bool for_each(std::uint64_t first, std::uint64_t n, F&& f) const {
    while (n != 0) {
      const std::uint64_t b = block_of(first);
      const std::size_t slot = slot_of(first);
      const std::uint64_t k = std::min<std::uint64_t>(n, kBlockPages - slot);
      const Block* block = b < first_block_ || b - first_block_ >= directory_.size()
                               ? nullptr
                               : directory_[b - first_block_].get();
      for (std::uint64_t j = 0; j < k; ++j) {
        if (!f(block == nullptr ? kUnmapped : block->frames[slot + j])) return false;
      }
      first += k;
      n -= k;
    }
    return true;
  }
  // Maps pages [first, first + n) in order, each to the frame next_frame() returns. Throws
  // std::logic_error (having mapped the pages before it) at a page mapped already.
  template <typename F>
  void insert_run(std::uint64_t first, std::uint64_t n, F&& next_frame) {
    while (n != 0) {
      std::unique_ptr<Block>& block = entry(block_of(first));
      if (block == nullptr) block = new_block();
      const std::size_t slot = slot_of(first);
      const std::uint64_t k = std::min<std::uint64_t>(n, kBlockPages - slot);
      for (std::uint64_t j = 0; j < k; ++j) {
        std::uint32_t& s = block->frames[slot + j];
        if (s != kUnmapped) throw std::logic_error("FrameTable: insert of a page already mapped");
        s = next_frame();
        ++block->mapped;
        ++size_;
      }
      first += k;
      n -= k;
    }
  }
  // Unmaps pages [first, first + n) in order, calling f(frame) for each. Throws
  // std::logic_error (having unmapped the pages before it) at a page not mapped.
  template <typename F>
  void erase_run(std::uint64_t first, std::uint64_t n, F&& f) {
    while (n != 0) {
      const std::uint64_t b = block_of(first);
      const std::size_t slot = slot_of(first);
      const std::uint64_t k = std::min<std::uint64_t>(n, kBlockPages - slot);
      if (b < first_block_ || b - first_block_ >= directory_.size() ||
          directory_[b - first_block_] == nullptr) {
        throw std::logic_error("FrameTable: erase of a page not mapped");
      }
      Block& block = *directory_[b - first_block_];
      for (std::uint64_t j = 0; j < k; ++j) {
        std::uint32_t& s = block.frames[slot + j];
        if (s == kUnmapped) throw std::logic_error("FrameTable: erase of a page not mapped");
        const std::uint32_t frame = s;
        s = kUnmapped;
        --size_;
        const bool last = --block.mapped == 0;
        f(frame);
        if (last) {
          drop(b);  // the block's other slots are unmapped: nothing more to walk in it
          if (j + 1 != k) throw std::logic_error("FrameTable: erase of a page not mapped");
          break;
        }
      }
      first += k;
      n -= k;
    }
  }

  // Blocks holding mapped pages, and the directory's length (tests and benchmarks).
  std::size_t blocks() const {
    std::size_t n = 0;
    for (const auto& block : directory_) n += block != nullptr ? 1 : 0;
    return n;
  }
  std::size_t directory_size() const { return directory_.size(); }

  void check_invariants() const {
    std::size_t mapped = 0;
    for (std::size_t i = 0; i < directory_.size(); ++i) {
      const Block* block = directory_[i].get();
      if (block == nullptr) {
        if (i == head_) throw std::logic_error("FrameTable: the first block kept is empty");
        continue;
      }
      if (i < head_) throw std::logic_error("FrameTable: a block before the first one kept");
      std::uint64_t n = 0;
      for (const std::uint32_t f : block->frames) n += f != kUnmapped ? 1 : 0;
      if (n != block->mapped) throw std::logic_error("FrameTable: block count out of step");
      if (n == 0) throw std::logic_error("FrameTable: an empty block is kept");
      mapped += n;
    }
    if (head_ > directory_.size()) throw std::logic_error("FrameTable: head past the directory");
    if (mapped != size_) throw std::logic_error("FrameTable: size out of step");
  }

 private:
  struct Block {
    std::array<std::uint32_t, kBlockPages> frames;
    std::uint64_t mapped = 0;
  };

  std::uint64_t block_of(std::uint64_t page) const { return (page - base_) >> kBlockShift; }
  std::size_t slot_of(std::uint64_t page) const { return (page - base_) & (kBlockPages - 1); }

  // The directory entry of block b, growing the directory as needed.
  std::unique_ptr<Block>& entry(std::uint64_t b) {
    if (size_ == 0) {
      directory_.clear();
      first_block_ = b;
      head_ = 0;
    }
    if (b < first_block_) {
      // Below every block kept (the pool maps upward and never gets here).
      std::vector<std::unique_ptr<Block>> front(first_block_ - b);
      directory_.insert(directory_.begin(), std::make_move_iterator(front.begin()),
                        std::make_move_iterator(front.end()));
      head_ += first_block_ - b;
      first_block_ = b;
    }
    const std::uint64_t i = b - first_block_;
    if (i >= directory_.size()) directory_.resize(i + 1);
    if (i < head_) head_ = i;
    return directory_[i];
  }
  std::unique_ptr<Block> new_block() {
    std::unique_ptr<Block> block =
        spare_ != nullptr ? std::move(spare_) : std::make_unique<Block>();
    block->frames.fill(kUnmapped);
    block->mapped = 0;
    return block;
  }
  void drop(std::uint64_t b) {
    const std::uint64_t i = b - first_block_;
    spare_ = std::move(directory_[i]);
    if (i != head_) return;
    // The first block went: move the head to the next one kept (each entry is passed once), and
    // cut the dead front once it is half the directory.
    while (head_ < directory_.size() && directory_[head_] == nullptr) ++head_;
    if (head_ * 2 >= directory_.size()) {
      directory_.erase(directory_.begin(), directory_.begin() + static_cast<std::ptrdiff_t>(head_));
      first_block_ += head_;
      head_ = 0;
    }
  }

  std::uint64_t base_;
  std::uint64_t first_block_ = 0;  // block number of directory_[0]
  std::size_t head_ = 0;           // directory_[head_] is the first block kept; null before it
  std::vector<std::unique_ptr<Block>> directory_;  // by block number - first_block_
  std::unique_ptr<Block> spare_;                   // the last block dropped, for the next one
  std::size_t size_ = 0;
};

}  // namespace fragreplay::model

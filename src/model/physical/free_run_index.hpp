// The free-run index: which frames are free, one bit each, with a segment tree over 64-frame
// words that keeps, for every node, its free prefix, free suffix, longest free run, free count and
// the number of power-of-two pieces of the free runs strictly inside it. It answers "the first (or
// last) run of n free frames in [lo, end) that does not cross a multiple of `boundary`" and the
// window statistics of contiguous-request diagnostics in O(log frames) in the usual case, and
// keeps the histogram of maximal free runs, so nothing ever scans every frame
// (docs/model.md §5.3, §8.2). Beside each node it keeps the run-pair figures (free_run_pairs.hpp:
// the number of free runs, the longest span of two consecutive runs and the stretch between them)
// that let the pinned-frame diagnosis skip the parts of a window where nothing pins; those follow
// the tree only when the diagnosis reads them, so replays without failures never pay for them.
//
// Lazy: a change only flips bits and notes each word it touches. The tree is brought up to date by
// the next query that reads it (find, summarize, the extents), once for all the changes since,
// sharing the tree paths they have in common; the histogram by the next order_counts(), from the
// changed words' bits before and now. A replay changes frames on most events (pool pages taken and
// given back) but asks the tree only on contiguous requests and the histogram only when it takes
// a timeline sample.
//
// Frames that are not RAM are simply never free, so runs never span a hole.
//
// Invariants (check_invariants()): the marks count the words noted as changed, each noted once;
// the run-pair marks hold only words the tree has seen (a word's mark sets its group's bit above);
// after bringing the tree, the run-pair figures and the histogram up to date: every word's cached
// summary and run-pair figures match its bits; every stored node (and its run-pair figures)
// equals the combination of its children;
// order_counts()[k] = number of maximal free runs whose length has bit k set; the root's free count
// = the number of set bits.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "model/physical/free_run_pairs.hpp"
#include "model/physical/zeroed_array.hpp"

namespace fragreplay::model {

class FreeRunIndex {
 public:
  static constexpr unsigned kMaxOrders = 40;

  // What a range of frames holds. Lengths in frames.
  struct Summary {
    std::uint64_t len = 0;     // frames summarised
    std::uint64_t prefix = 0;  // free frames at the start
    std::uint64_t suffix = 0;  // free frames at the end
    std::uint64_t best = 0;    // longest free run
    std::uint64_t count = 0;   // free frames
    std::uint64_t inner = 0;   // pieces of the runs touching neither end (popcount of each length)

    bool full() const { return count == len; }
    // Power-of-two pieces of every maximal run of the range, edge runs included.
    std::uint64_t pieces() const;
  };

  // REQUIRES: frames <= 2^31. Every frame starts not free.
  explicit FreeRunIndex(std::uint64_t frames);

  std::uint64_t frames() const { return frames_; }
  bool is_free(std::uint64_t f) const { return (bits_[f >> 6] >> (f & 63)) & 1; }
  std::uint64_t free_count() const { return free_; }

  // Marks one frame (O(1); the tree follows at the next query). REQUIRES: the frame is in the
  // other state.
  void set_free(std::uint64_t f);
  void set_used(std::uint64_t f);
  // Marks [first, first + n). REQUIRES: every frame of the range is in the other state.
  void set_range_free(std::uint64_t first, std::uint64_t n);
  void set_range_used(std::uint64_t first, std::uint64_t n);

  // Statistics of [lo, end) (end clipped to frames()).
  Summary summarize(std::uint64_t lo, std::uint64_t end) const;
  // The start of the first (ascending) or last (descending) run of n free frames inside [lo, end)
  // whose frames all lie in one aligned block of `boundary` frames (0 = no boundary).
  // REQUIRES: n > 0.
  std::optional<std::uint64_t> find(std::uint64_t lo, std::uint64_t end, std::uint64_t n,
                                    std::uint64_t boundary, bool ascending) const;

  // Free frames immediately below f (ending at f - 1), and from f upwards (starting at f).
  std::uint64_t free_before(std::uint64_t f) const;
  std::uint64_t free_from(std::uint64_t f) const;
  // The first frame >= f, below end, that is free (or not free); end if none.
  std::uint64_t next_free(std::uint64_t f, std::uint64_t end) const;
  std::uint64_t next_used(std::uint64_t f, std::uint64_t end) const;
  // Both at once: {next_free(f, end), next_used(that, end)}, the next free run of [f, end) (or
  // {end, end}). Reads the words directly over short distances, so walking a fragmented window
  // run by run costs a few instructions a run (failure diagnostics walk thousands).
  std::pair<std::uint64_t, std::uint64_t> free_run_from(std::uint64_t f, std::uint64_t end) const;

  // The walk of the pinned-frame diagnosis (free_run_pairs.cpp; docs/model.md §8.2) over the free
  // runs of a window, clipped to it, in order. Its count goes on from one window to the next.
  struct PairWalk {
    std::uint64_t n = 0;      // report the pairs that span at least n frames
    std::uint64_t limit = 0;  // runs to look at, over all windows
    std::uint64_t runs = 0;   // runs met so far
    bool truncated = false;   // run limit + 1 was met
  };
  // Two consecutive free runs [p, ·) and [q, q_end) of a window, q_end - p >= n frames apart.
  struct PairSpan {
    std::uint64_t p, q, q_end;
  };
  // Appends to `out`, in order, every pair of consecutive runs of [lo, end) spanning at least
  // walk.n frames whose first run is among the first walk.limit runs met (this window's after
  // walk.runs earlier ones). Meeting run limit + 1 sets walk.truncated and ends the walk (its pair
  // with the run before it is still reported); returns walk.truncated. Subtrees that hold no such
  // pair are skipped whole, their runs counted from the tree. REQUIRES: walk.n > 0.
  bool wide_pairs(std::uint64_t lo, std::uint64_t end, PairWalk& walk,
                  std::vector<PairSpan>& out) const;

  // Maximal free runs split into power-of-two pieces (one piece per set bit of a run's length):
  // order_counts()[k] = pieces of 2^k frames. Σ count·2^k = free frames. Read it through a fresh
  // call after any change: the array is brought up to date by the call.
  const std::array<std::uint64_t, kMaxOrders>& order_counts() const {
    if (!orders_pending_.empty()) update_orders();
    return orders_;
  }
  // Words changed since the tree (the histogram) was last brought up to date (tests).
  std::uint64_t tree_pending_words() const { return tree_pending_; }
  std::size_t orders_pending_words() const { return orders_pending_.size(); }

  // Throws std::logic_error if the tree or the histogram disagrees with the bits, checked on a
  // copy brought up to date (so the pending changes stay pending). O(frames).
  void check_invariants() const;

 private:
  struct Node {
    std::uint32_t prefix = 0;
    std::uint32_t suffix = 0;
    std::uint32_t best = 0;
    std::uint32_t count = 0;
    std::uint32_t inner = 0;
  };

  static Summary combine(const Summary& a, const Summary& b);
  static Summary word_summary(std::uint64_t bits, unsigned len);
  Summary node_summary(std::uint64_t i) const;
  std::uint64_t node_len(std::uint64_t i) const;
  // Notes that word w is about to change: for the tree (a mark) and for the histogram (its bits
  // before the first change since the histogram was last brought up to date).
  void touch(std::uint64_t w) {
    const std::uint64_t bit = std::uint64_t{1} << (w & 63);
    std::uint64_t& mark = tree_stale_[w >> 6];
    if ((mark & bit) == 0) {
      if (mark == 0) tree_stale_top_[w >> 12] |= std::uint64_t{1} << ((w >> 6) & 63);
      mark |= bit;
      ++tree_pending_;
    }
    std::uint64_t& seen = orders_stale_[w >> 6];
    if ((seen & bit) == 0) {
      seen |= bit;
      orders_pending_.push_back(Pending{static_cast<std::uint32_t>(w), bits_[w]});
    }
  }
  // Brings the tree up to date with the bits. Cheap when nothing is pending.
  void catch_up() const {
    if (tree_pending_ != 0) update_tree();
  }
  void update_tree() const;
  // Brings the run-pair figures up to date (the tree first; free_run_pairs.cpp).
  void catch_up_pairs() const {
    catch_up();
    if (pairs_pending_) update_pairs();
  }
  void update_pairs() const;
  // Brings the histogram up to date (the tree first).
  void update_orders() const;
  void recount_orders() const;
  void check_up_to_date() const;
  // The extents on an up-to-date tree.
  std::uint64_t free_before_now(std::uint64_t f) const;
  std::uint64_t free_from_now(std::uint64_t f) const;
  void add_run(std::uint64_t len) const;
  void remove_run(std::uint64_t len) const;

  void summarize_rec(std::uint64_t i, std::uint64_t nlo, std::uint64_t nhi, std::uint64_t lo,
                     std::uint64_t end, Summary& acc, bool& started) const;
  struct Search {
    std::uint64_t lo, end, n, boundary;
    std::uint64_t carry = 0;
    std::optional<std::uint64_t> found;
  };
  template <bool kUp>
  bool find_run(std::uint64_t i, std::uint64_t nlo, std::uint64_t nhi, Search& s) const;
  struct PairCursor;  // free_run_pairs.cpp
  void walk_pairs(std::uint64_t i, std::uint64_t nlo, std::uint64_t nhi, PairCursor& c) const;

  std::uint64_t frames_;
  std::uint64_t leaves_;  // words in the tree (a power of two)
  unsigned leaf_shift_;   // log2(leaves_)
  std::uint64_t free_ = 0;
  ZeroedArray<std::uint64_t> bits_;  // bit i of word w = frame 64w + i (holes: untouched pages)
  struct Leaf {                      // a word's summary (every figure is at most 64)
    std::uint8_t prefix = 0, suffix = 0, best = 0, count = 0, inner = 0;
  };
  struct Pending {
    std::uint32_t word;    // frames <= 2^31, so words < 2^25
    std::uint64_t before;  // its bits when the histogram was last brought up to date
  };
  // Words the tree has not seen change: one bit per word, one bit per 64 words above it (so the
  // changed words come out in order without sorting), and how many.
  mutable std::vector<std::uint64_t> tree_stale_;
  mutable std::vector<std::uint64_t> tree_stale_top_;
  mutable std::uint64_t tree_pending_ = 0;
  // Words the tree has seen change but the run-pair figures have not, marked the same way.
  mutable std::vector<std::uint64_t> pairs_stale_;
  mutable std::vector<std::uint64_t> pairs_stale_top_;
  mutable bool pairs_pending_ = false;
  // Words changed since the histogram was last brought up to date: one bit per word, and the
  // words with their bits before, in order of first change.
  mutable std::vector<std::uint64_t> orders_stale_;
  mutable std::vector<Pending> orders_pending_;
  // What the queries bring up to date (const queries, hence mutable).
  mutable ZeroedArray<Node> nodes_;  // internal nodes 1 .. leaves_-1 (heap order)
  mutable ZeroedArray<Leaf> leaf_;   // per word of bits_
  // The run-pair figures (free_run_pairs.hpp) of the same nodes and words, kept beside them and
  // brought up to date only by the pinned-frame diagnosis.
  mutable ZeroedArray<free_run_pairs::Figures<std::uint32_t>> pair_nodes_;
  mutable ZeroedArray<free_run_pairs::Figures<std::uint8_t>> pair_leaf_;
  mutable std::array<std::uint64_t, kMaxOrders> orders_{};
  mutable std::vector<std::uint64_t> level_;  // scratch: the nodes of one level to recompute
};

}  // namespace fragreplay::model

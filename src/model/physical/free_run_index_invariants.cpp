// The free-run index's invariant checks (see free_run_index.hpp, "Invariants"): the stale marks
// agree with the pending work, and once that work is done every word summary, tree node (with their
// run-pair figures), the free count and the run histogram match what the bits say. O(frames); tests
// run it after every step.
#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>

#include "model/physical/free_run_index.hpp"
#include "model/physical/free_run_words.hpp"

namespace fragreplay::model {

using free_run_pairs::combine_pairs;
using free_run_words::bit_count;
using free_run_words::count_runs;
using free_run_words::low_mask;

namespace {

template <typename A, typename B>
bool same_figures(const A& a, const B& b) {
  return a.runs == b.runs && a.head == b.head && a.head2 == b.head2 && a.tail == b.tail &&
         a.tail2 == b.tail2 && a.pair == b.pair;
}

template <typename U>
free_run_pairs::Figures<std::uint64_t> figures_of(const free_run_pairs::Figures<U>& f) {
  return {f.runs, f.head, f.head2, f.tail, f.tail2, f.pair};
}

// The figures of frames [0, len) from the definition (free_run_pairs.hpp), one frame at a time.
free_run_pairs::Figures<std::uint64_t> figures_by_frame(const ZeroedArray<std::uint64_t>& bits,
                                                        std::uint64_t len) {
  free_run_pairs::Figures<std::uint64_t> f;
  std::uint64_t last_start = 0, prev_start = 0;
  const auto is_free = [&](std::uint64_t x) {
    return x / 64 < bits.size() && ((bits[x / 64] >> (x % 64)) & 1) != 0;
  };
  for (std::uint64_t x = 0; x < len;) {
    if (!is_free(x)) {
      ++x;
      continue;
    }
    std::uint64_t end = x;
    while (end < len && is_free(end)) ++end;
    if (++f.runs == 1) f.head = end;
    if (f.runs == 2) f.head2 = end;
    if (f.runs >= 2) f.pair = std::max(f.pair, end - last_start);
    prev_start = last_start;
    last_start = x;
    x = end;
  }
  if (f.runs >= 1) f.tail = len - last_start;
  if (f.runs >= 2) f.tail2 = len - prev_start;
  return f;
}

}  // namespace

void FreeRunIndex::check_invariants() const {
  std::uint64_t marked = 0;
  for (std::uint64_t m = 0; m < tree_stale_.size(); ++m) {
    marked += bit_count(tree_stale_[m]);
    const bool top = (tree_stale_top_[m >> 6] >> (m & 63)) & 1;
    if (top != (tree_stale_[m] != 0)) throw std::logic_error("FreeRunIndex: stale marks disagree");
  }
  if (marked != tree_pending_) throw std::logic_error("FreeRunIndex: stale word count wrong");
  bool pairs_marked = false;
  for (std::uint64_t m = 0; m < pairs_stale_.size(); ++m) {
    const bool top = (pairs_stale_top_[m >> 6] >> (m & 63)) & 1;
    if (top != (pairs_stale_[m] != 0)) {
      throw std::logic_error("FreeRunIndex: run-pair marks disagree");
    }
    pairs_marked = pairs_marked || pairs_stale_[m] != 0;
  }
  if (pairs_marked && !pairs_pending_) throw std::logic_error("FreeRunIndex: run-pair marks lost");
  marked = 0;
  for (const std::uint64_t m : orders_stale_) marked += bit_count(m);
  if (marked != orders_pending_.size()) {
    throw std::logic_error("FreeRunIndex: a changed word noted twice for the histogram");
  }
  for (const Pending& p : orders_pending_) {
    if (p.word >= bits_.size() || ((orders_stale_[p.word >> 6] >> (p.word & 63)) & 1) == 0) {
      throw std::logic_error("FreeRunIndex: a changed word is not marked");
    }
  }
  if (tree_pending_ == 0 && orders_pending_.empty() && !pairs_pending_) {
    check_up_to_date();
  } else {
    FreeRunIndex copy = *this;
    copy.order_counts();
    copy.catch_up_pairs();
    copy.check_up_to_date();
  }
}

void FreeRunIndex::check_up_to_date() const {
  for (std::uint64_t w = 0; w < bits_.size(); ++w) {
    const Summary s = word_summary(bits_[w], 64);
    const Leaf& l = leaf_[w];
    if (l.prefix != s.prefix || l.suffix != s.suffix || l.best != s.best || l.count != s.count ||
        l.inner != s.inner) {
      throw std::logic_error("FreeRunIndex: a word's summary is out of date");
    }
    if (!same_figures(pair_leaf_[w], free_run_pairs::word_figures(bits_[w]))) {
      throw std::logic_error("FreeRunIndex: a word's run-pair figures are out of date");
    }
  }
  for (std::uint64_t i = leaves_ - 1; i >= 1; --i) {
    const Summary want = combine(node_summary(2 * i), node_summary(2 * i + 1));
    const Node& n = nodes_[i];
    if (n.prefix != want.prefix || n.suffix != want.suffix || n.best != want.best ||
        n.count != want.count || n.inner != want.inner) {
      throw std::logic_error("FreeRunIndex: a node disagrees with its children");
    }
    free_run_pairs::Figures<std::uint32_t> pairs;
    const std::uint64_t half = node_len(2 * i);
    const bool merge = node_summary(2 * i).suffix != 0 && node_summary(2 * i + 1).prefix != 0;
    if (2 * i < leaves_) {
      combine_pairs(pair_nodes_[2 * i], pair_nodes_[2 * i + 1], merge,
                    static_cast<std::uint32_t>(half), pairs);
    } else {
      const std::uint64_t w = 2 * i - leaves_;
      combine_pairs(
          w < bits_.size() ? pair_leaf_[w] : free_run_pairs::Figures<std::uint8_t>{},
          w + 1 < bits_.size() ? pair_leaf_[w + 1] : free_run_pairs::Figures<std::uint8_t>{}, merge,
          64, pairs);
    }
    if (!same_figures(pair_nodes_[i], pairs)) {
      throw std::logic_error("FreeRunIndex: a node's run-pair figures disagree with its children");
    }
  }
  // The root's run-pair figures, frame by frame: a check of combine_pairs itself.
  const auto root = leaves_ == 1 ? figures_of(pair_leaf_[0]) : figures_of(pair_nodes_[1]);
  if (!same_figures(root, figures_by_frame(bits_, leaves_ * 64))) {
    throw std::logic_error("FreeRunIndex: the root's run-pair figures do not match the bits");
  }
  std::array<std::uint64_t, kMaxOrders> orders{};
  std::uint64_t free = 0;
  for (const std::uint64_t word : bits_) free += bit_count(word);
  count_runs(bits_, orders);
  for (std::uint64_t w = 0; w < bits_.size(); ++w) {
    if ((w + 1) * 64 > frames_ && (bits_[w] & ~low_mask(static_cast<unsigned>(frames_ - w * 64)))) {
      throw std::logic_error("FreeRunIndex: a bit beyond the last frame is set");
    }
  }
  if (free != free_ || node_summary(1).count != free) {
    throw std::logic_error("FreeRunIndex: free count does not match the bits");
  }
  if (orders != orders_) throw std::logic_error("FreeRunIndex: run histogram out of step");
}

}  // namespace fragreplay::model

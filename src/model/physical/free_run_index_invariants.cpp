// The free-run index's invariant checks (see free_run_index.hpp, "Invariants"): the stale marks
// agree with the pending work, and once that work is done every word summary, tree node, the free
// count and the run histogram match what the bits say. O(frames); tests run it after every step.
#include <array>
#include <cstdint>
#include <stdexcept>

#include "model/physical/free_run_index.hpp"
#include "model/physical/free_run_words.hpp"

namespace fragreplay::model {

using free_run_words::bit_count;
using free_run_words::count_runs;
using free_run_words::low_mask;

void FreeRunIndex::check_invariants() const {
  std::uint64_t marked = 0;
  for (std::uint64_t m = 0; m < tree_stale_.size(); ++m) {
    marked += bit_count(tree_stale_[m]);
    const bool top = (tree_stale_top_[m >> 6] >> (m & 63)) & 1;
    if (top != (tree_stale_[m] != 0)) throw std::logic_error("FreeRunIndex: stale marks disagree");
  }
  if (marked != tree_pending_) throw std::logic_error("FreeRunIndex: stale word count wrong");
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
  if (tree_pending_ == 0 && orders_pending_.empty()) {
    check_up_to_date();
  } else {
    FreeRunIndex copy = *this;
    copy.order_counts();
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
  }
  for (std::uint64_t i = leaves_ - 1; i >= 1; --i) {
    const Summary want = combine(node_summary(2 * i), node_summary(2 * i + 1));
    const Node& n = nodes_[i];
    if (n.prefix != want.prefix || n.suffix != want.suffix || n.best != want.best ||
        n.count != want.count || n.inner != want.inner) {
      throw std::logic_error("FreeRunIndex: a node disagrees with its children");
    }
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

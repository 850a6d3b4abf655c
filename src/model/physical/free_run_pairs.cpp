// The walk of the pinned-frame diagnosis over the free-run tree (FreeRunIndex::wide_pairs; see
// free_run_index.hpp and free_run_pairs.hpp; docs/model.md §8.2). It meets the free runs of a
// window in order, as a run-by-run walk would, but takes a whole subtree at once from its run-pair
// figures when no pair that ends in it can span n frames, counting its runs, so only the few parts
// of a fragmented window where a wide pair lies are read frame by frame.
//
// The cursor holds what the runs met so far leave for the pairs to come: how many runs this window
// has met, where the last run and the one before it start, and whether the last run reaches the
// current frame (it may go on). A pair's span is known when its second run ends ("closes"): in a
// word, at the node edge where the next node starts used, or at the window's end. Spans only grow
// as a run goes on, so a subtree may be skipped when every pair whose second run ends in it, with
// the runs that reach into it from before, is shorter than n: its own pairs (the figure `pair`,
// clipped to it, at most their true spans) and the one or two pairs across its first frame (from
// head and head2 and the cursor's starts).
#include <algorithm>
#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

#include "model/physical/free_run_index.hpp"
#include "model/physical/free_run_words.hpp"

namespace fragreplay::model {

using free_run_pairs::combine_pairs;

struct FreeRunIndex::PairCursor {
  PairWalk& walk;
  std::vector<PairSpan>& out;
  std::uint64_t lo, end;
  std::uint64_t seen = 0;         // runs this window has met (only 0, 1 and more matter)
  std::uint64_t last = 0;         // the start of the last run met
  std::uint64_t before = 0;       // the start of the run before it (seen >= 2)
  bool open = false;              // the last run reaches the current frame
  bool stop_when_closed = false;  // run limit + 1 has started: stop once its pair is known
  bool stopped = false;

  // A run starts at s (not the continuation of the open one).
  void start(std::uint64_t s) {
    if (++walk.runs > walk.limit) {
      walk.truncated = true;
      stop_when_closed = true;
    }
    before = last;
    last = s;
    ++seen;
    open = true;
  }
  // The last run ends at e: its pair with the run before is complete.
  void close(std::uint64_t e) {
    open = false;
    if (seen >= 2 && e - before >= walk.n) out.push_back(PairSpan{before, last, e});
    if (stop_when_closed) stopped = true;
  }

  // The frames [u, v) of one word (bit 0 of `bits` = frame u), read run by run.
  void word(std::uint64_t bits, std::uint64_t u, std::uint64_t v) {
    const unsigned len = static_cast<unsigned>(v - u);
    std::uint64_t y = bits & free_run_words::low_mask(len);
    if (open && (y & 1) == 0) close(u);
    while (y != 0 && !stopped) {
      const unsigned s = static_cast<unsigned>(std::countr_zero(y));
      const unsigned e = s + static_cast<unsigned>(std::countr_one(y >> s));
      if (!(open && s == 0)) start(u + s);
      if (e < len) {
        close(u + e);
        y &= ~free_run_words::low_mask(e);
      } else {
        y = 0;
      }
    }
  }

  // Takes the node [x, y) whole from its figures if no pair ending in it can span n frames; else
  // returns false and changes nothing but a close at x (which any reading of the node begins with).
  template <typename P>
  bool skip(const P& f, std::uint64_t prefix, std::uint64_t suffix, std::uint64_t x,
            std::uint64_t y) {
    if (open && prefix == 0) close(x);
    if (stopped) return true;
    if (f.runs == 0) return true;
    const bool merge = open;  // the open run goes on into the node (prefix > 0)
    const std::uint64_t runs = f.runs, n = walk.n;
    const std::uint64_t fresh = runs - (merge ? 1 : 0);
    if (stop_when_closed || walk.runs + fresh > walk.limit || f.pair >= n) return false;
    if (merge) {
      if (seen >= 2 && x + f.head - before >= n) return false;  // (before, the merged run)
      if (runs >= 2 && x + f.head2 - last >= n) return false;   // (the merged run, r_2)
    } else if (seen >= 1 && x + f.head - last >= n) {
      return false;  // (last, r_1)
    }
    walk.runs += fresh;
    seen += fresh;
    if (runs >= 2 || !merge) {
      // The node's last run is new; the one before it is the node's (or the merged run, or last).
      const std::uint64_t new_last = y - f.tail;
      if (runs >= 3 || (runs == 2 && !merge)) {
        before = y - f.tail2;
      } else {
        before = last;
      }
      last = new_last;
    }
    open = suffix != 0;
    return true;
  }
};

void FreeRunIndex::walk_pairs(std::uint64_t i, std::uint64_t nlo, std::uint64_t nhi,
                              PairCursor& c) const {
  if (c.stopped || nhi <= c.lo || nlo >= c.end) return;
  const bool inside = nlo >= c.lo && nhi <= c.end;
  if (i >= leaves_) {
    const std::uint64_t w = i - leaves_;
    if (inside && c.skip(pair_leaf_[w], leaf_[w].prefix, leaf_[w].suffix, nlo, nhi)) return;
    if (c.stopped) return;
    const std::uint64_t u = std::max(nlo, c.lo);
    c.word(bits_[w] >> (u - nlo), u, std::min(nhi, c.end));
    return;
  }
  if (inside && c.skip(pair_nodes_[i], nodes_[i].prefix, nodes_[i].suffix, nlo, nhi)) return;
  const std::uint64_t mid = nlo + (nhi - nlo) / 2;
  walk_pairs(2 * i, nlo, mid, c);
  walk_pairs(2 * i + 1, mid, nhi, c);
}

// The words marked by update_tree in order, their figures, then the nodes above them level by
// level, each once (as update_tree does for the other summaries, whose prefixes and suffixes,
// already up to date, tell where a run crosses a seam).
void FreeRunIndex::update_pairs() const {
  static const free_run_pairs::Figures<std::uint8_t> kNone{};
  level_.clear();
  for (std::uint64_t t = 0; t < pairs_stale_top_.size(); ++t) {
    for (std::uint64_t top = std::exchange(pairs_stale_top_[t], 0); top != 0; top &= top - 1) {
      const std::uint64_t m = (t << 6) + static_cast<std::uint64_t>(std::countr_zero(top));
      for (std::uint64_t bits = std::exchange(pairs_stale_[m], 0); bits != 0; bits &= bits - 1) {
        const std::uint64_t w = (m << 6) + static_cast<std::uint64_t>(std::countr_zero(bits));
        pair_leaf_[w] = free_run_pairs::word_figures(bits_[w]);
        const std::uint64_t i = (leaves_ + w) >> 1;
        if (level_.empty() || level_.back() != i) level_.push_back(i);
      }
    }
  }
  pairs_pending_ = false;
  if (leaves_ == 1 || level_.empty()) return;
  for (const std::uint64_t i : level_) {
    const std::uint64_t w = 2 * i - leaves_;
    const bool has_b = w + 1 < leaf_.size();
    const bool merge = leaf_[w].suffix != 0 && has_b && leaf_[w + 1].prefix != 0;
    combine_pairs(pair_leaf_[w], has_b ? pair_leaf_[w + 1] : kNone, merge, 64, pair_nodes_[i]);
  }
  for (std::uint32_t len = 128; level_.front() > 1; len *= 2) {
    std::size_t kept = 0;
    for (const std::uint64_t i : level_) {
      if (kept == 0 || level_[kept - 1] != i >> 1) level_[kept++] = i >> 1;
    }
    level_.resize(kept);
    for (const std::uint64_t i : level_) {
      combine_pairs(pair_nodes_[2 * i], pair_nodes_[2 * i + 1],
                    nodes_[2 * i].suffix != 0 && nodes_[2 * i + 1].prefix != 0, len,
                    pair_nodes_[i]);
    }
  }
}

bool FreeRunIndex::wide_pairs(std::uint64_t lo, std::uint64_t end, PairWalk& walk,
                              std::vector<PairSpan>& out) const {
  catch_up_pairs();
  end = std::min(end, frames_);
  if (lo >= end || walk.truncated) return walk.truncated;
  PairCursor c{walk, out, lo, end};
  walk_pairs(1, 0, leaves_ << 6, c);
  if (c.open && !c.stopped) c.close(end);
  return walk.truncated;
}

}  // namespace fragreplay::model

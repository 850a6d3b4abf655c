// The free-run index (see free_run_index.hpp). Nodes are kept in heap order: node 1 is the root,
// node i has children 2i and 2i + 1, and the leaves leaves_ .. 2·leaves_ - 1 are the bit words
// themselves, summarised on the fly.
#include "model/physical/free_run_index.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <utility>

#include "model/physical/free_run_words.hpp"

namespace fragreplay::model {

using free_run_words::add_pieces;
using free_run_words::bit_count;
using free_run_words::count_runs;
using free_run_words::kAllOnes;
using free_run_words::low_mask;
using free_run_words::walk_word_runs;

namespace {

std::uint64_t pieces_of(std::uint64_t run) { return bit_count(run); }

}  // namespace

std::uint64_t FreeRunIndex::Summary::pieces() const {
  if (full()) return pieces_of(len);
  return inner + pieces_of(prefix) + pieces_of(suffix);
}

FreeRunIndex::FreeRunIndex(std::uint64_t frames) : frames_(frames) {
  if (frames > (std::uint64_t{1} << 31)) {
    throw std::invalid_argument("FreeRunIndex: at most 2^31 frames");
  }
  const std::uint64_t words = std::max<std::uint64_t>(1, (frames + 63) / 64);
  leaves_ = std::bit_ceil(words);
  leaf_shift_ = static_cast<unsigned>(std::countr_zero(leaves_));
  // Zero is every figure's empty value (no free frame), so the arrays start as zero pages and
  // the words over holes never take memory.
  bits_ = ZeroedArray<std::uint64_t>(words);
  tree_stale_.assign((words + 63) / 64, 0);
  tree_stale_top_.assign((words + 4095) / 4096, 0);
  pairs_stale_.assign((words + 63) / 64, 0);
  pairs_stale_top_.assign((words + 4095) / 4096, 0);
  orders_stale_.assign((words + 63) / 64, 0);
  leaf_ = ZeroedArray<Leaf>(words);
  nodes_ = ZeroedArray<Node>(leaves_);
  pair_leaf_ = ZeroedArray<free_run_pairs::Figures<std::uint8_t>>(words);
  pair_nodes_ = ZeroedArray<free_run_pairs::Figures<std::uint32_t>>(leaves_);
}

FreeRunIndex::Summary FreeRunIndex::word_summary(std::uint64_t bits, unsigned len) {
  Summary s;
  s.len = len;
  if (len == 0) return s;
  const std::uint64_t mask = low_mask(len);
  const std::uint64_t x = bits & mask;
  s.count = bit_count(x);
  if (x == mask) {
    s.prefix = s.suffix = s.best = len;
    return s;
  }
  s.prefix = static_cast<std::uint64_t>(std::countr_one(x));
  s.suffix = static_cast<std::uint64_t>(std::countl_one(x << (64 - len)));
  std::uint64_t y = x;
  while (y != 0) {
    const unsigned start = static_cast<unsigned>(std::countr_zero(y));
    const unsigned run = static_cast<unsigned>(std::countr_one(y >> start));
    s.best = std::max<std::uint64_t>(s.best, run);
    if (start != 0 && start + run != len) s.inner += pieces_of(run);
    y &= ~(low_mask(run) << start);
  }
  return s;
}

FreeRunIndex::Summary FreeRunIndex::combine(const Summary& a, const Summary& b) {
  Summary s;
  s.len = a.len + b.len;
  s.count = a.count + b.count;
  s.prefix = a.full() ? a.len + b.prefix : a.prefix;
  s.suffix = b.full() ? b.len + a.suffix : b.suffix;
  const std::uint64_t middle = a.suffix + b.prefix;
  s.best = std::max({a.best, b.best, middle});
  s.inner = a.inner + b.inner;
  // The run across the split belongs inside unless it reaches an end of the combined range.
  if (!a.full() && !b.full()) s.inner += pieces_of(middle);
  return s;
}

std::uint64_t FreeRunIndex::node_len(std::uint64_t i) const {
  const unsigned depth = static_cast<unsigned>(std::bit_width(i)) - 1;
  return std::uint64_t{64} << (leaf_shift_ - depth);
}

namespace {

// A Summary from stored fields (a cached word or a tree node).
template <typename Stored>
FreeRunIndex::Summary summary_of(const Stored& x, std::uint64_t len) {
  FreeRunIndex::Summary s;
  s.len = len;
  s.prefix = x.prefix;
  s.suffix = x.suffix;
  s.best = x.best;
  s.count = x.count;
  s.inner = x.inner;
  return s;
}

}  // namespace

FreeRunIndex::Summary FreeRunIndex::node_summary(std::uint64_t i) const {
  if (i < leaves_) return summary_of(nodes_[i], node_len(i));
  const std::uint64_t w = i - leaves_;
  return w < leaf_.size() ? summary_of(leaf_[w], 64) : summary_of(Leaf{}, 64);
}

namespace {

// combine() on the stored 32-bit fields, for the hot path of updates. `len` is a child's length.
template <typename A, typename B, typename Out>
void combine_raw(const A& a, const B& b, std::uint32_t len, Out& out) {
  const std::uint32_t middle = std::uint32_t{a.suffix} + b.prefix;
  const bool a_full = a.count == len;
  const bool b_full = b.count == len;
  out.prefix = a_full ? len + b.prefix : a.prefix;
  out.suffix = b_full ? len + a.suffix : b.suffix;
  out.best = std::max({std::uint32_t{a.best}, std::uint32_t{b.best}, middle});
  out.count = std::uint32_t{a.count} + b.count;
  out.inner = std::uint32_t{a.inner} + b.inner +
              (!a_full && !b_full ? static_cast<std::uint32_t>(bit_count(middle)) : 0);
}

}  // namespace

void FreeRunIndex::update_tree() const {
  // The changed words in order, from the marks (cleared on the way): their summaries, and the
  // nodes just above them, each once. The marks pass on to the run-pair figures, which only the
  // pinned-frame diagnosis reads (update_pairs, free_run_pairs.cpp).
  level_.clear();
  pairs_pending_ = true;
  for (std::uint64_t t = 0; t < tree_stale_top_.size(); ++t) {
    const std::uint64_t tops = std::exchange(tree_stale_top_[t], 0);
    pairs_stale_top_[t] |= tops;
    for (std::uint64_t top = tops; top != 0; top &= top - 1) {
      const std::uint64_t m = (t << 6) + static_cast<std::uint64_t>(std::countr_zero(top));
      const std::uint64_t marks = std::exchange(tree_stale_[m], 0);
      pairs_stale_[m] |= marks;
      for (std::uint64_t bits = marks; bits != 0; bits &= bits - 1) {
        const std::uint64_t w = (m << 6) + static_cast<std::uint64_t>(std::countr_zero(bits));
        const Summary s = word_summary(bits_[w], 64);
        leaf_[w] = Leaf{static_cast<std::uint8_t>(s.prefix), static_cast<std::uint8_t>(s.suffix),
                        static_cast<std::uint8_t>(s.best), static_cast<std::uint8_t>(s.count),
                        static_cast<std::uint8_t>(s.inner)};
        const std::uint64_t i = (leaves_ + w) >> 1;
        if (level_.empty() || level_.back() != i) level_.push_back(i);
      }
    }
  }
  tree_pending_ = 0;
  if (leaves_ == 1) return;
  // Level by level from the words up: a level's nodes come out sorted, so a node shared by
  // several changed words is recomputed once.
  // The level above the words combines two cached word summaries (beyond the last word: none).
  static const Leaf kNone{};
  for (const std::uint64_t i : level_) {
    const std::uint64_t w = 2 * i - leaves_;
    const Leaf& a = w < leaf_.size() ? leaf_[w] : kNone;
    const Leaf& b = w + 1 < leaf_.size() ? leaf_[w + 1] : kNone;
    combine_raw(a, b, 64, nodes_[i]);
  }
  for (std::uint32_t len = 128; level_.front() > 1; len *= 2) {
    std::size_t kept = 0;
    for (const std::uint64_t i : level_) {
      if (kept == 0 || level_[kept - 1] != i >> 1) level_[kept++] = i >> 1;
    }
    level_.resize(kept);
    for (const std::uint64_t i : level_)
      combine_raw(nodes_[2 * i], nodes_[2 * i + 1], len, nodes_[i]);
  }
}

// The histogram changes only in runs that touch a changed word. Walking the changed words in
// order, two run lengths are carried side by side: one over the bits before (removed from the
// histogram), one over the bits now (added). Between changed words the frames are as they were,
// so the tree, already up to date, gives how far a run reaches into them: if it crosses a whole
// gap of unchanged words the walk carries on into the next changed word, else the run ends there,
// and the next changed word starts a new run from what lies free just below it.
void FreeRunIndex::update_orders() const {
  catch_up();
  for (const Pending& p : orders_pending_) orders_stale_[p.word >> 6] = 0;
  // Past a quarter of the words, counting every run afresh is cheaper than the walk below.
  if (orders_pending_.size() * 4 > bits_.size()) {
    orders_pending_.clear();
    recount_orders();
    return;
  }
  std::sort(orders_pending_.begin(), orders_pending_.end(),
            [](const Pending& a, const Pending& b) { return a.word < b.word; });
  const std::vector<Pending>& pending = orders_pending_;
  std::uint64_t before = 0, now = 0;  // free frames of the open run, before and now
  const auto remove = [this](std::uint64_t len) { remove_run(len); };
  const auto add = [this](std::uint64_t len) { add_run(len); };
  bool open = false;
  for (std::size_t k = 0; k < pending.size(); ++k) {
    const std::uint64_t w = pending[k].word;
    if (!open) {
      before = now = free_before_now(w << 6);
      open = true;
    }
    walk_word_runs(pending[k].before, before, remove);
    walk_word_runs(bits_[w], now, add);
    // Leaving the changed words: the run reaches into the unchanged ones after w.
    const bool next_adjacent = k + 1 < pending.size() && pending[k + 1].word == w + 1;
    if (next_adjacent) continue;
    const std::uint64_t reach = free_from_now((w + 1) << 6);
    if (k + 1 < pending.size()) {
      const std::uint64_t gap = (std::uint64_t{pending[k + 1].word} - (w + 1)) << 6;
      if (reach >= gap) {  // the whole gap is free: the run goes on into the next changed word
        before += gap;
        now += gap;
        continue;
      }
    }
    remove_run(before + reach);
    add_run(now + reach);
    open = false;
  }
  orders_pending_.clear();
}

void FreeRunIndex::recount_orders() const { count_runs(bits_, orders_); }

void FreeRunIndex::add_run(std::uint64_t len) const { add_pieces(orders_, len); }

void FreeRunIndex::remove_run(std::uint64_t len) const {
  for (std::uint64_t x = len; x != 0; x &= x - 1)
    --orders_[static_cast<std::size_t>(std::countr_zero(x))];
}

void FreeRunIndex::set_free(std::uint64_t f) {
  touch(f >> 6);
  bits_[f >> 6] |= std::uint64_t{1} << (f & 63);
  ++free_;
}

void FreeRunIndex::set_used(std::uint64_t f) {
  touch(f >> 6);
  bits_[f >> 6] &= ~(std::uint64_t{1} << (f & 63));
  --free_;
}

void FreeRunIndex::set_range_free(std::uint64_t first, std::uint64_t n) {
  if (n == 0) return;
  const std::uint64_t end = first + n;
  for (std::uint64_t w = first >> 6; w <= (end - 1) >> 6; ++w) {
    const std::uint64_t lo = std::max(first, w << 6) - (w << 6);
    const std::uint64_t hi = std::min(end, (w + 1) << 6) - (w << 6);
    touch(w);
    bits_[w] |= low_mask(static_cast<unsigned>(hi - lo)) << lo;
  }
  free_ += n;
}

void FreeRunIndex::set_range_used(std::uint64_t first, std::uint64_t n) {
  if (n == 0) return;
  const std::uint64_t end = first + n;
  for (std::uint64_t w = first >> 6; w <= (end - 1) >> 6; ++w) {
    const std::uint64_t lo = std::max(first, w << 6) - (w << 6);
    const std::uint64_t hi = std::min(end, (w + 1) << 6) - (w << 6);
    touch(w);
    bits_[w] &= ~(low_mask(static_cast<unsigned>(hi - lo)) << lo);
  }
  free_ -= n;
}

std::uint64_t FreeRunIndex::free_before(std::uint64_t f) const {
  catch_up();
  return free_before_now(f);
}

std::uint64_t FreeRunIndex::free_from(std::uint64_t f) const {
  catch_up();
  return free_from_now(f);
}

std::uint64_t FreeRunIndex::free_before_now(std::uint64_t f) const {
  if (f == 0 || f > frames_) return 0;
  const std::uint64_t p = f - 1;
  const std::uint64_t w = p >> 6;
  const unsigned b = static_cast<unsigned>(p & 63);
  const auto c = static_cast<std::uint64_t>(std::countl_one(bits_[w] << (63 - b)));
  if (c < b + 1) return c;
  std::uint64_t acc = b + 1;
  for (std::uint64_t i = leaves_ + w; i > 1; i >>= 1) {
    if ((i & 1) == 0) continue;
    const Summary s = node_summary(i - 1);
    if (!s.full()) return acc + s.suffix;
    acc += s.len;
  }
  return acc;
}

std::uint64_t FreeRunIndex::free_from_now(std::uint64_t f) const {
  if (f >= frames_) return 0;
  const std::uint64_t w = f >> 6;
  const unsigned b = static_cast<unsigned>(f & 63);
  const auto c = static_cast<std::uint64_t>(std::countr_one(bits_[w] >> b));
  if (c < 64 - b) return c;
  std::uint64_t acc = 64 - b;
  for (std::uint64_t i = leaves_ + w; i > 1; i >>= 1) {
    if ((i & 1) == 1) continue;
    const Summary s = node_summary(i + 1);
    if (!s.full()) return acc + s.prefix;
    acc += s.len;
  }
  return acc;
}

std::uint64_t FreeRunIndex::next_free(std::uint64_t f, std::uint64_t end) const {
  catch_up();
  end = std::min(end, frames_);
  if (f >= end) return end;
  const std::uint64_t w = f >> 6;
  const std::uint64_t x = bits_[w] & (kAllOnes << (f & 63));
  std::uint64_t found = end;
  if (x != 0) {
    found = (w << 6) + static_cast<std::uint64_t>(std::countr_zero(x));
  } else {
    for (std::uint64_t i = leaves_ + w; i > 1; i >>= 1) {
      if ((i & 1) == 1 || node_summary(i + 1).count == 0) continue;
      std::uint64_t j = i + 1;
      while (j < leaves_) j = node_summary(2 * j).count != 0 ? 2 * j : 2 * j + 1;
      const std::uint64_t word = j - leaves_;
      found = (word << 6) + static_cast<std::uint64_t>(std::countr_zero(bits_[word]));
      break;
    }
  }
  return std::min(found, end);
}

std::uint64_t FreeRunIndex::next_used(std::uint64_t f, std::uint64_t end) const {
  catch_up();
  end = std::min(end, frames_);
  if (f >= end) return end;
  const std::uint64_t w = f >> 6;
  const std::uint64_t x = ~bits_[w] & (kAllOnes << (f & 63));
  std::uint64_t found = end;
  if (x != 0) {
    found = (w << 6) + static_cast<std::uint64_t>(std::countr_zero(x));
  } else {
    for (std::uint64_t i = leaves_ + w; i > 1; i >>= 1) {
      if ((i & 1) == 1 || node_summary(i + 1).full()) continue;
      std::uint64_t j = i + 1;
      while (j < leaves_) j = !node_summary(2 * j).full() ? 2 * j : 2 * j + 1;
      const std::uint64_t word = j - leaves_;
      const std::uint64_t bits = word < bits_.size() ? bits_[word] : 0;
      found = (word << 6) + static_cast<std::uint64_t>(std::countr_zero(~bits));
      break;
    }
  }
  return std::min(found, end);
}

std::pair<std::uint64_t, std::uint64_t> FreeRunIndex::free_run_from(std::uint64_t f,
                                                                    std::uint64_t end) const {
  // Past this many words without an answer, the tree skips the rest.
  constexpr unsigned kScanWords = 8;
  catch_up();
  end = std::min(end, frames_);
  if (f >= end) return {end, end};
  const std::uint64_t last_word = (end - 1) >> 6;
  std::uint64_t w = f >> 6;
  std::uint64_t x = bits_[w] & (kAllOnes << (f & 63));
  std::uint64_t start = end;
  for (unsigned scanned = 0; x == 0;) {
    if (++w > last_word) return {end, end};
    if (++scanned == kScanWords) {
      start = next_free(w << 6, end);
      break;
    }
    x = bits_[w];
  }
  if (x != 0) start = std::min((w << 6) + static_cast<std::uint64_t>(std::countr_zero(x)), end);
  if (start >= end) return {end, end};
  w = start >> 6;
  std::uint64_t y = ~bits_[w] & (kAllOnes << (start & 63));
  for (unsigned scanned = 0; y == 0;) {
    if (++w > last_word) return {start, end};
    if (++scanned == kScanWords) return {start, next_used(w << 6, end)};
    y = ~bits_[w];
  }
  return {start, std::min((w << 6) + static_cast<std::uint64_t>(std::countr_zero(y)), end)};
}

void FreeRunIndex::summarize_rec(std::uint64_t i, std::uint64_t nlo, std::uint64_t nhi,
                                 std::uint64_t lo, std::uint64_t end, Summary& acc,
                                 bool& started) const {
  if (nhi <= lo || nlo >= end) return;
  Summary s;
  if (nlo >= lo && nhi <= end) {
    s = node_summary(i);
  } else if (i >= leaves_) {
    const std::uint64_t w = i - leaves_;
    const std::uint64_t a = std::max(nlo, lo) - nlo;
    const std::uint64_t b = std::min(nhi, end) - nlo;
    const std::uint64_t bits = w < bits_.size() ? bits_[w] : 0;
    s = word_summary(bits >> a, static_cast<unsigned>(b - a));
  } else {
    const std::uint64_t mid = nlo + (nhi - nlo) / 2;
    summarize_rec(2 * i, nlo, mid, lo, end, acc, started);
    summarize_rec(2 * i + 1, mid, nhi, lo, end, acc, started);
    return;
  }
  acc = started ? combine(acc, s) : s;
  started = true;
}

FreeRunIndex::Summary FreeRunIndex::summarize(std::uint64_t lo, std::uint64_t end) const {
  catch_up();
  end = std::min(end, frames_);
  Summary acc;
  bool started = false;
  if (lo < end) summarize_rec(1, 0, leaves_ << 6, lo, end, acc, started);
  return acc;
}

// One search for both directions. Scanning up, `carry` is the free run ending where the node
// starts and a node is entered at its low edge; scanning down, the run starting where the node
// ends, entered at its high edge. A multiple of the boundary is a wall: a run never crosses it.
template <bool kUp>
bool FreeRunIndex::find_run(std::uint64_t i, std::uint64_t nlo, std::uint64_t nhi,
                            Search& s) const {
  if (nhi <= s.lo || nlo >= s.end) return false;
  const std::uint64_t edge = kUp ? nlo : nhi;
  if (s.boundary != 0 && edge % s.boundary == 0) s.carry = 0;
  // The start of a run of n that takes `carry` frames beyond the edge into this node.
  const auto start_at_edge = [&] { return kUp ? nlo - s.carry : nhi + s.carry - s.n; };
  if (nlo >= s.lo && nhi <= s.end) {
    const Summary n = node_summary(i);
    if (s.boundary == 0 || n.len <= s.boundary) {
      if (n.full()) {
        if (s.carry + n.len >= s.n) {
          s.found = start_at_edge();
          return true;
        }
        s.carry += n.len;
        return false;
      }
      if (s.carry + (kUp ? n.prefix : n.suffix) >= s.n) {
        s.found = start_at_edge();
        return true;
      }
      if (n.best < s.n) {
        s.carry = kUp ? n.suffix : n.prefix;
        return false;
      }
    } else if (n.best < s.n) {
      // The node holds whole boundary blocks, so the next one starts on a multiple anyway.
      s.carry = 0;
      return false;
    }
  }
  if (i >= leaves_) {
    const std::uint64_t w = i - leaves_;
    const std::uint64_t bits = w < bits_.size() ? bits_[w] : 0;
    const std::uint64_t a = std::max(nlo, s.lo);
    const std::uint64_t b = std::min(nhi, s.end);
    for (std::uint64_t k = 0; k < b - a; ++k) {
      const std::uint64_t p = kUp ? a + k : b - 1 - k;
      if (s.boundary != 0 && (kUp ? p : p + 1) % s.boundary == 0) s.carry = 0;
      if ((bits >> (p - nlo)) & 1) {
        if (++s.carry >= s.n) {
          s.found = kUp ? p + 1 - s.n : p;
          return true;
        }
      } else {
        s.carry = 0;
      }
    }
    return false;
  }
  const std::uint64_t mid = nlo + (nhi - nlo) / 2;
  if (kUp) return find_run<kUp>(2 * i, nlo, mid, s) || find_run<kUp>(2 * i + 1, mid, nhi, s);
  return find_run<kUp>(2 * i + 1, mid, nhi, s) || find_run<kUp>(2 * i, nlo, mid, s);
}

std::optional<std::uint64_t> FreeRunIndex::find(std::uint64_t lo, std::uint64_t end,
                                                std::uint64_t n, std::uint64_t boundary,
                                                bool ascending) const {
  catch_up();
  end = std::min(end, frames_);
  if (n == 0 || lo >= end || end - lo < n) return std::nullopt;
  Search s{lo, end, n, boundary, 0, std::nullopt};
  if (ascending) {
    find_run<true>(1, 0, leaves_ << 6, s);
  } else {
    find_run<false>(1, 0, leaves_ << 6, s);
  }
  return s.found;
}

}  // namespace fragreplay::model

// The free-run index (see free_run_index.hpp). Nodes are kept in heap order: node 1 is the root,
// node i has children 2i and 2i + 1, and the leaves leaves_ .. 2·leaves_ - 1 are the bit words
// themselves, summarised on the fly.
#include "model/free_run_index.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace fragreplay::model {

namespace {

constexpr std::uint64_t kAllOnes = ~std::uint64_t{0};

std::uint64_t low_mask(unsigned n) { return n >= 64 ? kAllOnes : (std::uint64_t{1} << n) - 1; }

// Bit count without a library call (std::popcount is one on a plain x86-64 target).
std::uint64_t bit_count(std::uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ull);
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
  return (x * 0x0101010101010101ull) >> 56;
}

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
  bits_.assign(words, 0);
  leaf_.assign(words, Leaf{});
  nodes_.assign(leaves_, Node{});
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

void FreeRunIndex::store(std::uint64_t i, const Summary& s) {
  nodes_[i] = Node{static_cast<std::uint32_t>(s.prefix), static_cast<std::uint32_t>(s.suffix),
                   static_cast<std::uint32_t>(s.best), static_cast<std::uint32_t>(s.count),
                   static_cast<std::uint32_t>(s.inner)};
}

void FreeRunIndex::pull(std::uint64_t i) {
  store(i, combine(node_summary(2 * i), node_summary(2 * i + 1)));
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

void FreeRunIndex::update_words(std::uint64_t first_word, std::uint64_t last_word) {
  for (std::uint64_t w = first_word; w <= last_word; ++w) {
    const Summary s = word_summary(bits_[w], 64);
    leaf_[w] = Leaf{static_cast<std::uint8_t>(s.prefix), static_cast<std::uint8_t>(s.suffix),
                    static_cast<std::uint8_t>(s.best), static_cast<std::uint8_t>(s.count),
                    static_cast<std::uint8_t>(s.inner)};
  }
  if (leaves_ == 1) return;
  // The level above the words combines two cached word summaries (beyond the last word: none).
  static const Leaf kNone{};
  std::uint64_t lo = (leaves_ + first_word) >> 1;
  std::uint64_t hi = (leaves_ + last_word) >> 1;
  for (std::uint64_t i = lo; i <= hi; ++i) {
    const std::uint64_t w = 2 * i - leaves_;
    const Leaf& a = w < leaf_.size() ? leaf_[w] : kNone;
    const Leaf& b = w + 1 < leaf_.size() ? leaf_[w + 1] : kNone;
    combine_raw(a, b, 64, nodes_[i]);
  }
  std::uint32_t len = 128;
  for (lo >>= 1, hi >>= 1; lo >= 1; lo >>= 1, hi >>= 1, len *= 2) {
    for (std::uint64_t i = lo; i <= hi; ++i)
      combine_raw(nodes_[2 * i], nodes_[2 * i + 1], len, nodes_[i]);
  }
}

void FreeRunIndex::add_run(std::uint64_t len) {
  for (std::uint64_t x = len; x != 0; x &= x - 1)
    ++orders_[static_cast<std::size_t>(std::countr_zero(x))];
}

void FreeRunIndex::remove_run(std::uint64_t len) {
  for (std::uint64_t x = len; x != 0; x &= x - 1)
    --orders_[static_cast<std::size_t>(std::countr_zero(x))];
}

void FreeRunIndex::set_free(std::uint64_t f) { set_range_free(f, 1); }
void FreeRunIndex::set_used(std::uint64_t f) { set_range_used(f, 1); }

void FreeRunIndex::set_range_free(std::uint64_t first, std::uint64_t n) {
  if (n == 0) return;
  const std::uint64_t left = free_before(first);
  const std::uint64_t right = free_from(first + n);
  remove_run(left);
  remove_run(right);
  add_run(left + n + right);
  const std::uint64_t end = first + n;
  for (std::uint64_t w = first >> 6; w <= (end - 1) >> 6; ++w) {
    const std::uint64_t lo = std::max(first, w << 6) - (w << 6);
    const std::uint64_t hi = std::min(end, (w + 1) << 6) - (w << 6);
    bits_[w] |= low_mask(static_cast<unsigned>(hi - lo)) << lo;
  }
  free_ += n;
  update_words(first >> 6, (end - 1) >> 6);
}

void FreeRunIndex::set_range_used(std::uint64_t first, std::uint64_t n) {
  if (n == 0) return;
  const std::uint64_t left = free_before(first);
  const std::uint64_t right = free_from(first + n);
  remove_run(left + n + right);
  add_run(left);
  add_run(right);
  const std::uint64_t end = first + n;
  for (std::uint64_t w = first >> 6; w <= (end - 1) >> 6; ++w) {
    const std::uint64_t lo = std::max(first, w << 6) - (w << 6);
    const std::uint64_t hi = std::min(end, (w + 1) << 6) - (w << 6);
    bits_[w] &= ~(low_mask(static_cast<unsigned>(hi - lo)) << lo);
  }
  free_ -= n;
  update_words(first >> 6, (end - 1) >> 6);
}

std::uint64_t FreeRunIndex::free_before(std::uint64_t f) const {
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

std::uint64_t FreeRunIndex::free_from(std::uint64_t f) const {
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

void FreeRunIndex::check_invariants() const {
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
  // Maximal runs, a word at a time: `run` carries a run across word boundaries.
  std::array<std::uint64_t, kMaxOrders> orders{};
  std::uint64_t free = 0;
  std::uint64_t run = 0;
  auto close = [&] {
    for (std::uint64_t x = run; x != 0; x &= x - 1)
      ++orders[static_cast<std::size_t>(std::countr_zero(x))];
    run = 0;
  };
  for (const std::uint64_t word : bits_) {
    free += bit_count(word);
    if (word == kAllOnes) {
      run += 64;
      continue;
    }
    run += static_cast<std::uint64_t>(std::countr_one(word));
    close();
    std::uint64_t y = word & ~low_mask(static_cast<unsigned>(std::countr_one(word)));
    while (y != 0) {
      const unsigned start = static_cast<unsigned>(std::countr_zero(y));
      const unsigned len = static_cast<unsigned>(std::countr_one(y >> start));
      run = len;
      if (start + len < 64) close();
      y &= ~(low_mask(len) << start);
    }
  }
  close();
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

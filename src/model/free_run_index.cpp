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

std::uint64_t pieces_of(std::uint64_t run) {
  return static_cast<std::uint64_t>(std::popcount(run));
}

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
  nodes_.assign(leaves_, Node{});
}

FreeRunIndex::Summary FreeRunIndex::word_summary(std::uint64_t bits, unsigned len) {
  Summary s;
  s.len = len;
  if (len == 0) return s;
  const std::uint64_t mask = low_mask(len);
  const std::uint64_t x = bits & mask;
  s.count = static_cast<std::uint64_t>(std::popcount(x));
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

FreeRunIndex::Summary FreeRunIndex::node_summary(std::uint64_t i) const {
  if (i >= leaves_) {
    const std::uint64_t w = i - leaves_;
    return word_summary(w < bits_.size() ? bits_[w] : 0, 64);
  }
  const Node& n = nodes_[i];
  Summary s;
  s.len = node_len(i);
  s.prefix = n.prefix;
  s.suffix = n.suffix;
  s.best = n.best;
  s.count = n.count;
  s.inner = n.inner;
  return s;
}

void FreeRunIndex::store(std::uint64_t i, const Summary& s) {
  nodes_[i] = Node{static_cast<std::uint32_t>(s.prefix), static_cast<std::uint32_t>(s.suffix),
                   static_cast<std::uint32_t>(s.best), static_cast<std::uint32_t>(s.count),
                   static_cast<std::uint32_t>(s.inner)};
}

void FreeRunIndex::pull(std::uint64_t i) {
  store(i, combine(node_summary(2 * i), node_summary(2 * i + 1)));
}

void FreeRunIndex::update_words(std::uint64_t first_word, std::uint64_t last_word) {
  std::uint64_t lo = (leaves_ + first_word) >> 1;
  std::uint64_t hi = (leaves_ + last_word) >> 1;
  while (lo >= 1) {
    for (std::uint64_t i = lo; i <= hi; ++i) pull(i);
    lo >>= 1;
    hi >>= 1;
  }
}

void FreeRunIndex::add_run(std::uint64_t len) {
  for (std::uint64_t x = len; x != 0; x &= x - 1) ++orders_[std::countr_zero(x)];
}

void FreeRunIndex::remove_run(std::uint64_t len) {
  for (std::uint64_t x = len; x != 0; x &= x - 1) --orders_[std::countr_zero(x)];
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

bool FreeRunIndex::find_up(std::uint64_t i, std::uint64_t nlo, std::uint64_t nhi, Search& s) const {
  if (nhi <= s.lo || nlo >= s.end) return false;
  if (s.boundary != 0 && nlo % s.boundary == 0) s.carry = 0;  // a run never crosses a multiple
  if (nlo >= s.lo && nhi <= s.end) {
    const Summary n = node_summary(i);
    if (s.boundary == 0 || n.len <= s.boundary) {
      if (n.full()) {
        if (s.carry + n.len >= s.n) {
          s.found = nlo - s.carry;
          return true;
        }
        s.carry += n.len;
        return false;
      }
      if (s.carry + n.prefix >= s.n) {
        s.found = nlo - s.carry;
        return true;
      }
      if (n.best < s.n) {
        s.carry = n.suffix;
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
    for (std::uint64_t p = std::max(nlo, s.lo); p < std::min(nhi, s.end); ++p) {
      if (s.boundary != 0 && p % s.boundary == 0) s.carry = 0;
      if ((bits >> (p - nlo)) & 1) {
        if (++s.carry >= s.n) {
          s.found = p + 1 - s.n;
          return true;
        }
      } else {
        s.carry = 0;
      }
    }
    return false;
  }
  const std::uint64_t mid = nlo + (nhi - nlo) / 2;
  return find_up(2 * i, nlo, mid, s) || find_up(2 * i + 1, mid, nhi, s);
}

bool FreeRunIndex::find_down(std::uint64_t i, std::uint64_t nlo, std::uint64_t nhi,
                             Search& s) const {
  if (nhi <= s.lo || nlo >= s.end) return false;
  if (s.boundary != 0 && nhi % s.boundary == 0) s.carry = 0;
  if (nlo >= s.lo && nhi <= s.end) {
    const Summary n = node_summary(i);
    if (s.boundary == 0 || n.len <= s.boundary) {
      if (n.full()) {
        if (s.carry + n.len >= s.n) {
          s.found = nhi + s.carry - s.n;
          return true;
        }
        s.carry += n.len;
        return false;
      }
      if (s.carry + n.suffix >= s.n) {
        s.found = nhi + s.carry - s.n;
        return true;
      }
      if (n.best < s.n) {
        s.carry = n.prefix;
        return false;
      }
    } else if (n.best < s.n) {
      s.carry = 0;
      return false;
    }
  }
  if (i >= leaves_) {
    const std::uint64_t w = i - leaves_;
    const std::uint64_t bits = w < bits_.size() ? bits_[w] : 0;
    for (std::uint64_t q = std::min(nhi, s.end); q > std::max(nlo, s.lo); --q) {
      const std::uint64_t p = q - 1;
      if (s.boundary != 0 && q % s.boundary == 0) s.carry = 0;
      if ((bits >> (p - nlo)) & 1) {
        if (++s.carry >= s.n) {
          s.found = p;
          return true;
        }
      } else {
        s.carry = 0;
      }
    }
    return false;
  }
  const std::uint64_t mid = nlo + (nhi - nlo) / 2;
  return find_down(2 * i + 1, mid, nhi, s) || find_down(2 * i, nlo, mid, s);
}

std::optional<std::uint64_t> FreeRunIndex::find(std::uint64_t lo, std::uint64_t end,
                                                std::uint64_t n, std::uint64_t boundary,
                                                bool ascending) const {
  end = std::min(end, frames_);
  if (n == 0 || lo >= end || end - lo < n) return std::nullopt;
  Search s{lo, end, n, boundary, 0, std::nullopt};
  if (ascending) {
    find_up(1, 0, leaves_ << 6, s);
  } else {
    find_down(1, 0, leaves_ << 6, s);
  }
  return s.found;
}

void FreeRunIndex::check_invariants() const {
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
    for (std::uint64_t x = run; x != 0; x &= x - 1) ++orders[std::countr_zero(x)];
    run = 0;
  };
  for (const std::uint64_t word : bits_) {
    free += static_cast<std::uint64_t>(std::popcount(word));
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

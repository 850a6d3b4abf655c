// The built-in workloads (see scenarios.hpp). Sizes, tags and rhythms are modelled on what the
// documentation says drivers of each kind do; they are synthetic, not captures.
#include "generate/scenarios.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <string>
#include <vector>

#include "base/kernel_abi.hpp"
#include "generate/workload.hpp"
#include "trace/kernel_names.hpp"

namespace fragreplay::generate {
namespace {

using trace::Routine;

constexpr std::uint64_t kPage = 4096;
constexpr std::uint64_t kBelow4G = 0xFFFFFFFF;

// Frees the element at `i` of `v` by swapping the last one into its place (order is not kept).
Handle take(std::vector<Handle>& v, std::size_t i) {
  const Handle h = v[i];
  v[i] = v.back();
  v.pop_back();
  return h;
}

// A network driver. DriverEntry: an adapter context, two descriptor rings of 16-64 KiB as
// common buffers (contiguous, below 4 GiB), 64 receive buffers of 2 KiB in non-cached memory.
// Steady: one NET_BUFFER_LIST context (64-256 bytes) and one packet buffer (60-1514 bytes, most
// of them small or full-sized) per packet, freed when the packet completes; normally up to 64
// packets are in flight, in bursts (one packet in 40) up to 2,048, which then drain.
void network_driver(Workload& w) {
  Rng& rng = w.rng();
  w.declare_adapter("nic0", kBelow4G, 64);
  w.phase(Routine::kDriverEntry);
  w.pool(PoolType::kNonPagedPoolNx, 1536, Tag::from_chars("NicA"));
  for (int ring = 0; ring < 2; ++ring) {
    w.common_buffer("nic0", kPage << rng.between(2, 4), Tag::from_chars("NicR"));
  }
  for (int i = 0; i < 64; ++i) w.noncached(2048, Tag::from_chars("NicB"));
  w.phase(Routine::kSteady);
  std::deque<Handle> in_flight;
  std::uint64_t target = 64;
  while (!w.done()) {
    if (target == 64 && rng.below(40) == 0) target = rng.between(256, 2048);
    const bool complete = in_flight.size() >= target || (in_flight.size() > 2 && rng.chance(45));
    if (complete) {
      w.free(in_flight.front());
      in_flight.pop_front();
      if (in_flight.size() <= 64) target = 64;
      continue;
    }
    w.advance(target > 64 ? 200 : 2000 + rng.below(20000));
    in_flight.push_back(
        w.pool(PoolType::kNonPagedPoolNx, rng.between(64, 256), Tag::from_chars("NblC")));
    const std::uint64_t size = rng.chance(50)   ? rng.between(60, 128)
                               : rng.chance(60) ? 1514
                                                : rng.between(129, 1513);
    in_flight.push_back(w.pool(PoolType::kNonPagedPoolNx, size, Tag::from_chars("NicP")));
  }
}

// A storage miniport. DriverEntry: a device extension and a 64 KiB SRB-extension common buffer.
// Steady: per request a request context (160-512 bytes) and a scatter-gather list (ExAllocatePool2,
// 16 bytes per element, 1-64 elements) freed at completion, with up to 32 requests outstanding
// completing in any order; about once in 1,000 events a large transfer buffer (64 KiB-1 MiB of
// pool, a big-pool allocation) or a 64-256 KiB contiguous bounce buffer below 4 GiB, held for a
// few hundred requests.
void storage_driver(Workload& w) {
  Rng& rng = w.rng();
  w.declare_adapter("stor0", 0xFFFFFFFFFFFFFFFFull, 256);
  w.phase(Routine::kDriverEntry);
  w.pool(PoolType::kNonPagedPoolNx, 4096 + 512, Tag::from_chars("StDx"));
  w.common_buffer("stor0", 64 * 1024, Tag::from_chars("StSr"));
  w.phase(Routine::kSteady);
  std::vector<Handle> outstanding;
  std::deque<std::pair<std::uint64_t, Handle>> large;  // (free after this many events, buffer)
  while (!w.done()) {
    while (!large.empty() && large.front().first <= w.written()) {
      w.free(large.front().second);
      large.pop_front();
    }
    if (rng.below(1000) == 0) {
      const std::uint64_t until = w.written() + rng.between(400, 2000);
      if (rng.chance(50)) {
        large.emplace_back(until, w.pool(PoolType::kNonPagedPoolNx, kPage * rng.between(16, 256),
                                         Tag::from_chars("StBf")));
      } else {
        large.emplace_back(until, w.contiguous(kPage * rng.between(16, 64), Tag::from_chars("StBb"),
                                               Constraints{}));
      }
      continue;
    }
    if (outstanding.size() >= 64 || (outstanding.size() > 8 && rng.chance(50))) {
      // Completion: the context and its SG list, of a random outstanding request.
      const std::size_t i = rng.below(outstanding.size() / 2) * 2;
      const Handle sg = outstanding[i + 1];
      const Handle ctx = outstanding[i];
      outstanding[i] = outstanding[outstanding.size() - 2];
      outstanding[i + 1] = outstanding.back();
      outstanding.resize(outstanding.size() - 2);
      w.free(sg);
      w.free(ctx);
      continue;
    }
    w.advance(5000 + rng.below(50000));
    outstanding.push_back(
        w.pool(PoolType::kNonPagedPoolNx, rng.between(160, 512), Tag::from_chars("StRq")));
    outstanding.push_back(
        w.pool2(PoolFlag::kNonPaged, 16 * rng.between(1, 64), Tag::from_chars("StSg")));
  }
}

// A long-running system. Long-lived allocations of 1-4 pages (pool and non-cached memory) build
// up to a population of events / 8 (at most 100,000) and are then replaced at random, one freed
// for one allocated, which scatters them over physical memory; around them runs short-lived
// small-pool churn. Every 64 events a contiguous request below 4 GiB is made and freed soon
// after; its size grows with the trace: 2^(k-1) to 2^k pages, k = 2 + 10 × progress (16 MiB at the
// end), so contiguous requests start failing once the free memory is cut into runs too short.
// Replay a short sample with a small --ram to see the failures emerge.
void long_running(Workload& w) {
  Rng& rng = w.rng();
  w.phase(Routine::kDriverEntry);
  w.pool(PoolType::kNonPagedPoolNx, 2048, Tag::from_chars("SysI"));
  w.phase(Routine::kSteady);
  const std::uint64_t population = std::clamp<std::uint64_t>(w.limit() / 8, 16, 100000);
  std::vector<Handle> long_lived;
  long_lived.reserve(population);
  std::deque<Handle> churn;
  std::uint64_t next_contiguous = 64;
  std::deque<Handle> contiguous;
  while (!w.done()) {
    w.advance(1000 + rng.below(100000));
    if (w.written() >= next_contiguous) {
      next_contiguous += 64;
      while (contiguous.size() >= 2) {
        w.free(contiguous.front());
        contiguous.pop_front();
      }
      const unsigned max_order = 2 + static_cast<unsigned>(10.0 * w.progress());
      const std::uint64_t pages =
          rng.between(std::uint64_t{1} << (max_order - 1), std::uint64_t{1} << max_order);
      contiguous.push_back(w.contiguous(pages * kPage, Tag::from_chars("SysC"), Constraints{}));
      continue;
    }
    const unsigned roll = static_cast<unsigned>(rng.below(100));
    if (roll < 40) {
      if (long_lived.size() >= population) w.free(take(long_lived, rng.below(long_lived.size())));
      const std::uint64_t bytes = kPage * rng.between(1, 4) - (rng.chance(50) ? 0 : 256);
      long_lived.push_back(rng.chance(70)
                               ? w.pool(PoolType::kNonPagedPoolNx, bytes, Tag::from_chars("SysL"))
                               : w.noncached(bytes, Tag::from_chars("SysN")));
    } else if (churn.size() > 32 || (!churn.empty() && roll < 70)) {
      w.free(churn.front());
      churn.pop_front();
    } else {
      churn.push_back(w.pool(rng.chance(80) ? PoolType::kNonPagedPoolNx : PoolType::kPagedPool,
                             rng.between(16, 900), Tag::from_chars("SysS")));
    }
  }
}

// The documentation's anti-patterns. DriverEntry allocates as it should. Then, in the steady
// state: loops of 16-64 sub-page MmAllocateNonCachedMemory calls (32-512 bytes each; every one
// takes a whole page), freed together later; and contiguous alloc/free churn after init
// (MmAllocateContiguousMemory of 8-64 KiB below 4 GiB, freed right away, again and again), which
// the documentation says to do once at DriverEntry instead; between them, ordinary pool use.
void anti_patterns(Workload& w) {
  Rng& rng = w.rng();
  w.phase(Routine::kDriverEntry);
  w.pool(PoolType::kNonPagedPoolNx, 1024, Tag::from_chars("BadD"));
  w.contiguous(64 * 1024, Tag::from_chars("BadI"), Constraints{});
  w.phase(Routine::kSteady);
  std::deque<std::vector<Handle>> loops;
  std::deque<Handle> pool;
  while (!w.done()) {
    w.advance(10000 + rng.below(100000));
    const unsigned roll = static_cast<unsigned>(rng.below(100));
    if (roll < 5) {
      std::vector<Handle> loop;
      const std::uint64_t n = rng.between(16, 64);
      const std::uint64_t bytes = rng.between(32, 512);
      for (std::uint64_t i = 0; i < n && !w.done(); ++i) {
        loop.push_back(w.noncached(bytes, Tag::from_chars("BadN")));
      }
      loops.push_back(std::move(loop));
      if (loops.size() > 4) {
        for (const Handle& h : loops.front()) w.free(h);
        loops.pop_front();
      }
    } else if (roll < 25) {
      const Handle h =
          w.contiguous(kPage * rng.between(2, 16), Tag::from_chars("BadC"), Constraints{}, true);
      w.advance(rng.below(5000));
      w.free(h);
    } else if (pool.size() > 128 || (!pool.empty() && roll < 60)) {
      w.free(pool.front());
      pool.pop_front();
    } else {
      pool.push_back(
          w.pool(PoolType::kNonPagedPoolNx, rng.between(32, 2000), Tag::from_chars("BadP")));
    }
  }
}

constexpr std::array kScenarios{
    Scenario{"network-driver",
             "network driver: descriptor rings at DriverEntry, per-packet small pool churn, bursts",
             "", network_driver},
    Scenario{"storage-driver",
             "storage driver: per-request small allocations, periodic large and bounce buffers", "",
             storage_driver},
    Scenario{"long-running",
             "long-running system: scattered long-lived pages, contiguous requests of growing "
             "size that start failing",
             "--ram 32MiB for a trace of a few thousand events", long_running},
    Scenario{"anti-patterns",
             "the documentation's anti-patterns: loops of sub-page MmAllocateNonCachedMemory, "
             "contiguous alloc/free churn after init",
             "", anti_patterns},
};

}  // namespace

std::span<const Scenario> scenarios() { return kScenarios; }

const Scenario* find_scenario(std::string_view name) {
  for (const auto& s : kScenarios) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

void generate(const Scenario& scenario, std::uint64_t events, std::uint64_t seed, std::FILE* out,
              const std::function<void(std::uint64_t)>& on_progress) {
  std::string comment = "Generated by 'fragreplay generate --scenario " +
                        std::string(scenario.name) + " --events " + std::to_string(events) +
                        " --seed " + std::to_string(seed) + "' (synthetic, not a capture):\n" +
                        std::string(scenario.summary) + ".";
  if (!scenario.hint.empty()) {
    comment += "\nAnalyze with: " + std::string(scenario.hint);
  }
  Workload w(out, events, seed, comment);
  if (on_progress) w.set_on_progress(on_progress);
  scenario.run(w);
  w.finish();
}

}  // namespace fragreplay::generate

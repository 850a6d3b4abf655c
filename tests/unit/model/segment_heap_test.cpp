// The Windows 10 19H1+ segment heap backend by backend, with exact layouts worked out by hand from
// docs/model.md §1.3 and §4 (and the decompiled routines the headers cite): the §7
// worked footprints, LFH bucket activation and subsegments, VS best fit, split, coalescing and
// page decommit, the segment backend's ranges, large allocations, the cache-aligned rule, the
// dynamic lookaside and the VS delay-free list.
#include "model/segment_heap/segment_heap.hpp"

#include <gtest/gtest.h>

#include "model/physical/physical_memory.hpp"
#include "model/pool/pool_pages.hpp"

namespace fragreplay::model {
namespace {

using Backend = SegmentHeapPool::Backend;
using Chunk = VsBackend::ChunkView;
using VsState = VsBackend::State;
using Range = SegmentBackend::RangeView;
constexpr std::uint64_t kNonPagedPool = 0x0;
constexpr std::uint64_t kPagedPool = 0x1;
constexpr std::uint64_t kCacheAligned = 0x4;
constexpr std::uint64_t kPagedPoolSession = 0x21;
constexpr std::uint64_t kNonPagedPoolNx = 0x200;
constexpr auto kHeap = SegmentHeapPool::kNonPaged;

Profile win10() { return builtin_profile("win10-19h1-x64"); }
Profile win10_lfh_active() {
  Profile p = win10();
  p.segment_heap.lfh_activation_outstanding = 0;  // every bucket active from the start
  return p;
}

class Heap {
 public:
  explicit Heap(Profile profile, std::uint64_t frames = 1024)
      : p_(std::move(profile)),
        memory_({RamRange{Pfn{1}, PageCount{frames}}}, p_.page_size, 0),
        pages_(memory_, p_.page_size),
        pool_(p_, pages_, memory_) {}

  AllocOutcome alloc(std::uint64_t bytes, std::uint64_t type = kNonPagedPool) {
    const AllocOutcome o = try_alloc(bytes, type);
    EXPECT_TRUE(o.ok) << bytes;
    EXPECT_EQ(o.footprint, Bytes{bytes} + o.waste.total()) << "footprint = requested + waste";
    return o;
  }
  AllocOutcome try_alloc(std::uint64_t bytes, std::uint64_t type = kNonPagedPool) {
    const AllocOutcome o =
        pool_.allocate(PoolRequest{type, Bytes{bytes}, Tag::from_chars("Seg "), false});
    check();
    return o;
  }
  void free(std::uint64_t handle) {
    ASSERT_TRUE(pool_.free(handle));
    check();
  }
  void check() const {
    pool_.check_invariants();
    memory_.check_invariants();
    const PoolUsage u = pool_.usage();
    EXPECT_EQ(u.pages.value * p_.page_size.bytes(), (u.live + u.free + u.cached).value);
    EXPECT_EQ(memory_.total_frames() - memory_.free_frames(), pages_.frames_held());
  }
  SegmentHeapPool::Placement where(std::uint64_t handle) const { return *pool_.placement(handle); }
  // Offsets of a VS subsegment's layout, relative to its base.
  std::vector<Chunk> vs_layout(std::uint64_t handle) const {
    return pool_.vs(kHeap).subsegment_layout(where(handle).address);
  }

  Profile p_;
  PhysicalMemory memory_;
  PoolPages pages_;
  SegmentHeapPool pool_;
};

// SCOOP §2.1 bucket table: buckets 1-64 hold 0-1008 bytes in steps of 16, 65-80 to 2032 in steps
// of 64, 81-96 to 4080 in steps of 128, 97-112 to 8176 in steps of 256, 113-128 to 16368 in
// steps of 512. A size belongs to the first bucket whose block holds it.
TEST(SegmentHeap, BucketTable) {
  struct Case {
    std::uint64_t bytes;
    unsigned index;
    std::uint64_t block;
  };
  for (const Case c : {Case{1, 2, 16}, Case{16, 2, 16}, Case{17, 3, 32}, Case{128, 9, 128},
                       Case{1008, 64, 1008}, Case{1009, 65, 1072}, Case{1016, 65, 1072},
                       Case{2032, 80, 2032}, Case{2033, 81, 2160}, Case{3952, 95, 3952},
                       Case{3953, 96, 4080}, Case{4081, 97, 4336}, Case{16368, 128, 16368}}) {
    EXPECT_EQ(SegmentHeapPool::bucket_index(c.bytes), c.index) << c.bytes;
    EXPECT_EQ(SegmentHeapPool::bucket_block_size(c.index), c.block) << c.bytes;
  }
}

// §7, "19H1+ footprint" column, with the LFH serving its sizes (buckets active): 1 -> round16(17)
// = 32 and 100 -> 128 (LFH, POOL_HEADER included); 1000 -> s = round16(1016) = 1024, its dynamic
// lookaside bucket's block (SCOOP §2.1: 512-1024 in steps of 16), + 16 VS header = 1040; 4000 ->
// 4016 + 16; 4064 -> 4080 + 16; 4065 -> a page (4080 mod 4096 > 0xFC0); 5000 -> round16 = 5008 + 16
// (VS, no POOL_HEADER); 70000 -> 18 pages (>= 64 KiB). The band the dynamic lookaside rounds
// (513-3968-byte chunks, §4.1 step 3), by hand from SCOOP §2.1's lookaside buckets: steps of 16 to
// 1024, 64 to 2048, 128 to 3968. Nonpaged requests of 1000, 2032 and 3952 bytes are chunks of 1024,
// 2048 and 3968 (n + 16, round16) that are already bucket blocks, so they cost 1040, 2064 and 3984
// with the 16-byte VS header (1100: 1120 rounds up to 1152, + 16).
TEST(SegmentHeap, LookasideBandRounding) {
  EXPECT_EQ(SegmentHeapPool::lookaside_block_size(528), 528u);
  EXPECT_EQ(SegmentHeapPool::lookaside_block_size(1024), 1024u);
  EXPECT_EQ(SegmentHeapPool::lookaside_block_size(1040), 1088u);
  EXPECT_EQ(SegmentHeapPool::lookaside_block_size(2048), 2048u);
  EXPECT_EQ(SegmentHeapPool::lookaside_block_size(2064), 2176u);
  EXPECT_EQ(SegmentHeapPool::lookaside_block_size(3968), 3968u);
  for (const auto& [n, footprint] : {std::pair<std::uint64_t, std::uint64_t>{1000, 1040},
                                     {2032, 2064},
                                     {3952, 3984},
                                     {1100, 1168}}) {
    Heap h(win10());
    const AllocOutcome o = h.alloc(n);
    EXPECT_EQ(o.footprint, Bytes{footprint}) << n;
    h.free(o.handle);
  }
}

TEST(SegmentHeap, WorkedFootprints) {
  struct Case {
    std::uint64_t n, footprint, header, granularity, sub_page;
    Backend backend;
  };
  for (const Case c :
       {Case{1, 32, 16, 15, 0, Backend::kLfh}, Case{100, 128, 16, 12, 0, Backend::kLfh},
        Case{1000, 1040, 32, 8, 0, Backend::kVs}, Case{4000, 4032, 32, 0, 0, Backend::kVs},
        Case{4064, 4096, 32, 0, 0, Backend::kVs}, Case{4065, 4096, 0, 0, 31, Backend::kSegment},
        Case{5000, 5024, 16, 8, 0, Backend::kVs},
        Case{70000, 18 * 4096, 0, 0, 18 * 4096 - 70000, Backend::kSegment}}) {
    Heap h(win10_lfh_active());
    const AllocOutcome o = h.alloc(c.n);
    EXPECT_EQ(o.footprint, Bytes{c.footprint}) << c.n;
    EXPECT_EQ(o.waste.pool_header, Bytes{c.header}) << c.n;
    EXPECT_EQ(o.waste.granularity, Bytes{c.granularity}) << c.n;
    EXPECT_EQ(o.waste.sub_page, Bytes{c.sub_page}) << c.n;
    EXPECT_EQ(h.where(o.handle).backend, c.backend) << c.n;
    h.free(o.handle);
    EXPECT_EQ(h.pool_.usage().pages, PageCount{0}) << "everything given back after " << c.n;
  }
}

// Decompiled RtlpLfhBucketUsageUpdate: a bucket's counter gains 33 per allocation (1 in its low
// five bits) and loses 1 per free while the bucket is inactive; the bucket activates when the low
// bits exceed 16. So the first 16 allocations of 100 bytes are VS chunks (128 + 16 header = 144
// bytes), the 17th is the LFH's first block; a free in between delays it by one.
TEST(SegmentHeap, LfhBucketActivatesAfterSixteenOutstandingAllocations) {
  Heap h(win10());
  std::vector<std::uint64_t> handles;
  for (int i = 0; i < 16; ++i) {
    const AllocOutcome o = h.alloc(100);
    EXPECT_EQ(h.where(o.handle).backend, Backend::kVs);
    EXPECT_EQ(o.footprint, Bytes{144});
    handles.push_back(o.handle);
  }
  EXPECT_FALSE(h.pool_.lfh_active(kHeap, 128));
  h.free(handles.back());  // 16 -> 15 outstanding
  EXPECT_EQ(h.where(h.alloc(100).handle).backend, Backend::kVs) << "16 outstanding again";
  const AllocOutcome lfh = h.alloc(100);  // the 17th outstanding
  EXPECT_TRUE(h.pool_.lfh_active(kHeap, 128));
  EXPECT_EQ(h.where(lfh.handle).backend, Backend::kLfh);
  EXPECT_EQ(lfh.footprint, Bytes{128});
  EXPECT_FALSE(h.pool_.lfh_active(kHeap, 144)) << "other buckets keep their own counters";
}

// LFH subsegments (decompiled RtlpHpLfhSubsegmentCreate, one affinity slot): a bucket's first
// subsegment for 128-byte blocks is sized for 16 blocks: bitmap header (8 * 1 + 63) & ~15 = 64,
// + 2 bytes of commit state for the one page the blocks span = 66, rounded to 80; 80 + 16 * 128
// = 2128 rounds up to 4096, which holds (4096 - 80) / 128 = 31 blocks. The next is sized for 32
// blocks: 80 + 4096 -> 8192 bytes, 63 blocks. The first page is committed at once, the rest as
// blocks reach it.
TEST(SegmentHeap, LfhSubsegmentsAndTheirCommittedPages) {
  Heap h(win10_lfh_active());
  const LfhBackend& lfh = h.pool_.lfh(kHeap);
  const LfhBackend::Sizing first = lfh.sizing(128, 0, 0);
  EXPECT_EQ(first.bytes, 4096u);
  EXPECT_EQ(first.header_bytes, 80u);
  EXPECT_EQ(first.blocks, 31u);
  std::vector<std::uint64_t> handles;
  for (int i = 0; i < 31; ++i) handles.push_back(h.alloc(100).handle);
  const auto s1 = lfh.subsegment(h.where(handles[0]).address);
  EXPECT_EQ(h.where(handles[0]).address, s1.base + 80) << "block 0 follows the header";
  EXPECT_EQ(handles[0], s1.base + 96) << "the caller's data follows the block's POOL_HEADER";
  EXPECT_EQ(handles[30], s1.base + 80 + 30 * 128 + 16);
  EXPECT_EQ(s1.used.size(), 31u);
  EXPECT_EQ(s1.committed_mask, 0x1u);

  const LfhBackend::Sizing second = lfh.sizing(128, 1, 31);
  EXPECT_EQ(second.bytes, 8192u);
  EXPECT_EQ(second.header_bytes, 80u);
  EXPECT_EQ(second.blocks, 63u);
  for (int i = 0; i < 31; ++i) handles.push_back(h.alloc(100).handle);
  const auto s2 = lfh.subsegment(h.where(handles[31]).address);
  EXPECT_NE(s2.base, s1.base);
  EXPECT_EQ(s2.blocks, 63u);
  EXPECT_EQ(s2.committed_mask, 0x1u) << "blocks 0-30 end at 80 + 31 * 128 = 4048";
  handles.push_back(h.alloc(100).handle);  // block 31: 4048 - 4176 reaches the second page
  EXPECT_EQ(lfh.subsegment(s2.base).committed_mask, 0x3u);
  EXPECT_EQ(lfh.subsegment_count(128), 2u);

  // Freeing every block of the first subsegment gives it back; the second stays.
  for (int i = 0; i < 31; ++i) h.free(handles[static_cast<std::size_t>(i)]);
  EXPECT_EQ(lfh.subsegment_count(128), 1u);
  // A freed block is reused lowest index first.
  h.free(handles[40]);
  EXPECT_EQ(h.alloc(100).handle, handles[40]);
}

// VS (§4.2; decompiled RtlpHpVsContextAllocateInternal, RtlpHpVsSubsegmentCreate): 1000 bytes
// are a 1024-byte block + 16-byte VS header = 1040-byte chunk. The first subsegment is the next
// power of two of 2 * 1024 + 72 = 2120, at least 64 KiB: 65536 bytes, a 48-byte header, then one
// free chunk of the rest. Chunks are split from the front of the best-fitting free chunk.
TEST(SegmentHeap, VsSplitBestFitAndCoalesce) {
  Heap h(win10());
  const std::uint64_t a = h.alloc(1000).handle;
  EXPECT_EQ(h.vs_layout(a), (std::vector<Chunk>{{0, 48, VsState::kHeader},
                                                {48, 1040, VsState::kAllocated},
                                                {1088, 65536 - 1088, VsState::kFree}}));
  const auto base = h.where(a).address - 48 - 16;
  EXPECT_EQ(a, base + 48 + 16 + 16) << "VS header, then POOL_HEADER, then the data";
  EXPECT_EQ(h.pool_.vs(kHeap).committed_mask(base), 0x1u) << "only the first page is touched";
  const std::uint64_t b = h.alloc(1000).handle;
  h.free(a);  // no free neighbour: a free chunk of its own
  EXPECT_EQ(h.vs_layout(b), (std::vector<Chunk>{{0, 48, VsState::kHeader},
                                                {48, 1040, VsState::kFree},
                                                {1088, 1040, VsState::kAllocated},
                                                {2128, 65536 - 2128, VsState::kFree}}));
  const std::uint64_t c = h.alloc(1000).handle;  // the 1040-byte chunk fits exactly: best fit
  EXPECT_EQ(c, a);
  h.free(c);
  h.free(b);  // merges with both neighbours: the subsegment is all free and goes back
  EXPECT_EQ(h.pool_.vs(kHeap).subsegment_count(), 0u);
  EXPECT_EQ(h.pool_.segments(kHeap, 0).segment_count(), 0u);
  EXPECT_EQ(h.pool_.usage().pages, PageCount{0});
}

// Best fit picks the smallest free chunk that holds the request, not the first: free chunks of
// 2064 (at 48) and 1168 bytes (at 3152) and the rest; a 1040-byte chunk goes to the 1168-byte one,
// whose 128-byte remainder stays a free chunk. Sizes (dynamic lookaside blocks, SCOOP §2.1):
// 2000 -> s = 2016 -> 2048 (steps of 64 above 1024) + 16; 1100 -> s = 1120 -> 1152 + 16; 1000 ->
// 1024 + 16.
TEST(SegmentHeap, VsBestFitTakesTheSmallestChunkThatFits) {
  Heap h(win10());
  const std::uint64_t a = h.alloc(2000).handle;
  const std::uint64_t b = h.alloc(1000).handle;
  const std::uint64_t c = h.alloc(1100).handle;
  h.alloc(1000);
  h.free(a);
  h.free(c);
  h.alloc(1000);
  EXPECT_EQ(h.vs_layout(b), (std::vector<Chunk>{{0, 48, VsState::kHeader},
                                                {48, 2064, VsState::kFree},
                                                {2112, 1040, VsState::kAllocated},
                                                {3152, 1040, VsState::kAllocated},
                                                {4192, 128, VsState::kFree},
                                                {4320, 1040, VsState::kAllocated},
                                                {5360, 65536 - 5360, VsState::kFree}}));
}

// VS commit and decommit: 40000 bytes (> 0xFE0, 40000 mod 4096 <= 0xFC0, < 64 KiB) are a VS chunk
// of round16(40000) + 16 = 40016 bytes in a 128 KiB subsegment (2 * 40000 + 72 -> 131072), at
// 48 - 40064: pages 0-9 committed. A 1000-byte chunk after it reaches page 10. Freeing the big
// chunk decommits the pages wholly inside it past its 32-byte free header: 1 to 8.
TEST(SegmentHeap, VsDecommitsThePagesInsideAFreeChunk) {
  for (const bool decommit : {true, false}) {
    Profile p = win10();
    p.segment_heap.vs_decommit_free_pages = decommit;
    Heap h(p);
    const AllocOutcome big = h.alloc(40000);
    EXPECT_EQ(big.footprint, Bytes{40016});
    EXPECT_EQ(big.waste.pool_header, Bytes{16});
    const std::uint64_t base = h.where(big.handle).address - 48 - 16;
    EXPECT_EQ(h.pool_.vs(kHeap).committed_mask(base), 0x3FFu);
    h.alloc(1000);
    EXPECT_EQ(h.pool_.vs(kHeap).committed_mask(base), 0x7FFu);
    h.free(big.handle);
    EXPECT_EQ(h.pool_.vs(kHeap).committed_mask(base), decommit ? 0x601u : 0x7FFu);
    // Pool pages: the segment's two metadata pages + the committed ones.
    EXPECT_EQ(h.pool_.usage().pages, PageCount{decommit ? 2u + 3u : 2u + 11u});
    h.alloc(40000);  // the same chunk again (exact fit), its pages committed again
    EXPECT_EQ(h.pool_.vs(kHeap).committed_mask(base), 0x7FFu);
  }
}

// The segment backend (SCOOP §2.1): 1 MiB segments of 4 KiB units headed by 8 KiB of page-range
// descriptors (2 units). Page-multiple requests take whole units, best fit, front first; an empty
// segment goes back. Above 508 KiB the second context serves (64 KiB units, one unit of metadata,
// only the pages asked for committed).
TEST(SegmentHeap, SegmentBackendRanges) {
  Heap h(win10());
  const AllocOutcome two = h.alloc(8192);
  EXPECT_EQ(two.footprint, Bytes{8192});
  EXPECT_EQ(two.waste.total(), Bytes{0});
  EXPECT_EQ(two.handle % 4096, 0u);
  const SegmentBackend& seg = h.pool_.segments(kHeap, 0);
  EXPECT_EQ(seg.segment_layout(two.handle),
            (std::vector<Range>{{0, 2, true}, {2, 2, true}, {4, 252, false}}));
  const AllocOutcome one = h.alloc(4065);  // round16 = 4080 > 0xFC0 into its page: one unit
  EXPECT_EQ(seg.segment_layout(one.handle),
            (std::vector<Range>{{0, 2, true}, {2, 2, true}, {4, 1, true}, {5, 251, false}}));
  EXPECT_EQ(h.pool_.usage().pages, PageCount{2 + 2 + 1});
  h.free(two.handle);
  EXPECT_EQ(seg.segment_layout(one.handle),
            (std::vector<Range>{{0, 2, true}, {2, 2, false}, {4, 1, true}, {5, 251, false}}));
  const AllocOutcome again = h.alloc(4096);  // best fit: the 2-unit range, front first
  EXPECT_EQ(again.handle, two.handle);
  h.free(again.handle);
  h.free(one.handle);
  EXPECT_EQ(seg.segment_count(), 0u);
  EXPECT_EQ(h.pool_.usage().pages, PageCount{0});

  const AllocOutcome big = h.alloc(600 * 1024);  // 150 pages, 10 units of 64 KiB
  EXPECT_EQ(big.footprint, Bytes{600 * 1024});
  const SegmentBackend& seg1 = h.pool_.segments(kHeap, 1);
  EXPECT_EQ(seg1.segment_layout(big.handle),
            (std::vector<Range>{{0, 1, true}, {1, 10, true}, {11, 245, false}}));
  EXPECT_EQ(h.pool_.usage().pages, PageCount{16 + 150});
}

// Above the last segment context the large backend takes the pages directly.
TEST(SegmentHeap, LargeAllocationsTakePagesOfTheirOwn) {
  Profile p = win10();
  p.segment_heap.segments[1].max_allocation = 1 << 20;
  Heap h(p);
  const AllocOutcome o = h.alloc(2 << 20);
  EXPECT_EQ(h.where(o.handle).backend, Backend::kLarge);
  EXPECT_EQ(o.footprint, Bytes{2 << 20});
  EXPECT_EQ(h.pool_.usage().pages, PageCount{512});
  h.free(o.handle);
  EXPECT_EQ(h.pool_.usage().pages, PageCount{0});
}

// §4.1 step 3 (and SCOOP §2.2 "CacheAligned"): a cache line is added to the chunk, then the
// pointer moves to the next line with a second POOL_HEADER below it. 100 bytes: 100 + 16 + 64 =
// 180 -> 192, an LFH block at subsegment + 80: data at +96, moved to +128. 4000 bytes: 4016 + 64
// > 0xFE0, so the flag is dropped.
TEST(SegmentHeap, CacheAlignedAddsALine) {
  Heap h(win10_lfh_active());
  const AllocOutcome o = h.alloc(100, kCacheAligned);
  EXPECT_EQ(o.footprint, Bytes{192});
  EXPECT_EQ(o.handle % 64, 0u);
  EXPECT_EQ(o.handle, h.where(o.handle).address + 48);
  EXPECT_EQ(o.waste.pool_header, Bytes{32});
  EXPECT_EQ(o.waste.granularity, Bytes{192 - 100 - 32});
  const AllocOutcome big = h.alloc(4000, kCacheAligned);
  EXPECT_EQ(big.footprint, Bytes{4032});
  EXPECT_EQ(big.waste.pool_header, Bytes{32});
  h.free(o.handle);
  h.free(big.handle);
}

// One heap per pool kind (SCOOP §2.1; DEC-10 ExAllocateHeapPool).
TEST(SegmentHeap, OneHeapPerPoolKind) {
  Heap h(win10());
  EXPECT_EQ(h.where(h.alloc(100, kNonPagedPool).handle).heap, SegmentHeapPool::kNonPaged);
  EXPECT_EQ(h.where(h.alloc(100, kNonPagedPoolNx).handle).heap, SegmentHeapPool::kNonPagedNx);
  EXPECT_EQ(h.where(h.alloc(100, kPagedPool).handle).heap, SegmentHeapPool::kPaged);
  EXPECT_EQ(h.where(h.alloc(100, kPagedPoolSession).handle).heap, SegmentHeapPool::kSessionPaged);
  EXPECT_EQ(h.memory_.total_frames() - h.memory_.free_frames(), PageCount{2 * (2 + 1)})
      << "paged heaps take no frames; each nonpaged one a segment's metadata and a page";
}

// The dynamic lookaside (SCOOP §2.1), when enabled: freed chunks of 0x200-0xF80 bytes wait per
// size, up to the depth, and the next request of that size takes the last one back.
TEST(SegmentHeap, DynamicLookasideParksFreedChunks) {
  Profile p = win10();
  p.segment_heap.dynamic_lookaside_depth = 2;
  Heap h(p);
  const std::uint64_t a = h.alloc(1000).handle;
  const std::uint64_t b = h.alloc(1000).handle;
  const std::uint64_t c = h.alloc(1000).handle;
  const std::uint64_t chunk = h.where(a).address;
  h.free(a);
  h.free(b);
  h.free(c);  // the list holds two already: c goes back to VS
  EXPECT_EQ(h.pool_.usage().cached, Bytes{2 * 1040});
  const auto layout = h.pool_.vs(kHeap).subsegment_layout(chunk);
  EXPECT_EQ(layout[1].state, VsState::kAllocated) << "a parked chunk stays carved out";
  EXPECT_EQ(layout[3].state, VsState::kFree) << "c merged with the free rest";
  EXPECT_EQ(h.alloc(1000).handle, b) << "last in, first out";
  EXPECT_EQ(h.pool_.usage().cached, Bytes{1040});
}

// The VS delay-free list (SCOOP §2.1), when enabled: frees of chunks below 1 KiB wait and are
// done together when the list is full. 500 bytes: 516 -> 528 (bucket), a 544-byte VS chunk.
TEST(SegmentHeap, VsDelayFreeBatches) {
  Profile p = win10();
  p.segment_heap.vs_delay_free_batch = 4;
  Heap h(p);
  std::vector<std::uint64_t> handles;
  for (int i = 0; i < 4; ++i) handles.push_back(h.alloc(500).handle);
  for (int i = 0; i < 3; ++i) h.free(handles[static_cast<std::size_t>(i)]);
  EXPECT_EQ(h.pool_.usage().cached, Bytes{3 * 544});
  EXPECT_EQ(h.vs_layout(handles[3])[1].state, VsState::kDelayed);
  h.free(handles[3]);  // the fourth fills the list: all four are freed and coalesce
  EXPECT_EQ(h.pool_.usage().cached, Bytes{0});
  EXPECT_EQ(h.pool_.usage().pages, PageCount{0});
}

// Nonpaged heaps stop when frames run out, and nothing is left half done. Three frames: a
// segment's two metadata pages and the first VS page; 40000 bytes need nine more.
TEST(SegmentHeap, ExhaustionLeavesTheHeapConsistent) {
  Heap h(win10(), 3);
  const AllocOutcome small = h.alloc(1000);
  const AllocOutcome big = h.try_alloc(40000);
  EXPECT_FALSE(big.ok);
  EXPECT_EQ(big.cause, FailCause::kExhaustion);
  EXPECT_TRUE(h.try_alloc(40000, kPagedPool).ok) << "paged pool needs no frames";
  h.free(small.handle);
}

}  // namespace
}  // namespace fragreplay::model

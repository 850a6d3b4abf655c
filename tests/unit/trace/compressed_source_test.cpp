// Transparent decompression: gzip and zstd inputs are found by their first bytes and read as
// the trace inside them; concatenated members and frames are read in turn; a corrupt or cut
// stream is an error with the compressed byte offset; a pipe-like input can be spilled to disk.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <zlib.h>
#include <zstd.h>

#include <csignal>
#include <string>

#include "base/error.hpp"
#include "trace/compressed_source.hpp"
#include "trace/native_format.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::trace {
namespace {

std::string gzip(const std::string& s) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, static_cast<uLong>(s.size())) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
  z.avail_in = static_cast<uInt>(s.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string zstd(const std::string& s) {
  std::string out(ZSTD_compressBound(s.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), s.data(), s.size(), 3));
  return out;
}

std::string read_all(ByteSource& src) {
  std::string out;
  char buf[7];  // an odd size: the decompressors resume mid-stream
  while (const std::size_t n = src.read(buf, sizeof buf)) out.append(buf, n);
  return out;
}

std::string text() {
  std::string s;
  for (int i = 0; i < 2000; ++i) s += "line " + std::to_string(i) + "\n";
  return s;
}

TEST(CompressedSource, DetectsByMagic) {
  EXPECT_EQ(detect_compression(gzip("x")), Compression::kGzip);
  EXPECT_EQ(detect_compression(zstd("x")), Compression::kZstd);
  EXPECT_EQ(detect_compression("# fragreplay trace v1"), Compression::kNone);
  EXPECT_EQ(detect_compression(""), Compression::kNone);
}

TEST(CompressedSource, ReadsConcatenatedMembersAndFrames) {
  const std::string a = text(), b = "tail\n";
  auto gz = decompressing_source(Compression::kGzip, memory_source(gzip(a) + gzip(b), "t.gz"));
  EXPECT_EQ(read_all(*gz), a + b);
  auto zs = decompressing_source(Compression::kZstd, memory_source(zstd(a) + zstd(b), "t.zst"));
  EXPECT_EQ(read_all(*zs), a + b);
  EXPECT_FALSE(gz->seekable());
}

TEST(CompressedSource, CutStreamsAreErrors) {
  const std::string gz = gzip(text());
  auto cut =
      decompressing_source(Compression::kGzip, memory_source(gz.substr(0, gz.size() / 2), "t.gz"));
  try {
    read_all(*cut);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("t.gz:byte ", 0), 0u) << e.what();
    EXPECT_NE(std::string(e.what()).find("truncated gzip stream"), std::string::npos) << e.what();
  }
  const std::string zs = zstd(text());
  auto zcut =
      decompressing_source(Compression::kZstd, memory_source(zs.substr(0, zs.size() - 3), "t.zst"));
  EXPECT_THROW(read_all(*zcut), Error);
  std::string bad = zs;
  bad[6] = static_cast<char>(bad[6] ^ 0x5A);
  auto zbad = decompressing_source(Compression::kZstd, memory_source(bad, "t.zst"));
  EXPECT_THROW(read_all(*zbad), Error);
}

// open_trace looks inside: a compressed native trace reads as the native trace.
TEST(CompressedSource, OpenTraceSeesThroughCompression) {
  const std::string trace =
      std::string(native::kMagic) + "\n" + std::string(native::kHeader) +
      "\n0,alloc,ExAllocatePoolWithTag,NonPagedPool,Gzip,100,0x1000,,,,,,,,\n";
  for (const std::string& packed : {gzip(trace), zstd(trace), zstd(gzip(trace))}) {
    auto r = open_trace(memory_source(packed, "t"), ReadOptions{});
    EXPECT_EQ(r->format(), "native-v1");
    std::vector<Event> batch(4);
    ASSERT_EQ(r->read(batch), 1u);
    EXPECT_EQ(batch[0].tag, Tag::from_chars("Gzip"));
  }
}

TEST(ByteSource, SpillMakesAnySourceSeekable) {
  const std::string s = text();
  auto spilled = spill_to_temporary_file(
      decompressing_source(Compression::kGzip, memory_source(gzip(s), "t.gz")));
  EXPECT_TRUE(spilled->seekable());
  EXPECT_EQ(spilled->name(), "t.gz");
  EXPECT_EQ(spilled->total(), s.size());
  char buf[5];
  ASSERT_EQ(spilled->read_at(7, buf, 5), 5u);
  EXPECT_EQ(std::string(buf, 5), s.substr(7, 5));
  EXPECT_EQ(read_all(*spilled), s);
}

// The copy of a piped ETL stops with a clear error when $TMPDIR fills, naming the input and
// what to do (issue 16, item 13). A file-size limit stands in for the full disk: past 1 MiB,
// write() fails with EFBIG; the unlinked copy goes with its descriptor.
TEST(ByteSource, SpillThatRunsOutOfRoomSaysSo) {
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = 1u << 20;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string message;
  try {
    spill_to_temporary_file(memory_source(std::string(3u << 20, 'x'), "pipe.etl"));
  } catch (const Error& e) {
    message = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_EQ(message,
            "pipe.etl: cannot copy the input to a temporary file: File too large (set TMPDIR to a "
            "directory with more room)");
}

}  // namespace
}  // namespace fragreplay::trace

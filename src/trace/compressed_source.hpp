// Transparent decompression: a trace compressed with gzip or zstd is recognised by its first
// bytes (never by its name) and read through a streaming decompressor, so a compressed trace of
// many GB is analysed without unpacking it first. zlib and libzstd do the work: both are
// well-kept Debian packages and their formats are not worth re-implementing.
#pragma once

#include <memory>
#include <string_view>

#include "trace/byte_source.hpp"

namespace fragreplay::trace {

enum class Compression : std::uint8_t { kNone, kGzip, kZstd };

// The compression `head` (the first bytes of an input) starts with: gzip's 1f 8b, zstd's
// 28 b5 2f fd.
Compression detect_compression(std::string_view head);
// "gzip", "zstd" or "none".
std::string_view compression_name(Compression c);

// A source giving the decompressed bytes of `inner`. Concatenated gzip members and zstd frames
// are read one after another, as gunzip and zstdcat do. consumed()/total() report the compressed
// input, for progress. A corrupt or truncated stream throws Error with the compressed byte offset.
// REQUIRES: c != kNone.
std::unique_ptr<ByteSource> decompressing_source(Compression c, std::unique_ptr<ByteSource> inner);

}  // namespace fragreplay::trace

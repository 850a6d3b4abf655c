// A small LZXPRESS plain LZ77 compressor (MS-XCA §2.3), for tests: it makes the compressed ETL
// buffers the reader must decompress. Greedy matching with a hash of three bytes; the output is a
// valid stream, not the smallest one.
#pragma once

#include <string>
#include <string_view>

namespace fragreplay::testing {

std::string lzxpress_plain_compress(std::string_view in);

}  // namespace fragreplay::testing

// Reading a side file whole (see side_file.hpp).
#include "trace/side_file.hpp"

#include <memory>

#include "trace/byte_source.hpp"
#include "trace/compressed_source.hpp"

namespace fragreplay::trace {

std::string read_side_file(const std::string& path) {
  std::unique_ptr<ByteSource> source = open_file_source(path);
  std::string head(64, '\0');
  std::size_t have = 0;
  while (have < head.size()) {
    const std::size_t got = source->read(head.data() + have, head.size() - have);
    if (got == 0) break;
    have += got;
  }
  head.resize(have);
  const Compression c = detect_compression(head);
  source = prefixed_source(std::move(head), std::move(source));
  if (c != Compression::kNone) source = decompressing_source(c, std::move(source));
  std::string text;
  char buf[65536];
  while (const std::size_t n = source->read(buf, sizeof buf)) text.append(buf, n);
  return text;
}

}  // namespace fragreplay::trace

// The buffer behind the command line's standard output: a plain write(2) loop over file
// descriptor 1 that remembers why a write failed. std::cout's own buffer loses errno by the
// time anyone looks (a full device fails a write deep inside a long report), so the message
// could not say "No space left on device"; with this one the final check can (run.cpp).
#pragma once

#include <array>
#include <streambuf>

namespace fragreplay::cli {

class StdoutBuffer final : public std::streambuf {
 public:
  explicit StdoutBuffer(int fd = 1);
  ~StdoutBuffer() override;
  // The errno of the first write that failed; 0 when none did.
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override;
  int sync() override;

 private:
  bool drain();
  int fd_;
  int error_ = 0;
  std::array<char, 1 << 16> buffer_{};
};

}  // namespace fragreplay::cli

// The one bounds-checked reader of BSM bytes (big-endian) and its writer twin.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "bullion/bsm/big_endian.h"

namespace bullion::bsm {

class WireReader {
 public:
  explicit WireReader(std::span<const uint8_t> bytes, size_t start = 0) : b_(bytes), pos_(start) {}

  bool u8(uint64_t& v) { return fixed(1, v); }
  bool u16(uint64_t& v) { return fixed(2, v); }
  bool u32(uint64_t& v) { return fixed(4, v); }
  bool u64(uint64_t& v) { return fixed(8, v); }

  bool bytes(uint64_t n, std::span<const uint8_t>& out) {
    if (n > b_.size() - pos_) return false;
    out = b_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  // Skips a NUL-terminated string; false if no NUL before the end.
  bool skip_cstring() {
    while (pos_ < b_.size()) {
      if (b_[pos_++] == 0) return true;
    }
    return false;
  }
  std::span<const uint8_t> span_from(size_t start) const { return b_.subspan(start, pos_ - start); }
  std::span<const uint8_t> remaining() const { return b_.subspan(pos_); }
  size_t position() const { return pos_; }

 private:
  bool fixed(size_t n, uint64_t& v) {
    if (n > b_.size() - pos_) return false;
    const uint8_t* p = b_.data() + pos_;
    v = n == 1 ? p[0] : n == 2 ? load_be16(p) : n == 4 ? load_be32(p) : load_be64(p);
    pos_ += n;
    return true;
  }
  std::span<const uint8_t> b_;
  size_t pos_;
};

inline void put_be(std::vector<uint8_t>& out, uint64_t v, int n) {
  for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

}  // namespace bullion::bsm

// The output buffer the printers append to. Appends are inline memcpy's:
// the printers make dozens per record, and fmt::memory_buffer's out-of-line
// append cost more than decoding the record.
#pragma once

#include <cstdlib>
#include <cstring>
#include <string_view>

namespace bullion::text {

class OutBuf {
 public:
  using value_type = char;
  OutBuf() { grow(1 << 21); }
  ~OutBuf() { std::free(data_); }
  OutBuf(const OutBuf&) = delete;
  OutBuf& operator=(const OutBuf&) = delete;

  [[gnu::always_inline]] void append(const char* begin, const char* end) {
    const size_t n = static_cast<size_t>(end - begin);
    if (size_ + n > capacity_) grow(size_ + n);
    char* dst = data_ + size_;
    size_ += n;
    // Most appends are a few bytes: two overlapping fixed-size moves instead
    // of a libc call or a byte loop.
    if (n >= 8 && n <= 16) {
      std::memcpy(dst, begin, 8);
      std::memcpy(dst + n - 8, begin + n - 8, 8);
    } else if (n >= 4 && n < 8) {
      std::memcpy(dst, begin, 4);
      std::memcpy(dst + n - 4, begin + n - 4, 4);
    } else if (n < 4) {
      for (size_t i = 0; i < n; ++i) dst[i] = begin[i];
    } else {
      std::memcpy(dst, begin, n);
    }
  }
  // For sources followed by at least kPad readable bytes (plan literals):
  // anything up to kPad long is one fixed-size move.
  static constexpr size_t kPad = 32;
  [[gnu::always_inline]] void append_padded(const char* src, size_t n) {
    if (n > kPad) return append(src, src + n);
    char* dst = reserve_tail(kPad);
    std::memcpy(dst, src, kPad);
    size_ += n;
  }
  [[gnu::always_inline]] void append(std::string_view s) { append(s.data(), s.data() + s.size()); }
  [[gnu::always_inline]] void push_back(char c) {
    if (size_ == capacity_) grow(size_ + 1);
    data_[size_++] = c;
  }
  // Room for n more bytes at the end; write there, then commit(n).
  [[gnu::always_inline]] char* reserve_tail(size_t n) {
    if (size_ + n > capacity_) grow(size_ + n);
    return data_ + size_;
  }
  [[gnu::always_inline]] void commit(size_t n) { size_ += n; }
  const char* data() const { return data_; }
  size_t size() const { return size_; }
  void clear() { size_ = 0; }

 private:
  [[gnu::noinline]] void grow(size_t need) {
    size_t cap = capacity_ ? capacity_ * 2 : need;
    while (cap < need) cap *= 2;
    char* p = static_cast<char*>(std::realloc(data_, cap));
    if (!p) std::abort();  // out of memory: nothing sensible left to do
    data_ = p;
    capacity_ = cap;
  }
  char* data_ = nullptr;
  size_t size_ = 0, capacity_ = 0;
};

}  // namespace bullion::text

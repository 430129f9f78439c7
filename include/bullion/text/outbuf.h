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
    if (n <= 16) {  // most appends are a few bytes: skip the libc call
      for (size_t i = 0; i < n; ++i) dst[i] = begin[i];
      return;
    }
    std::memcpy(dst, begin, n);
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

// Fast number and address formatting into the output buffer. The printers
// format tens of numbers per record; fmt's runtime format strings cost more
// than the decoding itself, so the hot path uses these instead.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string_view>

namespace bullion::text {

template <class Buf>
inline void append(Buf& out, std::string_view s) { out.append(s.data(), s.data() + s.size()); }

template <class Buf>
inline void append_u64(Buf& out, uint64_t v) {
  const fmt::format_int f(v);
  out.append(f.data(), f.data() + f.size());
}

template <class Buf>
inline void append_i64(Buf& out, int64_t v) {
  const fmt::format_int f(v);
  out.append(f.data(), f.data() + f.size());
}

// Digits in base 8 or 16 (lower case), no prefix.
template <class Buf>
inline void append_base(Buf& out, uint64_t v, unsigned shift) {
  char tmp[24];
  char* p = tmp + sizeof tmp;
  const uint64_t mask = (uint64_t{1} << shift) - 1;
  do {
    *--p = "0123456789abcdef"[v & mask];
    v >>= shift;
  } while (v);
  out.append(p, tmp + sizeof tmp);
}
template <class Buf>
inline void append_hex(Buf& out, uint64_t v) { append_base(out, v, 4); }
template <class Buf>
inline void append_oct(Buf& out, uint64_t v) { append_base(out, v, 3); }

template <class Buf>
inline void append_hex2(Buf& out, uint8_t b) {
  const char d[2] = {"0123456789abcdef"[b >> 4], "0123456789abcdef"[b & 15]};
  out.append(d, d + 2);
}

// Dotted quad, as inet_ntoa(3) prints it (glibc's uses sprintf: too slow here).
template <class Buf>
inline void append_ipv4(Buf& out, const uint8_t* a) {
  for (int i = 0; i < 4; ++i) {
    if (i) out.push_back('.');
    append_u64(out, a[i]);
  }
}

}  // namespace bullion::text

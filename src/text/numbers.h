// Fast number and address formatting into the output buffer. The printers
// format tens of numbers per record; fmt's runtime format strings cost more
// than the decoding itself, so the hot path uses these instead.
#pragma once

#include <fmt/format.h>

#include <cstring>

#include <cstdint>
#include <string_view>

#include "bullion/text/outbuf.h"

namespace bullion::text {

template <class Buf>
inline void append(Buf& out, std::string_view s) { out.append(s.data(), s.data() + s.size()); }

template <class Buf>
inline void append_u64(Buf& out, uint64_t v) {
  const fmt::format_int f(v);
  out.append(f.data(), f.data() + f.size());
}

// Writes v's decimal digits ending just before `p`, two at a time.
template <class UInt>
inline void write_digits_backwards(char* p, UInt v) {
  static constexpr char kPairs[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  while (v >= 100) {
    const unsigned pair = static_cast<unsigned>(v % 100) * 2;
    v /= 100;
    *--p = kPairs[pair + 1];
    *--p = kPairs[pair];
  }
  if (v >= 10) {
    *--p = kPairs[v * 2 + 1];
    *--p = kPairs[v * 2];
  } else {
    *--p = static_cast<char>('0' + v);
  }
}

// Straight into the output buffer after counting the digits (so there is no
// copy from a scratch array).
inline void append_u64(OutBuf& out, uint64_t v) {
  if (v < 10) return out.push_back(static_cast<char>('0' + v));
  static constexpr uint64_t kPow10[] = {1,
                                        10,
                                        100,
                                        1000,
                                        10000,
                                        100000,
                                        1000000,
                                        10000000,
                                        100000000,
                                        1000000000,
                                        10000000000,
                                        100000000000,
                                        1000000000000,
                                        10000000000000,
                                        100000000000000,
                                        1000000000000000,
                                        10000000000000000,
                                        100000000000000000,
                                        1000000000000000000,
                                        10000000000000000000u};
  // log10 from the bit length (1233/4096 ~ log10(2)), then one correction.
  const unsigned guess = static_cast<unsigned>(64 - __builtin_clzll(v)) * 1233 >> 12;
  const size_t n = guess + (v >= kPow10[guess]);
  char* end = out.reserve_tail(n) + n;
  out.commit(n);
  // 32-bit division is cheaper, and nearly every value fits.
  if (v <= UINT32_MAX)
    write_digits_backwards(end, static_cast<uint32_t>(v));
  else
    write_digits_backwards(end, v);
}

template <class Buf>
inline void append_i64(Buf& out, int64_t v) {
  if (v < 0) {
    out.push_back('-');
    append_u64(out, ~static_cast<uint64_t>(v) + 1);
  } else {
    append_u64(out, static_cast<uint64_t>(v));
  }
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

// IPv6 text exactly as glibc's inet_ntop(3) writes it: lower-case hex
// groups, the longest run (first if tied) of two or more zero groups as
// "::", and ::a.b.c.d / ::ffff:a.b.c.d in dotted form. Written by hand
// because inet_ntop formats every group through sprintf, which was several
// percent of praudit's time on trails with many IPv6 subjects.
template <class Buf>
inline void append_ipv6(Buf& out, const uint8_t* a) {
  uint16_t words[8];
  for (int i = 0; i < 8; ++i) words[i] = static_cast<uint16_t>(a[2 * i] << 8 | a[2 * i + 1]);
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (words[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && words[j] == 0) ++j;
    if (j - i > best_len) best = i, best_len = j - i;
    i = j;
  }
  if (best_len < 2) best = -1;
  for (int i = 0; i < 8; ++i) {
    if (best >= 0 && i >= best && i < best + best_len) {
      if (i == best) out.push_back(':');
      continue;
    }
    if (i != 0) out.push_back(':');
    if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff)))
      return append_ipv4(out, a + 12);
    append_base(out, words[i], 4);
  }
  if (best >= 0 && best + best_len == 8) out.push_back(':');
}

}  // namespace bullion::text

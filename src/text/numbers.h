// Fast number and address formatting into the output buffer. The printers
// format tens of numbers per record; fmt's runtime format strings cost more
// than the decoding itself, so the hot path uses these instead.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "bullion/text/outbuf.h"

namespace bullion::text {

template <class Buf>
inline void append(Buf& out, std::string_view s) {
  out.append(s.data(), s.data() + s.size());
}

template <class Buf>
inline void append_u64(Buf& out, uint64_t v) {
  const fmt::format_int f(v);
  out.append(f.data(), f.data() + f.size());
}

namespace digits {

inline constexpr char kPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

inline char* pair(char* p, uint32_t v) {  // v < 100, two digits
  std::memcpy(p, kPairs + 2 * v, 2);
  return p + 2;
}
inline char* four(char* p, uint32_t v) {  // v < 10000, four digits
  return pair(pair(p, v / 100), v % 100);
}
inline char* eight(char* p, uint32_t v) {  // v < 10^8, eight digits
  return four(four(p, v / 10000), v % 10000);
}
// v < 10000 without leading zeros.
inline char* up_to_four(char* p, uint32_t v) {
  if (v < 10) {
    *p = static_cast<char>('0' + v);
    return p + 1;
  }
  if (v < 100) return pair(p, v);
  if (v < 1000) {
    *p = static_cast<char>('0' + v / 100);
    return pair(p + 1, v % 100);
  }
  return four(p, v);
}
// v < 10^8 without leading zeros.
inline char* up_to_eight(char* p, uint32_t v) {
  if (v < 10000) return up_to_four(p, v);
  return four(up_to_four(p, v / 10000), v % 10000);
}

}  // namespace digits

// Straight into the output buffer. The digits come out in fixed groups of
// four and eight (independent multiplies, not one long chain of divisions
// by ten), which matters because JSON output formats ~30 numbers a record.
inline void append_u64(OutBuf& out, uint64_t v) {
  char* const start = out.reserve_tail(20);
  char* p;
  if (v < 100000000) {
    p = digits::up_to_eight(start, static_cast<uint32_t>(v));
  } else if (v < 10000000000000000) {
    p = digits::eight(digits::up_to_eight(start, static_cast<uint32_t>(v / 100000000)),
                      static_cast<uint32_t>(v % 100000000));
  } else {
    const uint64_t high = v / 100000000;  // < 1.9 * 10^11
    p = digits::up_to_four(start, static_cast<uint32_t>(high / 100000000));
    p = digits::eight(p, static_cast<uint32_t>(high % 100000000));
    p = digits::eight(p, static_cast<uint32_t>(v % 100000000));
  }
  out.commit(static_cast<size_t>(p - start));
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
inline void append_hex(Buf& out, uint64_t v) {
  append_base(out, v, 4);
}
template <class Buf>
inline void append_oct(Buf& out, uint64_t v) {
  append_base(out, v, 3);
}

template <class Buf>
inline void append_hex2(Buf& out, uint8_t b) {
  const char d[2] = {"0123456789abcdef"[b >> 4], "0123456789abcdef"[b & 15]};
  out.append(d, d + 2);
}

// Every byte as two hex digits (the "_hex" twins, opaque data).
template <class Buf>
inline void append_hex_bytes(Buf& out, std::string_view bytes) {
  for (char c : bytes) append_hex2(out, static_cast<uint8_t>(c));
}

// A UUID's 16 bytes as 8-4-4-4-12 hex digits.
template <class Buf>
inline void append_uuid(Buf& out, std::span<const uint8_t> b) {
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    append_hex2(out, b[i]);
  }
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

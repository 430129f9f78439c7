// Escapers are written by hand, not taken from a JSON/XML library, because
// they run once per string on the hot path and must append into the output
// buffer without building documents or allocating.
#include "text/escape.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>

#include "bullion/text/outbuf.h"

namespace bullion::text {
namespace {

template <class Buf>
void put(Buf& out, std::string_view s) {
  out.append(s.data(), s.data() + s.size());
}

// Length of the valid UTF-8 sequence at s[i], or 0 if the byte starts none.
size_t utf8_sequence(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t c = b(i);
  if (c < 0x80) return 1;
  size_t n;
  uint32_t min;
  if ((c & 0xe0) == 0xc0)
    n = 2, min = 0x80;
  else if ((c & 0xf0) == 0xe0)
    n = 3, min = 0x800;
  else if ((c & 0xf8) == 0xf0)
    n = 4, min = 0x10000;
  else
    return 0;
  if (i + n > s.size()) return 0;
  uint32_t cp = c & (0x7f >> n);
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xc0) != 0x80) return 0;
    cp = cp << 6 | (b(i + k) & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

// Length of the run at the start of `s` of bytes an escaper copies
// unchanged: printable ASCII other than the characters in `special` (which
// each format escapes). Most strings are all such bytes, so this checks eight
// at a time (SWAR: each test sets a byte's high bit when the byte fails it)
// and the callers copy the run in one append.
template <char... special>
size_t plain_run(std::string_view s) {
  constexpr uint64_t kOnes = 0x0101010101010101, kHigh = 0x8080808080808080;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    uint64_t bad = ((x - kOnes * 0x20) | x | (x + kOnes)) & kHigh;  // < 0x20, >= 0x80, 0x7f
    for (const uint64_t c : {uint64_t(uint8_t(special))...}) {
      const uint64_t v = x ^ (kOnes * c);
      bad |= (v - kOnes) & ~v & kHigh;  // some byte equals c
    }
    // The lowest flagged byte is always a true one (borrows and carries
    // only run upwards), so on little-endian machines it ends the run.
    if (bad && std::endian::native == std::endian::little) return i + static_cast<size_t>(std::countr_zero(bad) >> 3);
    if (bad) break;
  }
  const auto plain = [](uint8_t c) { return c >= 0x20 && c < 0x7f && ((c != uint8_t(special)) && ...); };
  while (i < s.size() && plain(static_cast<uint8_t>(s[i]))) ++i;
  return i;
}
constexpr auto json_plain_run = plain_run<'"', '\\'>;
constexpr auto xml_plain_run = plain_run<'"', '&', '\'', '<', '>'>;
constexpr auto terminal_plain_run = plain_run<'\\'>;

// Copies the plain run at s[i] (as `Run` judges it) and moves i past it;
// false when that reached the end of s. The escapers loop on it and handle
// one special byte or sequence per turn.
template <auto Run, class Buf>
bool copy_plain_run(Buf& out, std::string_view s, size_t& i) {
  const size_t run = Run(s.substr(i));
  put(out, s.substr(i, run));
  i += run;
  return i < s.size();
}

// vis(3) with VIS_CSTYLE, for one byte that needs encoding.
template <class Buf>
void vis_byte(Buf& out, uint8_t c) {
  switch (c) {
    case '\r':
      return put(out, "\\r");
    case '\b':
      return put(out, "\\b");
    case '\a':
      return put(out, "\\a");
    case '\v':
      return put(out, "\\v");
    case '\f':
      return put(out, "\\f");
    default:
      break;
  }
  if ((c & 0x7f) == ' ') {  // meta-space has no printable form: octal
    const char oct[4] = {'\\', char('0' + (c >> 6)), char('0' + ((c >> 3) & 7)), char('0' + (c & 7))};
    out.append(oct, oct + 4);
    return;
  }
  out.push_back('\\');
  if (c & 0x80) out.push_back('M');
  const uint8_t low = c & 0x7f;
  if (low < 0x20 || low == 0x7f) {
    out.push_back('^');
    out.push_back(low == 0x7f ? '?' : static_cast<char>(low + '@'));
  } else {
    out.push_back('-');
    out.push_back(static_cast<char>(low));
  }
}

}  // namespace

template <class Buf>
void append_vis_xml(Buf& out, std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<uint8_t>(ch);
    switch (c) {
      case 0:
        return;
      case '&':
        put(out, "&amp;");
        continue;
      case '<':
        put(out, "&lt;");
        continue;
      case '>':
        put(out, "&gt;");
        continue;
      case '"':
        put(out, "&quot;");
        continue;
      case '\'':
        put(out, "&apos;");
        continue;
      case '\\':
        put(out, "\\\\");
        continue;
      default:
        break;
    }
    if ((c > 0x20 && c < 0x7f) || c == ' ' || c == '\t' || c == '\n')
      out.push_back(ch);
    else
      vis_byte(out, c);
  }
}

template <class Buf>
void append_xml_strict(Buf& out, std::string_view s) {
  for (size_t i = 0; copy_plain_run<xml_plain_run>(out, s, i);) {
    const auto c = static_cast<uint8_t>(s[i]);
    const size_t n = utf8_sequence(s, i);
    if (n == 0) {
      put(out, "\xef\xbf\xbd");  // U+FFFD: XML cannot carry the raw byte
      ++i;
      continue;
    }
    if (n > 1) {
      put(out, s.substr(i, n));
    } else if (c == '&') {
      put(out, "&amp;");
    } else if (c == '<') {
      put(out, "&lt;");
    } else if (c == '>') {
      put(out, "&gt;");
    } else if (c == '"') {
      put(out, "&quot;");
    } else if (c == '\'') {
      put(out, "&apos;");
    } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      put(out, "\xef\xbf\xbd");  // not allowed in XML 1.0 at all
    } else if (c == '\t' || c == '\n' || c == '\r') {
      put(out, c == '\t' ? "&#9;" : c == '\n' ? "&#10;" : "&#13;");  // survive attribute normalisation
    } else if (c != 0) {
      out.push_back(static_cast<char>(c));
    }
    i += n;
  }
}

template <class Buf>
bool append_json_string(Buf& out, std::string_view s) {
  bool exact = true;
  for (size_t i = 0; copy_plain_run<json_plain_run>(out, s, i);) {
    const auto c = static_cast<uint8_t>(s[i]);
    const size_t n = utf8_sequence(s, i);
    if (n == 0) {
      put(out, "\\ufffd");
      exact = false;
      ++i;
      continue;
    }
    if (n == 3 && c == 0xe2 && s[i + 1] == '\x80' && (s[i + 2] == '\xa8' || s[i + 2] == '\xa9')) {
      // U+2028/U+2029 end a line in JavaScript: escaped so the text stays
      // one line when pasted into a <script> or read by a line splitter.
      put(out, s[i + 2] == '\xa8' ? "\\u2028" : "\\u2029");
    } else if (n > 1) {
      put(out, s.substr(i, n));
    } else if (c == '"') {
      put(out, "\\\"");
    } else if (c == '\\') {
      put(out, "\\\\");
    } else if (c == '\n') {
      put(out, "\\n");
    } else if (c == '\t') {
      put(out, "\\t");
    } else if (c == '\r') {
      put(out, "\\r");
    } else if (c < 0x20 || c == 0x7f) {
      const char hex[6] = {'\\', 'u', '0', '0', "0123456789abcdef"[c >> 4], "0123456789abcdef"[c & 15]};
      out.append(hex, hex + 6);
    } else {
      out.push_back(static_cast<char>(c));
    }
    i += n;
  }
  return exact;
}

template <class Buf>
void append_terminal_safe(Buf& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto hex_byte = [&](uint8_t c) {
    const char e[4] = {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
    out.append(e, e + 4);
  };
  for (size_t i = 0; copy_plain_run<terminal_plain_run>(out, s, i);) {
    const auto c = static_cast<uint8_t>(s[i]);
    const size_t n = utf8_sequence(s, i);
    if (n > 1) {
      // C1 controls (U+0080..U+009F, 0xc2 0x80..0x9f) act on some terminals.
      if (c == 0xc2 && static_cast<uint8_t>(s[i + 1]) < 0xa0) {
        hex_byte(c), hex_byte(static_cast<uint8_t>(s[i + 1]));
      } else {
        put(out, s.substr(i, n));
      }
      i += n;
      continue;
    }
    if (c == '\\')
      put(out, "\\\\");
    else if (c == '\n')
      put(out, "\\n");
    else if (c == '\t')
      put(out, "\\t");
    else if (c == '\r')
      put(out, "\\r");
    else if (c != 0)
      hex_byte(c);  // other controls, DEL, bytes that are not UTF-8; NULs are dropped
    ++i;
  }
}

template <class Buf>
void append_without_nuls(Buf& out, std::string_view s) {
  // Counted strings usually hold one NUL, at the end: find NULs with memchr
  // rather than looking at every byte.
  while (!s.empty()) {
    const void* nul = std::memchr(s.data(), 0, s.size());
    const size_t n = nul ? static_cast<size_t>(static_cast<const char*>(nul) - s.data()) : s.size();
    put(out, s.substr(0, n));
    s.remove_prefix(nul ? n + 1 : n);
  }
}

#define BULLION_INSTANTIATE_ESCAPERS(Buf)                         \
  template void append_vis_xml<Buf>(Buf&, std::string_view);      \
  template void append_xml_strict<Buf>(Buf&, std::string_view);   \
  template bool append_json_string<Buf>(Buf&, std::string_view);  \
  template void append_without_nuls<Buf>(Buf&, std::string_view); \
  template void append_terminal_safe<Buf>(Buf&, std::string_view);
BULLION_INSTANTIATE_ESCAPERS(OutBuf)
BULLION_INSTANTIATE_ESCAPERS(fmt::memory_buffer)
BULLION_INSTANTIATE_ESCAPERS(std::string)
#undef BULLION_INSTANTIATE_ESCAPERS

bool is_valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = utf8_sequence(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace bullion::text

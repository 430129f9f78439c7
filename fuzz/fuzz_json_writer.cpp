// JsonWriter over arbitrary strings and shapes: whatever the bytes, the
// output must be one well-formed JSON value per input, strict UTF-8, with
// no raw control byte, and every string that was not UTF-8 must carry its
// "_hex" twin. The checks below are a small scanner, not a JSON library:
// a fuzz target must stay self-contained and fast.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "bullion/text/json_writer.h"

namespace {

using Writer = bullion::text::JsonWriter<std::string>;

// Takes the input apart: shape bytes and length-prefixed strings.
struct Input {
  const uint8_t* p;
  size_t n;
  uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  std::string_view text() {
    const size_t len = std::min<size_t>(byte() % 24, n);
    std::string_view s(reinterpret_cast<const char*>(p), len);
    p += len, n -= len;
    return s;
  }
};

void members(Input& in, Writer& w, int depth);

void elements(Input& in, Writer& w, int depth) {
  for (int i = 0; i < 8 && in.n > 0; ++i) {
    switch (in.byte() % 5) {
      case 0:
        w.string_element(in.text());
        break;
      case 1:
        w.element(static_cast<int64_t>(in.byte()) - 128);
        break;
      case 2:
        if (depth < 6) {
          auto o = w.object();
          members(in, w, depth + 1);
        }
        break;
      case 3:
        if (depth < 6) {
          auto a = w.array();
          elements(in, w, depth + 1);
        }
        break;
      default:
        return;
    }
  }
}

// Keys are made unique by a counter: a repeated key aborts by design.
void members(Input& in, Writer& w, int depth) {
  for (int i = 0; i < 8 && in.n > 0; ++i) {
    const std::string key = "k" + std::to_string(i) + "_" + std::string(in.text());
    switch (in.byte() % 6) {
      case 0:
        w.string_field(key, in.text());
        break;
      case 1:
        w.field(key, static_cast<uint64_t>(in.byte()) << 40);
        break;
      case 2: {
        std::vector<std::string_view> list;
        for (int k = in.byte() % 4; k > 0; --k) list.push_back(in.text());
        w.string_list_field(key, list);
        break;
      }
      case 3:
        if (depth < 6) {
          auto o = w.object(key);
          members(in, w, depth + 1);
        }
        break;
      case 4:
        if (depth < 6) {
          auto a = w.array(key);
          elements(in, w, depth + 1);
        }
        break;
      default:
        return;
    }
  }
}

size_t utf8_length(std::string_view s, size_t i) {
  const auto c = static_cast<uint8_t>(s[i]);
  const size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<uint8_t>(s[i + k]) & 0xc0) != 0x80) return 0;
  return n;
}

// Strings closed, escapes known, brackets balanced and matched, UTF-8,
// no control byte; aborts (a finding) otherwise.
void check(std::string_view out) {
  std::vector<char> open;
  bool in_string = false;
  for (size_t i = 0; i < out.size();) {
    const auto c = static_cast<uint8_t>(out[i]);
    const size_t n = utf8_length(out, i);
    if (n == 0 || c < 0x20) std::abort();
    if (in_string) {
      if (c == '\\') {
        if (i + 1 >= out.size() || std::string_view("\"\\/bfnrtu").find(out[i + 1]) == std::string_view::npos)
          std::abort();
        i += 2;
        continue;
      }
      if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      open.push_back(static_cast<char>(c));
    } else if (c == '}' || c == ']') {
      if (open.empty() || open.back() != (c == '}' ? '{' : '[')) std::abort();
      open.pop_back();
    }
    i += n;
  }
  if (in_string || !open.empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in{data, size};
  std::string out;
  {
    Writer w(out);
    auto root = w.object();
    members(in, w, 0);
    if (w.depth() != 1) std::abort();
  }
  check(out);
  return 0;
}

// Token lengths without decoding: a selection only decodes the tokens its
// criteria read and steps over the rest. The plan for each kind is derived
// once from the token table (no layout is written here): fixed-size fields,
// plus at most one u16 length and the bytes it counts. Tokens with any other
// layout (address types, string lists, ...) go through the decoder.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "bullion/bsm/token.h"

namespace bullion::select {

class TokenSizer {
 public:
  TokenSizer();
  // The length of the token at bytes[0], or 0 when only the decoder can
  // tell (or when the token runs past `bytes`: the decoder then names the
  // error).
  size_t quick_length(std::span<const uint8_t> bytes) const {
    const Plan& p = plans_[bytes[0]];
    if (!p.simple || bytes.size() < p.fixed) return 0;
    size_t n = p.fixed;
    if (p.length_at) n += size_t{bytes[p.length_at]} << 8 | bytes[p.length_at + 1];
    return n <= bytes.size() ? n : 0;
  }

 private:
  struct Plan {
    bool simple = false;
    uint8_t length_at = 0;  // offset of the u16 length; 0 = none
    uint16_t fixed = 0;     // id byte + fixed fields (+ the u16 length)
  };
  std::array<Plan, 256> plans_{};  // by wire id
};

}  // namespace bullion::select

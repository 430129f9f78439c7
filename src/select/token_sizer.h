// Token lengths without decoding: a selection only decodes the tokens its
// criteria read and steps over the rest. The plan for each kind is derived
// once from the token table (no layout is written here): fixed-size fields,
// plus at most one u16 length and the bytes it counts, or one address type
// and the 4 or 16 address bytes it announces. Tokens with any other layout
// (string lists, group lists, data items, ...) go through the decoder.
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
  // tell (or when the token is malformed or runs past `bytes`: the decoder
  // then names the error).
  size_t quick_length(std::span<const uint8_t> bytes) const {
    const Plan& p = plans_[bytes[0]];
    if (!p.simple || bytes.size() < p.fixed) return 0;
    size_t n = p.fixed;
    if (p.length_at) n += size_t{bytes[p.length_at]} << 8 | bytes[p.length_at + 1];
    if (p.type_at) {
      const uint32_t type =
          p.type_size == 4 ? load32(bytes.data() + p.type_at) : uint32_t{bytes[p.type_at]} << 8 | bytes[p.type_at + 1];
      if (type != 4 && type != 16) return 0;
      n += type;
    }
    return n <= bytes.size() ? n : 0;
  }

  // The bytes counted by the token's u16 length (a path, a text), for a
  // token whose quick_length() was non-zero; empty when it has none.
  std::span<const uint8_t> counted(std::span<const uint8_t> token) const {
    const Plan& p = plans_[token[0]];
    if (!p.length_at) return {};
    return token.subspan(p.length_at + 2u, size_t{token[p.length_at]} << 8 | token[p.length_at + 1]);
  }

  // Byte offset of field `index` of the token with this id when every field
  // before it has a fixed size; -1 otherwise.
  int field_offset(uint8_t id, size_t index) const { return index < bsm::kMaxFields ? plans_[id].offsets[index] : -1; }

 private:
  static uint32_t load32(const uint8_t* p) {
    return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
  }
  struct Plan {
    bool simple = false;
    uint8_t length_at = 0;  // offset of the u16 length; 0 = none
    uint8_t type_at = 0;    // offset of the address type; 0 = none
    uint8_t type_size = 0;  // 2 or 4
    uint16_t fixed = 0;     // id byte + fixed fields (+ length/type fields)
    std::array<int16_t, bsm::kMaxFields> offsets{};
  };
  std::array<Plan, 256> plans_{};  // by wire id
};

}  // namespace bullion::select

// Expands tokens.def into the per-token field arrays, the TokenInfo table
// and the id -> kind index.
#include <array>

#include "bsm/token_rows.h"
#include "bullion/bsm/token.h"

namespace bullion::bsm {
namespace {

struct FieldArena {
  std::array<FieldInfo, std::size(kRows)> fields{};
  constexpr FieldArena() {
    for (size_t i = 0; i < std::size(kRows); ++i) fields[i] = kRows[i].field;
  }
};
constexpr FieldArena kArena;

#define TOKEN(kind, id, text_name, xml_open, xml_close, flags)                                                      \
  TokenInfo{                                                                                                        \
      TokenKind::kind,                                                                                              \
      id,                                                                                                           \
      text_name,                                                                                                    \
      xml_open,                                                                                                     \
      xml_close,                                                                                                    \
      static_cast<uint16_t>(flags),                                                                                 \
      std::span<const FieldInfo>(kArena.fields.data() + first_row_of(TokenKind::kind), fields_of(TokenKind::kind)), \
      #kind},
#define FIELD(kind, name, xml_name, wire, display, flags)
const TokenInfo kTokens[] = {
#include "bullion/bsm/tokens.def"
};

// Each kind's fields must be contiguous and fit a DecodedToken.
constexpr bool fields_are_contiguous() {
  for (size_t k = 0; k < kTokenKindCount; ++k) {
    const auto kind = static_cast<TokenKind>(k);
    const size_t first = first_row_of(kind), n = fields_of(kind);
    if (n > kMaxFields) return false;
    for (size_t i = first; i < first + n; ++i)
      if (kRows[i].kind != kind) return false;
  }
  return true;
}
static_assert(fields_are_contiguous(), "tokens.def: a token's fields must follow it");
static_assert(std::size(kTokens) == kTokenKindCount);

struct IdIndex {
  std::array<TokenKind, 256> kinds{};
  constexpr IdIndex() {
    kinds.fill(TokenKind::Unknown);
#define TOKEN(kind, id, text_name, xml_open, xml_close, flags) \
  if (TokenKind::kind != TokenKind::Unknown) kinds[id] = TokenKind::kind;
#define FIELD(kind, name, xml_name, wire, display, flags)
#include "bullion/bsm/tokens.def"
  }
};
constexpr IdIndex kIdIndex;

}  // namespace

const TokenInfo& token_info(TokenKind kind) { return kTokens[static_cast<size_t>(kind)]; }

TokenKind kind_for_id(uint8_t id) { return kIdIndex.kinds[id]; }

std::span<const TokenInfo> all_tokens() { return kTokens; }

}  // namespace bullion::bsm

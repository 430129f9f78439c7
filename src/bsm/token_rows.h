// The rows of tokens.def as a constexpr array, for code that expands the
// table at compile time (the table itself, the specialised decoders).
#pragma once

#include <cstddef>
#include <iterator>

#include "bullion/bsm/token.h"

namespace bullion::bsm {

struct Row {
  TokenKind kind;
  FieldInfo field;
};

#define TOKEN(kind, id, text_name, xml_open, xml_close, flags)
#define FIELD(k, name, xml_name, wire, display, flags) \
  {TokenKind::k, FieldInfo{#name, xml_name, Wire::wire, Show::display, static_cast<uint16_t>(flags)}},
inline constexpr Row kRows[] = {
#include "bullion/bsm/tokens.def"
};

constexpr size_t fields_of(TokenKind kind) {
  size_t n = 0;
  for (const Row& row : kRows) n += row.kind == kind;
  return n;
}

// Fields of each kind are contiguous in kRows; find where they start.
constexpr size_t first_row_of(TokenKind kind) {
  for (size_t i = 0; i < std::size(kRows); ++i)
    if (kRows[i].kind == kind) return i;
  return 0;
}

}  // namespace bullion::bsm

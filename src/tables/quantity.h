// A number with a size or time suffix. Internal.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace bullion::tables::detail {

struct Quantity {
  enum class Kind { Bytes, Seconds };
  Kind kind = Kind::Bytes;
  uint64_t value = 0;
};

// B/K/M/G (powers of 1024) or s/h/d/y (a year is 365 days); no suffix means
// bytes. Either case is accepted. nullopt on junk or overflow.
std::optional<Quantity> parse_quantity(std::string_view text);

}  // namespace bullion::tables::detail

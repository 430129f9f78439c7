// Sizes and ages as audit_control(5) writes them: "2M", "512K", "60d".
#include "tables/quantity.h"
#include "tables/table_text.h"

namespace bullion::tables {

namespace detail {

std::optional<Quantity> parse_quantity(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  char suffix = text.back();
  uint64_t scale = 1;
  Quantity::Kind kind = Quantity::Kind::Bytes;
  switch (suffix) {
    case 'B':
    case 'b':
      scale = 1;
      break;
    case 'K':
    case 'k':
      scale = 1ull << 10;
      break;
    case 'M':
    case 'm':
      scale = 1ull << 20;
      break;
    case 'G':
    case 'g':
      scale = 1ull << 30;
      break;
    case 's':
    case 'S':
      kind = Quantity::Kind::Seconds;
      break;
    case 'h':
    case 'H':
      kind = Quantity::Kind::Seconds;
      scale = 3600;
      break;
    case 'd':
    case 'D':
      kind = Quantity::Kind::Seconds;
      scale = 86400;
      break;
    case 'y':
    case 'Y':
      kind = Quantity::Kind::Seconds;
      scale = 365ull * 86400;
      break;
    default:
      suffix = 0;
      break;  // no suffix: plain bytes, as filesz reads it
  }
  std::string_view digits = suffix ? trim(text.substr(0, text.size() - 1)) : text;
  auto number = parse_decimal(digits);
  if (!number || (*number != 0 && scale > UINT64_MAX / *number)) return std::nullopt;
  return Quantity{kind, *number * scale};
}

}  // namespace detail

Result<uint64_t> parse_byte_size(std::string_view text) {
  auto quantity = detail::parse_quantity(text);
  if (!quantity || quantity->kind != detail::Quantity::Kind::Bytes) {
    return Error{Errc::Parse, 0, 0, "bad size '" + std::string(text) + "' (want a number with B, K, M or G)"};
  }
  return quantity->value;
}

}  // namespace bullion::tables

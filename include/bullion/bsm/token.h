// Token kinds, their field schema (from tokens.def) and the decoder.
//
// A DecodedToken is a zero-copy view: numbers are decoded, strings and byte
// runs are spans into the record. Decoding never allocates.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "bullion/bsm/big_endian.h"
#include "bullion/error.h"

namespace bullion::bsm {

enum class TokenKind : uint8_t {
#define TOKEN(kind, id, text_name, xml_open, xml_close, flags) kind,
#include "bullion/bsm/tokens.def"
  Count_
};
inline constexpr size_t kTokenKindCount = static_cast<size_t>(TokenKind::Count_);

// How a field's bytes are laid out on the wire (all integers big-endian).
enum class Wire : uint8_t {
  Nothing,  // no bytes (a field shown only for compatibility)
  U8,
  U16,
  U32,
  U64,
  Bytes4,
  Bytes16,  // fixed-size raw bytes (IPv4, IPv6, UUID)
  Len16,    // u16 length of the next Counted field
  Counted,  // bytes whose length the previous Len16 gave
  Count16,
  Count32,     // number of items in the next list field
  StringList,  // Count32 NUL-terminated strings
  GroupList,   // Count16 u32 group ids
  AddrType16,
  AddrType32,         // address type (4 or 16) for the next AddrByType
  AddrType32Lenient,  // same, but an unknown type reads no address (headers)
  AddrTypeFixed4,     // no bytes: the next address is IPv4
  AddrByType,         // 4 or 16 address bytes per the last address type
  UnixPath,           // NUL-terminated path of at most 104 bytes
  DataUnit,           // arbitrary-data unit (0..3 -> 1,2,4,8 bytes)
  DataItems,          // count * unit size bytes
  RestOfRecord,       // everything up to the trailer (unknown tokens)
};

// How a value is shown (the printers decide the exact spelling per format).
enum class Show : uint8_t {
  Hidden,
  Empty,
  Unsigned,
  Signed,
  Hex,
  AltHex,
  Octal,
  HexBytes,
  User,
  Group,
  Event,
  Time,
  Msec,
  IpAddress,
  ReturnStatus,
  ExitStatus,
  IpcType,
  String,
  StringList,
  GroupList,
  Uuid,
  PrivStatus,
  HowToPrint,
  UnitName,
  DataItems,
};

enum TokenFlag : uint16_t {
  TF_HEADER = 1 << 0,
  TF_TRAILER = 1 << 1,
  TF_SUBJECT = 1 << 2,
  TF_PROCESS = 1 << 3,
  TF_RETURN = 1 << 4,
  TF_ARBITRARY = 1 << 5,
  TF_UNKNOWN = 1 << 6,
  TF_NOT_OPENBSM = 1 << 7,      // OpenBSM's praudit treats this id as unknown
  TF_HEADER_EX_QUIRK = 1 << 8,  // praudit swaps XML and -r layouts (COMPAT.md)
};

enum FieldFlag : uint16_t {
  FF_TEXT_ONLY = 1 << 0,
  FF_XML_ONLY = 1 << 1,
  FF_XML_JOIN = 1 << 2,        // XML: the next shown field goes into this attribute
  FF_XML_JOIN_SPACE = 1 << 3,  // same, with a space between
  FF_XML_JOINED = 1 << 4,      // XML: continues the previous attribute
  FF_XML_AFTER_NEXT = 1 << 5,  // XML: printed after the following field
};

struct FieldInfo {
  std::string_view name;
  std::string_view xml_name;
  Wire wire;
  Show show;
  uint16_t flags;
};

struct TokenInfo {
  TokenKind kind;
  uint8_t id;
  std::string_view text_name;
  std::string_view xml_open;
  std::string_view xml_close;
  uint16_t flags;
  std::span<const FieldInfo> fields;
  std::string_view enum_name;  // "Subject32Ex"
};

const TokenInfo& token_info(TokenKind kind);
// Kind for a wire id; TokenKind::Unknown for ids not in the table.
TokenKind kind_for_id(uint8_t id);
std::span<const TokenInfo> all_tokens();

inline constexpr size_t kMaxFields = 12;

struct FieldValue {
  uint64_t number = 0;             // integer fields; counts; address type
  std::span<const uint8_t> bytes;  // byte runs, strings (with their NULs), lists
};

// Whether to decode as OpenBSM's praudit does (ids it does not know become
// Unknown, swallowing the bytes up to the trailer) or every id we know.
enum class Dialect : uint8_t { OpenBsm, Full };

struct DecodedToken {
  TokenKind kind = TokenKind::Unknown;
  uint8_t id = 0;
  uint32_t length = 0;  // bytes including the id byte
  std::array<FieldValue, kMaxFields> fields;
  const TokenInfo& info() const { return token_info(kind); }
};

// Decodes the token at the start of `bytes`, which holds the rest of the
// record (so Unknown can find the trailer). `offset` is the stream offset of
// bytes[0], used in errors.
Status decode_token(std::span<const uint8_t> bytes, uint64_t offset, Dialect dialect, DecodedToken& out);

// Iterates a whole record's tokens. Stops at the first error.
class TokenCursor {
 public:
  TokenCursor(std::span<const uint8_t> record, uint64_t offset, Dialect dialect)
      : record_(record), offset_(offset), dialect_(dialect) {}
  // Returns false at the end of the record or on error (then error() is set).
  bool next(DecodedToken& out);
  bool failed() const { return failed_; }
  const Error& error() const { return error_; }
  size_t position() const { return pos_; }

 private:
  std::span<const uint8_t> record_;
  uint64_t offset_;
  Dialect dialect_;
  size_t pos_ = 0;
  bool failed_ = false;
  Error error_;
};

// Input to the encoder: one per wire field of a token, in table order.
struct FieldInput {
  uint64_t number = 0;
  std::span<const uint8_t> bytes;
  std::span<const std::string_view> strings;  // StringList
  std::span<const uint32_t> ids;              // GroupList
};

// Appends the token's bytes to `out`. Length and count fields are computed
// from the data fields they describe; the value given for them is ignored.
void encode_token(TokenKind kind, std::span<const FieldInput> fields, std::vector<uint8_t>& out);

// Re-encodes a decoded token (its bytes must still be alive): the inverse
// of decode_token, used to check the table and to rewrite records.
void reencode_token(const DecodedToken& token, std::vector<uint8_t>& out);

// Field helpers for consumers that read decoded tokens.
inline std::string_view as_string(std::span<const uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
// A counted string without its trailing NUL(s).
std::string_view trim_nul(std::span<const uint8_t> b);

}  // namespace bullion::bsm

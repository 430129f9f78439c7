// The decoder: one interpreter over the field programs of tokens.def.
#include <array>
#include <cstring>
#include <utility>

#include "bsm/token_rows.h"
#include "bsm/wire.h"
#include "bullion/bsm/token.h"

namespace bullion::bsm {
namespace {

constexpr size_t kTrailerSize = 7;
// sun_path is 108 bytes on Linux (104 on the BSDs); OpenBSM built here looks
// for the NUL within 108, and the golden output shows it.
constexpr size_t kUnixPathMax = 108;

// State carried from one field to the next inside a token: a length or count
// read for the following field, the address type, the data unit size.
struct DecodeState {
  uint64_t pending = 0;
  uint32_t address_type = 4;
  bool address_invalid = false;
  uint32_t unit_size = 1;
  uint32_t unit_count = 0;
};

class FieldDecoder {
 public:
  FieldDecoder(std::span<const uint8_t> token, uint64_t offset, uint8_t id) : r_(token, 1), offset_(offset), id_(id) {}

  // False on failure; error() then says why. (A bool, not a Status, per
  // field: building a Result for every field cost more than the decoding.)
  // One field, its layout known at compile time (decode_kind below unrolls
  // each token's field list, so no per-field switch runs).
  template <Wire W>
  bool decode(FieldValue& out) {
    if constexpr (W == Wire::Nothing)
      return ok();
    else if constexpr (W == Wire::U8)
      return number(r_.u8(out.number));
    else if constexpr (W == Wire::U16)
      return number(r_.u16(out.number));
    else if constexpr (W == Wire::U32)
      return number(r_.u32(out.number));
    else if constexpr (W == Wire::U64)
      return number(r_.u64(out.number));
    else if constexpr (W == Wire::Bytes4)
      return take(4, out);
    else if constexpr (W == Wire::Bytes16)
      return take(16, out);
    else if constexpr (W == Wire::Len16 || W == Wire::Count16)
      return pending(r_.u16(out.number), out);
    else if constexpr (W == Wire::Count32)
      return pending(r_.u32(out.number), out);
    else if constexpr (W == Wire::Counted)
      return take(state_.pending, out);
    else if constexpr (W == Wire::StringList)
      return strings(out);
    else if constexpr (W == Wire::GroupList)
      return take(state_.pending * 4, out, state_.pending);
    else if constexpr (W == Wire::AddrType16)
      return address_type(r_.u16(out.number), out, false);
    else if constexpr (W == Wire::AddrType32)
      return address_type(r_.u32(out.number), out, false);
    else if constexpr (W == Wire::AddrType32Lenient)
      return address_type(r_.u32(out.number), out, true);
    else if constexpr (W == Wire::AddrTypeFixed4) {
      state_.address_type = 4;
      out.number = 4;
      return ok();
    } else if constexpr (W == Wire::AddrByType)
      return address(out);
    else if constexpr (W == Wire::UnixPath)
      return unix_path(out);
    else if constexpr (W == Wire::DataUnit)
      return data_unit(out);
    else if constexpr (W == Wire::DataItems)
      return take(uint64_t{state_.unit_size} * state_.unit_count, out, state_.unit_size);
    else
      return rest(out);  // RestOfRecord
  }

  uint32_t position() const { return static_cast<uint32_t>(r_.position()); }
  Error error() const { return Error{code_, offset_ + fail_position_, id_, why_}; }
  // The count field (U8) before DataItems is decoded as a number; remember it.
  void note_count(const FieldValue& v) { state_.unit_count = static_cast<uint32_t>(v.number); }

 private:
  bool ok() { return true; }
  bool fail(Errc code, const char* why) {
    code_ = code;
    why_ = why;
    fail_position_ = r_.position();
    return false;
  }
  bool number(bool got) { return got ? ok() : fail(Errc::TokenOverrun, "token runs past the end of its record"); }
  bool pending(bool got, FieldValue& out) {
    state_.pending = out.number;
    return number(got);
  }
  bool take(uint64_t n, FieldValue& out, uint64_t number_value = 0) {
    if (!r_.bytes(n, out.bytes)) return number(false);
    out.number = number_value;
    return ok();
  }
  bool strings(FieldValue& out) {
    const size_t start = r_.position();
    for (uint64_t i = 0; i < state_.pending; ++i)
      if (!r_.skip_cstring()) return fail(Errc::TokenOverrun, "string list runs past the end of its record");
    out.bytes = r_.span_from(start);
    out.number = state_.pending;
    return ok();
  }
  bool address_type(bool got, FieldValue& out, bool lenient) {
    if (!got) return number(false);
    state_.address_type = static_cast<uint32_t>(out.number);
    const bool valid = out.number == 4 || out.number == 16;
    state_.address_invalid = !valid;
    if (!valid && !lenient) return fail(Errc::BadField, "address type is neither 4 (IPv4) nor 16 (IPv6)");
    return ok();
  }
  bool address(FieldValue& out) {
    out.number = state_.address_type;
    if (state_.address_invalid) return ok();  // header_ex: OpenBSM reads no address
    return take(state_.address_type, out, state_.address_type);
  }
  bool unix_path(FieldValue& out) {
    // The path ends at its NUL, looked for within sizeof(sun_path) bytes.
    const auto rest = r_.remaining();
    const size_t window = std::min(rest.size(), kUnixPathMax);
    const void* nul = std::memchr(rest.data(), 0, window);
    const size_t len = nul ? static_cast<const uint8_t*>(nul) - rest.data() + 1 : kUnixPathMax + 1;
    return take(len, out);
  }
  bool data_unit(FieldValue& out) {
    if (!r_.u8(out.number)) return number(false);
    static constexpr uint32_t kSizes[] = {1, 2, 4, 8};
    if (out.number > 3) return fail(Errc::BadField, "arbitrary-data unit is not byte/short/int/int64");
    state_.unit_size = kSizes[out.number];
    return ok();
  }
  bool rest(FieldValue& out) {
    const size_t avail = r_.remaining().size();
    if (avail <= kTrailerSize) return fail(Errc::UnknownToken, "unknown token with no bytes before the trailer");
    return take(avail - kTrailerSize, out);
  }

  WireReader r_;
  uint64_t offset_;
  uint8_t id_;
  DecodeState state_;
  // What went wrong, kept as plain values: the Error (with its string) is
  // built only when the caller asks, not for every token decoded.
  Errc code_ = Errc::Io;
  const char* why_ = "";
  size_t fail_position_ = 0;
};

// Decodes every field of token kind K: the table's field list for K,
// unrolled at compile time.
template <size_t K>
bool decode_kind(FieldDecoder& d, DecodedToken& out) {
  constexpr TokenKind kind = static_cast<TokenKind>(K);
  constexpr size_t first = first_row_of(kind);
  return [&]<size_t... I>(std::index_sequence<I...>) {
    return ([&] {
      constexpr FieldInfo f = kRows[first + I].field;
      FieldValue& v = out.fields[I];
      v = FieldValue{};
      if (!d.template decode<f.wire>(v)) return false;
      if constexpr (f.wire == Wire::U8 && f.show == Show::Unsigned) d.note_count(v);
      return true;
    }() && ...);
  }
  (std::make_index_sequence<fields_of(kind)>{});
}

using KindDecoder = bool (*)(FieldDecoder&, DecodedToken&);
constexpr auto kDecoders = []<size_t... K>(std::index_sequence<K...>) {
  return std::array<KindDecoder, sizeof...(K)>{&decode_kind<K>...};
}
(std::make_index_sequence<kTokenKindCount>{});

TokenKind kind_in_dialect(uint8_t id, Dialect dialect) {
  const TokenKind kind = kind_for_id(id);
  if (dialect == Dialect::OpenBsm && (token_info(kind).flags & TF_NOT_OPENBSM)) return TokenKind::Unknown;
  return kind;
}

}  // namespace

namespace {

// decode_token without a Status per token: true, or false with *error set.
bool decode_one(std::span<const uint8_t> bytes, uint64_t offset, Dialect dialect, DecodedToken& out, Error& error) {
  if (bytes.empty()) {
    error = Error{Errc::Truncated, offset, 0, "record ends where a token should start"};
    return false;
  }
  out.id = bytes[0];
  out.kind = kind_in_dialect(out.id, dialect);
  FieldDecoder decoder(bytes, offset, out.id);
  if (!kDecoders[static_cast<size_t>(out.kind)](decoder, out)) {
    error = decoder.error();
    return false;
  }
  out.length = decoder.position();
  return true;
}

}  // namespace

Status decode_token(std::span<const uint8_t> bytes, uint64_t offset, Dialect dialect, DecodedToken& out) {
  Error error;
  if (!decode_one(bytes, offset, dialect, out, error)) return error;
  return Ok{};
}

bool TokenCursor::next(DecodedToken& out) {
  if (failed_ || pos_ >= record_.size()) return false;
  if (!decode_one(record_.subspan(pos_), offset_ + pos_, dialect_, out, error_)) {
    failed_ = true;
    return false;
  }
  pos_ += out.length;
  return true;
}

std::string_view trim_nul(std::span<const uint8_t> b) {
  size_t n = b.size();
  while (n > 0 && b[n - 1] == 0) --n;
  return as_string(b.first(n));
}

}  // namespace bullion::bsm

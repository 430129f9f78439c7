// The decoder: one interpreter over the field programs of tokens.def.
#include <cstring>

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
  FieldDecoder(std::span<const uint8_t> token, uint64_t offset, uint8_t id)
      : r_(token, 1), offset_(offset), id_(id) {}

  Status decode(const FieldInfo& field, FieldValue& out) {
    switch (field.wire) {
      case Wire::Nothing: return ok();
      case Wire::U8: return number(r_.u8(out.number));
      case Wire::U16: return number(r_.u16(out.number));
      case Wire::U32: return number(r_.u32(out.number));
      case Wire::U64: return number(r_.u64(out.number));
      case Wire::Bytes4: return take(4, out);
      case Wire::Bytes16: return take(16, out);
      case Wire::Len16:
      case Wire::Count16: return pending(r_.u16(out.number), out);
      case Wire::Count32: return pending(r_.u32(out.number), out);
      case Wire::Counted: return take(state_.pending, out);
      case Wire::StringList: return strings(out);
      case Wire::GroupList: return take(state_.pending * 4, out, state_.pending);
      case Wire::AddrType16: return address_type(r_.u16(out.number), out, false);
      case Wire::AddrType32: return address_type(r_.u32(out.number), out, false);
      case Wire::AddrType32Lenient: return address_type(r_.u32(out.number), out, true);
      case Wire::AddrTypeFixed4: state_.address_type = 4; out.number = 4; return ok();
      case Wire::AddrByType: return address(out);
      case Wire::UnixPath: return unix_path(out);
      case Wire::DataUnit: return data_unit(out);
      case Wire::DataItems: return take(uint64_t{state_.unit_size} * state_.unit_count, out, state_.unit_size);
      case Wire::RestOfRecord: return rest(out);
    }
    return fail(Errc::BadField, "unknown wire layout");
  }

  uint32_t position() const { return static_cast<uint32_t>(r_.position()); }
  // The count field (U8) before DataItems is decoded as a number; remember it.
  void note_number(const FieldInfo& field, const FieldValue& v) {
    if (field.wire == Wire::U8 && field.show == Show::Unsigned) state_.unit_count = v.number;
  }

 private:
  Status ok() { return Ok{}; }
  Status fail(Errc code, const char* why) {
    return Error{code, offset_ + r_.position(), id_, why};
  }
  Status number(bool got) { return got ? ok() : fail(Errc::TokenOverrun, "token runs past the end of its record"); }
  Status pending(bool got, FieldValue& out) {
    state_.pending = out.number;
    return number(got);
  }
  Status take(uint64_t n, FieldValue& out, uint64_t number_value = 0) {
    if (!r_.bytes(n, out.bytes)) return number(false);
    out.number = number_value;
    return ok();
  }
  Status strings(FieldValue& out) {
    const size_t start = r_.position();
    for (uint64_t i = 0; i < state_.pending; ++i)
      if (!r_.skip_cstring()) return fail(Errc::TokenOverrun, "string list runs past the end of its record");
    out.bytes = r_.span_from(start);
    out.number = state_.pending;
    return ok();
  }
  Status address_type(bool got, FieldValue& out, bool lenient) {
    if (!got) return number(false);
    state_.address_type = static_cast<uint32_t>(out.number);
    const bool valid = out.number == 4 || out.number == 16;
    state_.address_invalid = !valid;
    if (!valid && !lenient) return fail(Errc::BadField, "address type is neither 4 (IPv4) nor 16 (IPv6)");
    return ok();
  }
  Status address(FieldValue& out) {
    out.number = state_.address_type;
    if (state_.address_invalid) return ok();  // header_ex: OpenBSM reads no address
    return take(state_.address_type, out, state_.address_type);
  }
  Status unix_path(FieldValue& out) {
    // The path ends at its NUL, looked for within sizeof(sun_path) bytes.
    const auto rest = r_.remaining();
    const size_t window = std::min(rest.size(), kUnixPathMax);
    const void* nul = std::memchr(rest.data(), 0, window);
    const size_t len = nul ? static_cast<const uint8_t*>(nul) - rest.data() + 1 : kUnixPathMax + 1;
    return take(len, out);
  }
  Status data_unit(FieldValue& out) {
    if (!r_.u8(out.number)) return number(false);
    static constexpr uint32_t kSizes[] = {1, 2, 4, 8};
    if (out.number > 3) return fail(Errc::BadField, "arbitrary-data unit is not byte/short/int/int64");
    state_.unit_size = kSizes[out.number];
    return ok();
  }
  Status rest(FieldValue& out) {
    const size_t avail = r_.remaining().size();
    if (avail <= kTrailerSize) return fail(Errc::UnknownToken, "unknown token with no bytes before the trailer");
    return take(avail - kTrailerSize, out);
  }

  WireReader r_;
  uint64_t offset_;
  uint8_t id_;
  DecodeState state_;
};

TokenKind kind_in_dialect(uint8_t id, Dialect dialect) {
  const TokenKind kind = kind_for_id(id);
  if (dialect == Dialect::OpenBsm && (token_info(kind).flags & TF_NOT_OPENBSM)) return TokenKind::Unknown;
  return kind;
}

}  // namespace

Status decode_token(std::span<const uint8_t> bytes, uint64_t offset, Dialect dialect,
                    DecodedToken& out) {
  if (bytes.empty()) return Error{Errc::Truncated, offset, 0, "record ends where a token should start"};
  out.id = bytes[0];
  out.kind = kind_in_dialect(out.id, dialect);
  const TokenInfo& info = token_info(out.kind);
  FieldDecoder decoder(bytes, offset, out.id);
  for (size_t i = 0; i < info.fields.size(); ++i) {
    out.fields[i] = FieldValue{};
    Status st = decoder.decode(info.fields[i], out.fields[i]);
    if (!st) return st;
    decoder.note_number(info.fields[i], out.fields[i]);
  }
  out.length = decoder.position();
  return Ok{};
}

bool TokenCursor::next(DecodedToken& out) {
  if (failed_ || pos_ >= record_.size()) return false;
  Status st = decode_token(record_.subspan(pos_), offset_ + pos_, dialect_, out);
  if (!st) {
    failed_ = true;
    error_ = st.error();
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

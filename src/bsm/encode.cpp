// The encoder: the decoder's field programs run backwards.
#include <algorithm>
#include <array>

#include "bsm/wire.h"
#include "bullion/bsm/encoder.h"
#include "bullion/bsm/token.h"

namespace bullion::bsm {
namespace {

constexpr uint8_t kTrailerId = 0x13;
constexpr uint16_t kTrailerMagic = 0xb105;
constexpr uint8_t kVersion = 11;  // OpenBSM's header version

void put_bytes(std::vector<uint8_t>& out, std::span<const uint8_t> b) { out.insert(out.end(), b.begin(), b.end()); }

void put_fixed(std::vector<uint8_t>& out, std::span<const uint8_t> b, size_t n) {
  for (size_t i = 0; i < n; ++i) out.push_back(i < b.size() ? b[i] : 0);
}

// The length, count or address type a field announces for the one after it.
uint64_t announced(const FieldInput* next) {
  if (!next) return 0;
  if (!next->strings.empty()) return next->strings.size();
  if (!next->ids.empty()) return next->ids.size();
  return next->bytes.size();
}

void encode_field(Wire wire, const FieldInput& in, const FieldInput* next, std::vector<uint8_t>& out) {
  switch (wire) {
    case Wire::Nothing:
    case Wire::AddrTypeFixed4:
      return;
    case Wire::U8:
      put_be(out, in.number, 1);
      return;
    case Wire::U16:
      put_be(out, in.number, 2);
      return;
    case Wire::U32:
      put_be(out, in.number, 4);
      return;
    case Wire::U64:
      put_be(out, in.number, 8);
      return;
    case Wire::Bytes4:
      put_fixed(out, in.bytes, 4);
      return;
    case Wire::Bytes16:
      put_fixed(out, in.bytes, 16);
      return;
    case Wire::Len16:
    case Wire::Count16:
    case Wire::AddrType16:
      put_be(out, announced(next), 2);
      return;
    case Wire::Count32:
    case Wire::AddrType32:
    case Wire::AddrType32Lenient:
      put_be(out, announced(next), 4);
      return;
    case Wire::Counted:
    case Wire::AddrByType:
    case Wire::DataItems:
    case Wire::RestOfRecord:
      put_bytes(out, in.bytes);
      return;
    case Wire::UnixPath:
      put_bytes(out, in.bytes);
      out.push_back(0);
      return;
    case Wire::DataUnit:
      put_be(out, in.number, 1);
      return;
    case Wire::StringList:
      for (std::string_view s : in.strings) {
        out.insert(out.end(), s.begin(), s.end());
        out.push_back(0);
      }
      return;
    case Wire::GroupList:
      for (uint32_t id : in.ids) put_be(out, id, 4);
      return;
  }
}

std::span<const uint8_t> as_bytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

}  // namespace

// The field whose length, count or address type field i announces: the next
// one, except for address types, which announce the next address (socket_ex
// puts the local port in between).
const FieldInput* described_by(const TokenInfo& info, std::span<const FieldInput> fields, size_t i) {
  const Wire w = info.fields[i].wire;
  const bool address_type = w == Wire::AddrType16 || w == Wire::AddrType32 || w == Wire::AddrType32Lenient;
  for (size_t k = i + 1; k < fields.size() && k < info.fields.size(); ++k)
    if (!address_type || info.fields[k].wire == Wire::AddrByType) return &fields[k];
  return nullptr;
}

void encode_token(TokenKind kind, std::span<const FieldInput> fields, std::vector<uint8_t>& out) {
  const TokenInfo& info = token_info(kind);
  out.push_back(info.id);
  static const FieldInput kEmpty{};
  for (size_t i = 0; i < info.fields.size(); ++i) {
    const FieldInput& in = i < fields.size() ? fields[i] : kEmpty;
    encode_field(info.fields[i].wire, in, described_by(info, fields, i), out);
  }
}

void reencode_token(const DecodedToken& token, std::vector<uint8_t>& out) {
  const TokenInfo& info = token.info();
  std::array<FieldInput, kMaxFields> inputs{};
  std::vector<std::string_view> strings;
  std::vector<uint32_t> ids;
  for (size_t i = 0; i < info.fields.size(); ++i) {
    const FieldValue& v = token.fields[i];
    inputs[i] = FieldInput{v.number, v.bytes, {}, {}};
    if (info.fields[i].wire == Wire::StringList) {
      size_t pos = 0;
      while (pos < v.bytes.size()) {
        const size_t end = std::find(v.bytes.begin() + pos, v.bytes.end(), 0) - v.bytes.begin();
        strings.push_back(as_string(v.bytes.subspan(pos, end - pos)));
        pos = end + 1;
      }
      inputs[i] = FieldInput{0, {}, strings, {}};
    } else if (info.fields[i].wire == Wire::GroupList) {
      for (uint64_t k = 0; k < v.number; ++k) ids.push_back(load_be32_at(v.bytes, k * 4));
      inputs[i] = FieldInput{0, {}, {}, ids};
    } else if (info.fields[i].wire == Wire::UnixPath) {
      inputs[i].bytes = v.bytes.first(v.bytes.empty() ? 0 : v.bytes.size() - 1);  // the encoder adds the NUL
    }
  }
  if (token.kind == TokenKind::Unknown) {  // the id is not in the table: keep it
    out.push_back(token.id);
    out.insert(out.end(), token.fields[0].bytes.begin(), token.fields[0].bytes.end());
    return;
  }
  encode_token(token.kind, std::span<const FieldInput>(inputs.data(), info.fields.size()), out);
}

// ---- RecordBuilder -------------------------------------------------------

namespace {
// A counted string as BSM stores it: the bytes, then one NUL.
struct CountedString {
  std::vector<uint8_t> bytes;
  explicit CountedString(std::string_view s) : bytes(s.begin(), s.end()) { bytes.push_back(0); }
  FieldInput input() const { return FieldInput{0, bytes, {}, {}}; }
};
FieldInput num(uint64_t n) { return FieldInput{n, {}, {}, {}}; }
FieldInput raw(std::span<const uint8_t> b) { return FieldInput{0, b, {}, {}}; }
}  // namespace

void RecordBuilder::begin_header32(uint16_t event, uint16_t modifier, uint32_t sec, uint32_t msec) {
  buf_.clear();
  encode_token(TokenKind::Header32, {{num(0), num(kVersion), num(event), num(modifier), num(sec), num(msec)}}, buf_);
}

void RecordBuilder::begin_header32_ex(uint16_t event, uint16_t modifier, uint32_t sec, uint32_t msec,
                                      std::span<const uint8_t> host) {
  buf_.clear();
  encode_token(TokenKind::Header32Ex,
               {{num(0), num(kVersion), num(event), num(modifier), {}, raw(host), num(sec), num(msec)}}, buf_);
}

void RecordBuilder::begin_header64(uint16_t event, uint16_t modifier, uint64_t sec, uint64_t msec) {
  buf_.clear();
  encode_token(TokenKind::Header64, {{num(0), num(kVersion), num(event), num(modifier), num(sec), num(msec)}}, buf_);
}

void RecordBuilder::add(TokenKind kind, std::initializer_list<FieldInput> fields) {
  encode_token(kind, std::span<const FieldInput>(fields.begin(), fields.size()), buf_);
}

void RecordBuilder::path(std::string_view p) {
  CountedString s(p);
  add(TokenKind::Path, {{}, s.input()});
}
void RecordBuilder::text(std::string_view t) {
  CountedString s(t);
  add(TokenKind::Text, {{}, s.input()});
}
void RecordBuilder::zonename(std::string_view z) {
  CountedString s(z);
  add(TokenKind::Zonename, {{}, s.input()});
}
void RecordBuilder::arg32(uint8_t number, uint32_t value, std::string_view description) {
  CountedString s(description);
  add(TokenKind::Arg32, {num(number), num(value), {}, s.input()});
}
void RecordBuilder::arg64(uint8_t number, uint64_t value, std::string_view description) {
  CountedString s(description);
  add(TokenKind::Arg64, {num(number), num(value), {}, s.input()});
}
void RecordBuilder::attr32(uint32_t mode, uint32_t uid, uint32_t gid, uint32_t fsid, uint64_t inode, uint32_t device) {
  add(TokenKind::Attr32, {num(mode), num(uid), num(gid), num(fsid), num(inode), num(device)});
}
void RecordBuilder::attr64(uint32_t mode, uint32_t uid, uint32_t gid, uint32_t fsid, uint64_t inode, uint64_t device) {
  add(TokenKind::Attr64, {num(mode), num(uid), num(gid), num(fsid), num(inode), num(device)});
}
void RecordBuilder::exec_args(std::span<const std::string_view> args) {
  add(TokenKind::ExecArgs, {{}, FieldInput{0, {}, args, {}}});
}
void RecordBuilder::exec_env(std::span<const std::string_view> env) {
  add(TokenKind::ExecEnv, {{}, FieldInput{0, {}, env, {}}});
}

namespace {
void add_process(RecordBuilder& b, TokenKind kind, const Subject& s, bool ex) {
  const size_t addr_len = ex && s.addr_type == 16 ? 16 : 4;
  const std::span<const uint8_t> addr(s.addr, addr_len);
  b.add(kind, {num(s.auid),
               num(s.euid),
               num(s.egid),
               num(s.ruid),
               num(s.rgid),
               num(s.pid),
               num(s.sid),
               num(s.port),
               {},
               raw(addr)});
}
}  // namespace

void RecordBuilder::subject32(const Subject& s) { add_process(*this, TokenKind::Subject32, s, false); }
void RecordBuilder::subject32_ex(const Subject& s) { add_process(*this, TokenKind::Subject32Ex, s, true); }
void RecordBuilder::process32_ex(const Subject& s) { add_process(*this, TokenKind::Process32Ex, s, true); }

void RecordBuilder::return32(uint8_t bsm_errno, uint32_t value) {
  add(TokenKind::Return32, {num(bsm_errno), num(value)});
}
void RecordBuilder::return64(uint8_t bsm_errno, uint64_t value) {
  add(TokenKind::Return64, {num(bsm_errno), num(value)});
}
void RecordBuilder::exit_token(uint32_t status, uint32_t value) { add(TokenKind::Exit, {num(status), num(value)}); }
void RecordBuilder::sockinet32(uint16_t family, uint16_t port, std::span<const uint8_t, 4> addr) {
  add(TokenKind::SockInet32, {num(family), num(port), raw(addr)});
}
void RecordBuilder::sockinet128(uint16_t family, uint16_t port, std::span<const uint8_t, 16> addr) {
  add(TokenKind::SockInet128, {num(family), num(port), raw(addr)});
}
void RecordBuilder::sockunix(uint16_t family, std::string_view path) {
  // sun_path holds at most 108 bytes with its NUL (Linux).
  add(TokenKind::SockUnix, {num(family), {}, raw(as_bytes(path.substr(0, 107)))});
}
void RecordBuilder::seq(uint32_t n) { add(TokenKind::Seq, {num(n)}); }

std::span<const uint8_t> RecordBuilder::finish() {
  const uint32_t size = static_cast<uint32_t>(buf_.size() + 7);
  buf_.push_back(kTrailerId);
  put_be(buf_, kTrailerMagic, 2);
  put_be(buf_, size, 4);
  for (int i = 0; i < 4; ++i) buf_[1 + i] = static_cast<uint8_t>(size >> (24 - 8 * i));
  return buf_;
}

std::vector<uint8_t> RecordBuilder::file_token(uint32_t sec, uint32_t msec, std::string_view name) {
  std::vector<uint8_t> out;
  CountedString s(name);
  const FieldInput fields[] = {num(sec), num(msec), {}, s.input()};
  encode_token(TokenKind::File, fields, out);
  return out;
}

}  // namespace bullion::bsm

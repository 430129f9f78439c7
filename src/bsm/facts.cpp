// Gathers RecordFacts in one pass. Field positions are looked up by name in
// the token table once, so this file knows token meanings, not layouts.
#include "bullion/bsm/facts.h"

#include <array>
#include <charconv>
#include <cstring>

#include "bullion/bsm/token.h"

namespace bullion::bsm {
namespace {

int field_index(TokenKind kind, std::string_view name) {
  const auto fields = token_info(kind).fields;
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name) return static_cast<int>(i);
  return -1;
}

// Where each well-known field sits in each token kind (-1: absent).
struct FieldMap {
  enum Name {
    Event,
    Modifier,
    Seconds,
    Msec,
    Auid,
    Euid,
    Egid,
    Ruid,
    Rgid,
    Pid,
    Sid,
    Port,
    Address,
    Error,
    Value,
    Path,
    Mode,
    Uid,
    Gid,
    Fsid,
    Inode,
    Device,
    Number,
    Status,
    Count,
    Strings,
    Family,
    LocalPort,
    LocalAddress,
    Type,
    Id,
    Name_,
    Text,
    Host,
    RemotePort,
    RemoteAddress,
    kCount
  };
  std::array<std::array<int8_t, kCount>, kTokenKindCount> at{};

  FieldMap() {
    static constexpr std::string_view kNames[kCount] = {
        "event", "modifier", "seconds",     "msec",          "auid",          "euid",   "egid",   "ruid",
        "rgid",  "pid",      "sid",         "port",          "address",       "error",  "value",  "path",
        "mode",  "uid",      "gid",         "fsid",          "inode",         "device", "number", "status",
        "count", "args",     "family",      "local_port",    "local_address", "type",   "id",     "name",
        "text",  "host",     "remote_port", "remote_address"};
    for (size_t k = 0; k < kTokenKindCount; ++k)
      for (size_t n = 0; n < kCount; ++n)
        at[k][n] = static_cast<int8_t>(field_index(static_cast<TokenKind>(k), kNames[n]));
  }
};

const FieldMap& field_map() {
  static const FieldMap map;
  return map;
}

class FactCollector {
 public:
  explicit FactCollector(RecordFacts& f) : f_(f), map_(field_map()) {}

  void take(const DecodedToken& t) {
    const uint16_t flags = t.info().flags;
    if (flags & TF_HEADER) return header(t);
    if (flags & TF_SUBJECT) return subject(t, f_.has_subject, f_.subject);
    if (flags & TF_PROCESS) return subject(t, f_.has_process, f_.process);
    if (flags & TF_RETURN) return result(t);
    switch (t.kind) {
      case TokenKind::Path:
        return path(t);
      case TokenKind::Attr:
      case TokenKind::Attr32:
      case TokenKind::Attr64:
        return attr(t);
      case TokenKind::ExecArgs:
        return list(t, f_.exec_argc, f_.exec_args);
      case TokenKind::ExecEnv:
        return list(t, f_.exec_envc, f_.exec_env);
      case TokenKind::Exit:
        return exit(t);
      case TokenKind::Arg32:
      case TokenKind::Arg64:
        return arg(t);
      case TokenKind::Zonename:
        f_.zonename = trim_nul(t.fields[1].bytes);
        return;
      case TokenKind::Text:
        return text(trim_nul(t.fields[1].bytes));
      case TokenKind::Ipc:
        return ipc(t);
      case TokenKind::Seq:
        if (!f_.has_sequence) f_.has_sequence = true, f_.sequence = static_cast<uint32_t>(t.fields[0].number);
        return;
      case TokenKind::SockInet32:
      case TokenKind::SockInet128:
      case TokenKind::SockUnix:
      case TokenKind::Socket:
      case TokenKind::SocketEx:
        return socket(t);
      default:
        return;
    }
  }

 private:
  uint64_t num(const DecodedToken& t, FieldMap::Name n) const {
    const int i = map_.at[static_cast<size_t>(t.kind)][n];
    return i < 0 ? 0 : t.fields[static_cast<size_t>(i)].number;
  }
  std::span<const uint8_t> bytes(const DecodedToken& t, FieldMap::Name n) const {
    const int i = map_.at[static_cast<size_t>(t.kind)][n];
    return i < 0 ? std::span<const uint8_t>() : t.fields[static_cast<size_t>(i)].bytes;
  }

  void header(const DecodedToken& t) {
    f_.header_id = t.id;
    f_.event = static_cast<uint16_t>(num(t, FieldMap::Event));
    f_.modifier = static_cast<uint16_t>(num(t, FieldMap::Modifier));
    f_.seconds = num(t, FieldMap::Seconds);
    f_.msec = static_cast<uint32_t>(num(t, FieldMap::Msec));
    const auto host = bytes(t, FieldMap::Host);  // only the _ex headers carry it
    if (host.size() == 4 || host.size() == 16) {
      f_.host_addr_type = static_cast<uint8_t>(host.size());
      std::memcpy(f_.host_addr, host.data(), host.size());
    }
  }
  void subject(const DecodedToken& t, bool& has, Subject& s) {
    if (has) return;  // the first one is the actor
    has = true;
    s.auid = static_cast<uint32_t>(num(t, FieldMap::Auid));
    s.euid = static_cast<uint32_t>(num(t, FieldMap::Euid));
    s.egid = static_cast<uint32_t>(num(t, FieldMap::Egid));
    s.ruid = static_cast<uint32_t>(num(t, FieldMap::Ruid));
    s.rgid = static_cast<uint32_t>(num(t, FieldMap::Rgid));
    s.pid = static_cast<uint32_t>(num(t, FieldMap::Pid));
    s.sid = static_cast<uint32_t>(num(t, FieldMap::Sid));
    s.port = num(t, FieldMap::Port);
    const auto addr = bytes(t, FieldMap::Address);
    s.addr_type = addr.size() == 16 ? 16 : 4;
    std::memcpy(s.addr, addr.data(), std::min<size_t>(addr.size(), 16));
  }
  void result(const DecodedToken& t) {
    f_.has_return = true;
    f_.return_errno = static_cast<uint8_t>(num(t, FieldMap::Error));
    f_.return_value = num(t, FieldMap::Value);
  }
  void path(const DecodedToken& t) {
    const std::string_view p = trim_nul(bytes(t, FieldMap::Path));
    if (f_.path_count < RecordFacts::kMaxPaths) f_.paths[f_.path_count] = p;
    if (f_.path_count++ == 0) f_.first_path = p;
    f_.last_path = p;
  }
  void attr(const DecodedToken& t) {
    f_.has_attr = true;
    f_.attr_mode = static_cast<uint32_t>(num(t, FieldMap::Mode));
    f_.attr_uid = static_cast<uint32_t>(num(t, FieldMap::Uid));
    f_.attr_gid = static_cast<uint32_t>(num(t, FieldMap::Gid));
    f_.attr_fsid = static_cast<uint32_t>(num(t, FieldMap::Fsid));
    f_.attr_inode = num(t, FieldMap::Inode);
    f_.attr_device = num(t, FieldMap::Device);
  }
  void list(const DecodedToken& t, uint32_t& count, std::span<const uint8_t>& body) {
    count = static_cast<uint32_t>(t.fields[1].number);
    body = t.fields[1].bytes;
  }
  void exit(const DecodedToken& t) {
    f_.has_exit = true;
    f_.exit_status = static_cast<uint32_t>(num(t, FieldMap::Status));
    f_.exit_return = static_cast<uint32_t>(num(t, FieldMap::Value));
  }
  void arg(const DecodedToken& t) {
    const uint64_t n = num(t, FieldMap::Number);
    if (n == 0 && !f_.has_arg0) {
      f_.has_arg0 = true;
      f_.arg0 = num(t, FieldMap::Value);
      return;
    }
    if (n < 1 || n > 8 || (f_.arg_present & (1u << (n - 1)))) return;
    f_.arg_present |= static_cast<uint8_t>(1u << (n - 1));
    f_.args[n - 1] = num(t, FieldMap::Value);
  }
  void text(std::string_view text) {
    if (f_.text.empty()) f_.text = text;
    // Our Linux translation writes the parent pid as "ppid=N".
    if (f_.has_ppid || !text.starts_with("ppid=")) return;
    uint32_t ppid = 0;
    const std::string_view digits = text.substr(5);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ppid);
    if (ec == std::errc() && end == digits.data() + digits.size()) f_.has_ppid = true, f_.ppid = ppid;
  }
  void ipc(const DecodedToken& t) {
    if (f_.has_ipc) return;
    f_.has_ipc = true;
    f_.ipc_type = static_cast<uint8_t>(num(t, FieldMap::Type));
    f_.ipc_id = static_cast<uint32_t>(num(t, FieldMap::Id));
  }
  void socket(const DecodedToken& t) {
    if (f_.has_socket) return;
    f_.has_socket = true;
    SocketAddress& s = f_.socket;
    if (t.kind == TokenKind::SockUnix) {
      s.family = static_cast<uint16_t>(num(t, FieldMap::Family));
      s.addr_type = 0;
      s.unix_path = trim_nul(bytes(t, FieldMap::Path));
      return;
    }
    const bool sockinet = t.kind == TokenKind::SockInet32 || t.kind == TokenKind::SockInet128;
    s.family = static_cast<uint16_t>(sockinet ? num(t, FieldMap::Family) : num(t, FieldMap::Type));
    s.port = static_cast<uint16_t>(sockinet ? num(t, FieldMap::Port) : num(t, FieldMap::LocalPort));
    const auto addr = sockinet ? bytes(t, FieldMap::Address) : bytes(t, FieldMap::LocalAddress);
    s.addr_type = addr.size() == 16 ? 16 : 4;
    std::memcpy(s.addr, addr.data(), std::min<size_t>(addr.size(), 16));
    if (!sockinet) {
      s.has_remote = true;
      s.remote_port = static_cast<uint16_t>(num(t, FieldMap::RemotePort));
      const auto remote = bytes(t, FieldMap::RemoteAddress);
      std::memcpy(s.remote_addr, remote.data(), std::min<size_t>(remote.size(), 16));
    }
  }

  RecordFacts& f_;
  const FieldMap& map_;
};

}  // namespace

Status extract_facts(std::span<const uint8_t> record, RecordFacts& facts) {
  facts = RecordFacts{};
  facts.raw = record;
  FactCollector collect(facts);
  TokenCursor cursor(record, 0, Dialect::Full);
  DecodedToken token;
  while (cursor.next(token)) collect.take(token);
  if (cursor.failed()) return cursor.error();
  return Ok{};
}

void for_each_path(const RecordFacts& facts, const std::function<void(std::string_view)>& fn) {
  if (facts.path_count <= RecordFacts::kMaxPaths) {
    for (uint32_t i = 0; i < facts.path_count; ++i) fn(facts.paths[i]);
    return;
  }
  // Rare: more path tokens than kept. Walk the record again for all of them.
  TokenCursor cursor(facts.raw, 0, Dialect::Full);
  DecodedToken token;
  while (cursor.next(token)) {
    if (token.kind == TokenKind::Path) fn(trim_nul(token.fields[1].bytes));
  }
}

}  // namespace bullion::bsm

// The compiled selection. OpenBSM's rule is kept: every criterion must be
// checked by at least one token of the record that carries it (a -u needs a
// subject or process token), and every such token must pass; -v inverts the
// outcome. What changes is which tokens count: all widths of header,
// subject, process and return, and the socket tokens for -o sock=.
#include "bullion/select/selector.h"

#include <array>
#include <cstring>

#include "bullion/bsm/token.h"
#include "select/path_matcher.h"
#include "select/raw_header.h"
#include "select/token_sizer.h"

namespace bullion::select {
namespace {

using bsm::DecodedToken;
using bsm::TokenKind;

// Criterion groups: a bit is "required" when the option was given and
// "checked" once a token that carries it has been examined.
enum Group : uint32_t {
  kHeader = 1u << 0,      // -A -a -b -d -c -m -v
  kIds = 1u << 1,         // -u -e -f -g -r: subject or process
  kSubjectPid = 1u << 2,  // -j: subject
  kObjectPid = 1u << 3,   // -o pid=: process
  kMsgq = 1u << 4,
  kSem = 1u << 5,
  kShm = 1u << 6,
  kFile = 1u << 7,  // path tokens
  kZone = 1u << 8,
  kSocket = 1u << 9,
};

enum ClassBit : uint8_t { kBoth = 1, kSuccess = 2, kFailure = 4 };

// BSM ipc token object types.
constexpr uint64_t kIpcMsg = 1, kIpcSem = 2, kIpcShm = 3;

uint32_t required_groups(const Criteria& c) {
  uint32_t g = 0;
  if (c.all_times || c.after || c.before || c.classes || !c.events.empty() || c.invert) g |= kHeader;
  if (c.auid || c.euid || c.egid || c.rgid || c.ruid) g |= kIds;
  if (c.subject_pid) g |= kSubjectPid;
  if (c.object_pid) g |= kObjectPid;
  if (c.msgqid) g |= kMsgq;
  if (c.semid) g |= kSem;
  if (c.shmid) g |= kShm;
  if (!c.files.empty()) g |= kFile;
  if (c.zone) g |= kZone;
  if (c.socket) g |= kSocket;
  return g;
}

// Field positions by name, looked up once per kind from the token table
// (so this file knows field names, never layouts).
enum FieldName : uint8_t {
  kPort,
  kAddress,
  kLocalPort,
  kLocalAddress,
  kRemotePort,
  kRemoteAddress,
  kPath,
  kName,
  kType,
  kId,
  kError,
  kFieldNameCount
};
constexpr std::string_view kFieldNames[kFieldNameCount] = {
    "port", "address", "local_port", "local_address", "remote_port", "remote_address", "path",
    "name", "type",    "id",         "error"};

int field_at(TokenKind kind, std::string_view name) {
  const auto fields = bsm::token_info(kind).fields;
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name) return static_cast<int>(i);
  return -1;
}

struct FieldIndex {
  std::array<std::array<int8_t, kFieldNameCount>, bsm::kTokenKindCount> at{};
  FieldIndex() {
    for (size_t k = 0; k < bsm::kTokenKindCount; ++k)
      for (size_t n = 0; n < kFieldNameCount; ++n)
        at[k][n] = static_cast<int8_t>(field_at(static_cast<TokenKind>(k), kFieldNames[n]));
  }
};

int index_of(TokenKind kind, FieldName name) {
  static const FieldIndex index;
  return index.at[static_cast<size_t>(kind)][name];
}

uint64_t number(const DecodedToken& t, FieldName name) {
  const int i = index_of(t.kind, name);
  return i < 0 ? 0 : t.fields[static_cast<size_t>(i)].number;
}
std::span<const uint8_t> bytes(const DecodedToken& t, FieldName name) {
  const int i = index_of(t.kind, name);
  return i < 0 ? std::span<const uint8_t>() : t.fields[static_cast<size_t>(i)].bytes;
}

// Indices of the process fields, the same for all eight subject/process kinds.
struct ProcessFields {
  int auid, euid, egid, ruid, rgid, pid;
};
ProcessFields process_fields() {
  const TokenKind k = TokenKind::Subject32;
  return {field_at(k, "auid"), field_at(k, "euid"), field_at(k, "egid"),
          field_at(k, "ruid"), field_at(k, "rgid"), field_at(k, "pid")};
}

bool is_socket_kind(TokenKind k) {
  return k == TokenKind::Socket || k == TokenKind::SocketEx || k == TokenKind::SockInet32 ||
         k == TokenKind::SockInet128 || k == TokenKind::SockUnix;
}

bool end_matches(const SocketSpec& s, uint64_t port, std::span<const uint8_t> addr) {
  if (s.port && *s.port != port) return false;
  if (s.addr_type == 0) return true;
  return addr.size() == s.addr_type && std::memcmp(addr.data(), s.addr, s.addr_type) == 0;
}

bool socket_matches(const SocketSpec& s, const DecodedToken& t) {
  if (t.kind == TokenKind::SockUnix) return !s.unix_path.empty() && bsm::trim_nul(bytes(t, kPath)) == s.unix_path;
  if (!s.unix_path.empty()) return false;
  if (t.kind == TokenKind::SockInet32 || t.kind == TokenKind::SockInet128)
    return end_matches(s, number(t, kPort), bytes(t, kAddress));
  return end_matches(s, number(t, kLocalPort), bytes(t, kLocalAddress)) ||
         end_matches(s, number(t, kRemotePort), bytes(t, kRemoteAddress));
}

}  // namespace

struct Selector::Impl {
  Criteria c;
  uint32_t required = 0;
  bool return_check = false;  // -c with classes whose success and failure sides differ
  bool needs_tokens = false;
  std::vector<uint8_t> class_bits;   // by event number: ClassBit
  std::vector<uint64_t> event_bits;  // -m set, 65536 bits
  std::optional<PathMatcher> paths;
  ProcessFields pf = process_fields();
  Error error;
  TokenSizer sizer;
  DecodedToken scratch;
  std::array<bool, 256> wanted{};
  std::array<bool, 256> raw{};  // wanted tokens judged on their raw bytes
  const uint8_t path_id = bsm::token_info(TokenKind::Path).id;

  bool header_passes(const RawHeader& h) const {
    if (!c.all_times) {
      if (c.after && static_cast<int64_t>(h.seconds) < *c.after) return false;
      if (c.before && static_cast<int64_t>(h.seconds) > *c.before) return false;
    }
    if (c.classes && !(class_bits[h.event] & kBoth)) return false;
    if (!c.events.empty() && !(event_bits[h.event >> 6] >> (h.event & 63) & 1)) return false;
    return true;
  }

  // Subject and process tokens alike answer -u -e -f -g -r (as OpenBSM's
  // 32-bit checks do); the pid is -j for a subject, -o pid= for a process.
  // `at(field index)` reads a field, decoded or raw.
  template <class FieldReader>
  bool ids_match(FieldReader at, bool subject) const {
    if (c.auid && at(pf.auid) != *c.auid) return false;
    if (c.euid && at(pf.euid) != *c.euid) return false;
    if (c.egid && at(pf.egid) != *c.egid) return false;
    if (c.ruid && at(pf.ruid) != *c.ruid) return false;
    if (c.rgid && at(pf.rgid) != *c.rgid) return false;
    const auto& pid = subject ? c.subject_pid : c.object_pid;
    return !pid || at(pf.pid) == *pid;
  }

  bool actor_passes(const DecodedToken& t, bool subject) const {
    return ids_match([&](int i) { return static_cast<uint32_t>(t.fields[static_cast<size_t>(i)].number); }, subject);
  }

  bool ipc_passes(const DecodedToken& t, uint32_t& checked) const {
    const uint64_t type = number(t, kType);
    const uint32_t id = static_cast<uint32_t>(number(t, kId));
    auto one = [&](uint32_t group, const std::optional<uint32_t>& want) {
      checked |= group;
      return !want || *want == id;
    };
    if (type == kIpcMsg) return one(kMsgq, c.msgqid);
    if (type == kIpcSem) return one(kSem, c.semid);
    if (type == kIpcShm) return one(kShm, c.shmid);
    return !(c.msgqid || c.semid || c.shmid);  // an unknown type fails any ipc filter
  }

  bool return_passes(const DecodedToken& t, uint16_t event) const {
    if (!return_check) return true;
    return class_bits[event] & (number(t, kError) == 0 ? kSuccess : kFailure);
  }

  // One token past the header; false when it fails its criterion.
  bool token_passes(const DecodedToken& t, uint16_t event, uint32_t& checked) {
    const uint16_t flags = t.info().flags;
    if (flags & (bsm::TF_SUBJECT | bsm::TF_PROCESS)) {
      const bool subject = flags & bsm::TF_SUBJECT;
      checked |= kIds | (subject ? kSubjectPid : kObjectPid);
      return actor_passes(t, subject);
    }
    if (flags & bsm::TF_RETURN) return return_passes(t, event);
    switch (t.kind) {
      case TokenKind::Ipc:
        return ipc_passes(t, checked);
      case TokenKind::Path:
        // Only path tokens: a file token names a trail file, not an object
        // (OpenBSM's auditreduce does not match it either).
        checked |= kFile;
        return !paths || paths->accepts(bsm::trim_nul(bytes(t, kPath)));
      case TokenKind::Zonename:
        checked |= kZone;
        return !c.zone || bsm::trim_nul(bytes(t, kName)) == *c.zone;
      default:
        if (!is_socket_kind(t.kind)) return true;
        checked |= kSocket;
        return !c.socket || socket_matches(*c.socket, t);
    }
  }

  // au_preselect's answer for every event number, computed once: an event
  // passes -c when its classes meet the success or failure side (kBoth), and a
  // return token narrows that to the side its status names.
  void fill_class_bits(const tables::EventTable& events) {
    class_bits.assign(65536, 0);
    if (!c.classes) return;
    const tables::PreselectMask m = *c.classes;
    // au_preselect caches audit_event by pushing each line on the front of
    // a list, so for a number listed twice the LAST line decides the class
    // (praudit's getauevnum names the first). Matching it keeps -c
    // byte-identical with OpenBSM on real tables (6172 is listed twice).
    std::vector<const tables::EventEntry*> last(65536, nullptr);
    for (const tables::EventEntry& e : events.entries()) last[e.number] = &e;
    for (uint32_t n = 0; n < 65536; ++n) {
      const tables::EventEntry* e = last[n];
      if (!e) continue;  // unknown events never pass -c, as in OpenBSM
      uint8_t bits = 0;
      if (e->class_mask & (m.success | m.failure)) bits |= kBoth;
      if (e->class_mask & m.success) bits |= kSuccess;
      if (e->class_mask & m.failure) bits |= kFailure;
      class_bits[n] = bits;
      // Only when the two sides disagree for some event can a return token
      // change the outcome; otherwise -c stays a header-only selection.
      if ((bits & kBoth) && !((bits & kSuccess) && (bits & kFailure))) return_check = true;
    }
  }

  enum class Walk { Passed, Failed, Damaged };

  // Steps through the record's tokens; decodes only the kinds the
  // criteria read (`wanted`) and the ones whose length needs the decoder.
  // Stops at the first token that fails, as OpenBSM does.
  Walk walk_tokens(std::span<const uint8_t> record, uint64_t offset, uint16_t event, uint32_t& checked) {
    DecodedToken& t = scratch;  // a member: no 300-byte zeroing per record
    size_t pos = 0;
    while (pos < record.size()) {
      const std::span<const uint8_t> rest = record.subspan(pos);
      if (!wanted[rest[0]] || raw[rest[0]]) {
        if (const size_t n = sizer.quick_length(rest)) {
          if (wanted[rest[0]] && !raw_passes(rest, checked)) return Walk::Failed;
          pos += n;
          continue;
        }
      }
      Status st = bsm::decode_token(rest, offset + pos, bsm::Dialect::Full, t);
      if (!st) {
        error = st.error();
        return Walk::Damaged;
      }
      if (!token_passes(t, event, checked)) return Walk::Failed;
      pos += t.length;
    }
    return Walk::Passed;
  }

  // The same test as actor_passes, on the raw bytes of a subject or process
  // token whose id fields sit at fixed offsets (all eight kinds): -u/-e/-j
  // need no decoder. The caller has checked the token's length.
  bool raw_actor_passes(std::span<const uint8_t> token, uint32_t& checked) const {
    const uint8_t id = token[0];
    const bool subject = bsm::token_info(bsm::kind_for_id(id)).flags & bsm::TF_SUBJECT;
    checked |= kIds | (subject ? kSubjectPid : kObjectPid);
    return ids_match([&](int f) { return be32(token.data() + sizer.field_offset(id, static_cast<size_t>(f))); },
                     subject);
  }

  bool raw_passes(std::span<const uint8_t> token, uint32_t& checked) {
    if (token[0] != path_id) return raw_actor_passes(token, checked);
    checked |= kFile;
    return !paths || paths->accepts(bsm::trim_nul(sizer.counted(token)));
  }

  // Which token ids the required criteria read, by wire id.
  void fill_wanted() {
    for (const bsm::TokenInfo& info : bsm::all_tokens()) {
      const TokenKind k = info.kind;
      bool want = false;
      if (info.flags & bsm::TF_SUBJECT)
        want = required & (kIds | kSubjectPid);
      else if (info.flags & bsm::TF_PROCESS)
        want = required & (kIds | kObjectPid);
      else if (info.flags & bsm::TF_RETURN)
        want = return_check;
      else if (k == TokenKind::Path)
        want = required & kFile;
      else if (k == TokenKind::Ipc)
        want = required & (kMsgq | kSem | kShm);
      else if (k == TokenKind::Zonename)
        want = required & kZone;
      else if (is_socket_kind(k))
        want = required & kSocket;
      if (want) wanted[info.id] = true;
      if (want && k == TokenKind::Path) raw[info.id] = true;  // the path is the counted bytes
      if (want && (info.flags & (bsm::TF_SUBJECT | bsm::TF_PROCESS))) {
        bool fixed = true;
        for (int f : {pf.auid, pf.euid, pf.egid, pf.ruid, pf.rgid, pf.pid})
          fixed = fixed && f >= 0 && sizer.field_offset(info.id, static_cast<size_t>(f)) >= 0;
        raw[info.id] = fixed;
      }
    }
  }

  Verdict finish(bool match) const { return (match != c.invert) ? Verdict::Select : Verdict::Skip; }

  Verdict judge(std::span<const uint8_t> record, uint64_t offset) {
    uint32_t checked = 0;
    RawHeader h;
    const bool has_header = read_raw_header(record, h);
    if (has_header) {
      if (!header_passes(h)) return finish(false);
      checked |= kHeader;
    } else if (!record.empty() && record[0] != 0x11) {
      error = Error{Errc::Truncated, offset, record[0], "record header cut short"};
      return Verdict::Damaged;
    }
    if (needs_tokens) {
      const Walk w = walk_tokens(record, offset, h.event, checked);
      if (w == Walk::Damaged) return Verdict::Damaged;
      if (w == Walk::Failed) return finish(false);
    }
    return finish((required & ~checked) == 0);
  }
};

Selector::Selector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Selector::Selector(Selector&&) noexcept = default;
Selector& Selector::operator=(Selector&&) noexcept = default;
Selector::~Selector() = default;

Result<Selector> Selector::compile(const Criteria& criteria, const tables::EventTable& events) {
  auto s = std::make_unique<Impl>();
  s->c = criteria;
  s->required = required_groups(criteria);
  s->fill_class_bits(events);
  s->event_bits.assign(1024, 0);
  for (uint16_t e : criteria.events) s->event_bits[e >> 6] |= uint64_t{1} << (e & 63);
  if (!criteria.files.empty()) {
    Result<PathMatcher> m = PathMatcher::compile(criteria.files);
    if (!m) return m.error();
    s->paths.emplace(std::move(*m));
  }
  s->needs_tokens = (s->required & ~uint32_t{kHeader}) != 0 || s->return_check;
  s->fill_wanted();
  return Selector(std::move(s));
}

Verdict Selector::judge(std::span<const uint8_t> record, uint64_t offset) { return impl_->judge(record, offset); }
const Error& Selector::error() const { return impl_->error; }
bool Selector::header_only() const { return !impl_->needs_tokens; }

bsm::Flow SelectingSink::record(const bsm::RecordView& record) {
  switch (selector_.judge(record.bytes, record.offset)) {
    case Verdict::Select:
      return next().record(record);
    case Verdict::Skip:
      return bsm::Flow::Continue;
    case Verdict::Damaged:
      break;
  }
  Error error = selector_.error();
  error.source = std::string(record.source);
  next().damage(error);
  return bsm::Flow::Continue;
}

}  // namespace bullion::select

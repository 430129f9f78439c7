// Translation of one grouped event. The record is laid out as FreeBSD's
// kernel lays out its own: header, the event's argument tokens, paths with
// their attributes, exec arguments, socket address, then subject, return
// and trailer.
#include "linux/event.h"

#include <arpa/inet.h>
#include <libaudit.h>

#include <algorithm>
#include <cstring>

#include "linux/mapping.h"

namespace bullion::linuxaudit {
namespace {

constexpr uint32_t kUnknownId = 0xffffffff;  // BSM's "no such id" (AU_DEFAUDITID)
constexpr uint32_t kAuditArchLittleEndian = 0x40000000;
constexpr size_t kMaxTextLength = 60000;  // text tokens carry a 16-bit length
constexpr size_t kMaxPathLength = 60000;

struct ParsedRecord {
  RecordTypeRow row;
  std::vector<Field> fields;
};

// The parts of an event, found once.
struct EventParts {
  std::vector<ParsedRecord> records;
  const ParsedRecord* syscall = nullptr;
  const ParsedRecord* kernel = nullptr;  // LOGIN, CONFIG_CHANGE
  const ParsedRecord* user = nullptr;    // USER_* and friends
  const ParsedRecord* other = nullptr;   // AVC and other records with no role
  const ParsedRecord* cwd = nullptr;
  const ParsedRecord* sockaddr = nullptr;
  std::vector<const ParsedRecord*> paths;
  std::vector<std::span<const Field>> execve;
};

std::optional<std::string_view> raw_field(const ParsedRecord& r, std::string_view key) {
  const Field* f = find_field(r.fields, key);
  if (!f) return std::nullopt;
  return f->value;
}

uint32_t id_field(const ParsedRecord& r, std::string_view key) {
  auto raw = raw_field(r, key);
  auto value = raw ? parse_unsigned(unquote(*raw), 10) : std::nullopt;
  return value && *value <= UINT32_MAX ? static_cast<uint32_t>(*value) : kUnknownId;
}

std::optional<uint64_t> hex_field(const ParsedRecord& r, std::string_view key) {
  auto raw = raw_field(r, key);
  return raw ? parse_unsigned(*raw, 16) : std::nullopt;
}

std::string decoded_field(const ParsedRecord& r, std::string_view key) {
  auto raw = raw_field(r, key);
  auto value = raw ? decode_value(*raw) : std::nullopt;
  return value ? *value : std::string();
}

void place_record(EventParts& parts, const ParsedRecord& record) {
  const RecordTypeRow& row = record.row;
  if (row.role == RecordRole::Syscall && !parts.syscall) parts.syscall = &record;
  if (row.role == RecordRole::Kernel && !parts.kernel) parts.kernel = &record;
  if (row.role == RecordRole::UserMessage && !parts.user) parts.user = &record;
  if (row.role == RecordRole::Other && !parts.other) parts.other = &record;
  if (row.name == "CWD" && !parts.cwd) parts.cwd = &record;
  if (row.name == "SOCKADDR" && !parts.sockaddr) parts.sockaddr = &record;
  if (row.name == "PATH") parts.paths.push_back(&record);
  if (row.name == "EXECVE") parts.execve.push_back(record.fields);
}

EventParts parse_event(const PendingEvent& event) {
  EventParts parts;
  parts.records.reserve(event.records.size());
  for (const StoredRecord& stored : event.records) {
    ParsedRecord parsed{record_type(stored.type), {}};
    split_fields(stored.body, parsed.fields);
    parts.records.push_back(std::move(parsed));
  }
  for (const ParsedRecord& record : parts.records) place_record(parts, record);
  return parts;
}

void begin_header(bsm::RecordBuilder& b, const TranslateOptions& options, uint16_t event, const Stamp& stamp) {
  const auto seconds = static_cast<uint32_t>(stamp.seconds);
  if (options.header == HeaderKind::Header32Ex) {
    const size_t length = options.host_length == 16 ? 16 : 4;
    b.begin_header32_ex(event, 0, seconds, stamp.msec, std::span<const uint8_t>(options.host.data(), length));
  } else {
    b.begin_header32(event, 0, seconds, stamp.msec);
  }
}

// ---- subject and return ------------------------------------------------

bsm::Subject subject_from(const ParsedRecord& r) {
  bsm::Subject s;
  s.auid = id_field(r, "auid");
  s.euid = id_field(r, "euid");
  s.egid = id_field(r, "egid");
  s.ruid = id_field(r, "uid");
  s.rgid = id_field(r, "gid");
  if (s.euid == kUnknownId) s.euid = s.ruid;  // user messages carry uid only
  if (s.egid == kUnknownId) s.egid = s.rgid;
  s.pid = id_field(r, "pid");
  s.sid = id_field(r, "ses");
  return s;
}

// A remote address (addr=) from a user message becomes the terminal address.
void set_terminal_address(bsm::Subject& s, const ParsedRecord& r) {
  std::string addr = decoded_field(r, "addr");
  if (addr.empty()) return;
  if (inet_pton(AF_INET, addr.c_str(), s.addr) == 1) {
    s.addr_type = 4;
  } else if (inet_pton(AF_INET6, addr.c_str(), s.addr) == 1) {
    s.addr_type = 16;
  } else {
    std::memset(s.addr, 0, sizeof s.addr);
  }
}

void syscall_return(bsm::RecordBuilder& b, const ParsedRecord& syscall) {
  auto success = raw_field(syscall, "success");
  auto exit_raw = raw_field(syscall, "exit");
  const int64_t value = exit_raw ? parse_signed(*exit_raw).value_or(0) : 0;
  if (success && *success == "no") {
    const uint8_t error = value < 0 ? bsm_errno(static_cast<uint64_t>(-value)) : kBsmErrnoUnknown;
    b.return32(error, kUnknownId);
    return;
  }
  // Values that do not fit 32 bits (mmap addresses) keep all their bits.
  if (value >= INT32_MIN && value <= static_cast<int64_t>(UINT32_MAX)) {
    b.return32(0, static_cast<uint32_t>(value));
  } else {
    b.return64(0, static_cast<uint64_t>(value));
  }
}

bool result_failed(const ParsedRecord& r) {
  auto res = raw_field(r, "res");
  if (!res) return false;
  std::string_view v = unquote(*res);
  return v == "failed" || v == "no" || v == "0";
}

// User-space BSM records carry failure as errno EPERM and value -1.
void message_return(bsm::RecordBuilder& b, const ParsedRecord& r) {
  if (result_failed(r)) {
    b.return32(1, kUnknownId);
  } else {
    b.return32(0, 0);
  }
}

// ---- paths and attributes ---------------------------------------------

struct PathItem {
  uint64_t item = 0;
  const ParsedRecord* record = nullptr;
};

// Linux names directories it looked up (nametype=PARENT) beside the object
// itself; a BSD record holds the objects only, so parents are dropped
// unless nothing else is there.
std::vector<PathItem> object_paths(const EventParts& parts) {
  std::vector<PathItem> items, parents;
  for (const ParsedRecord* r : parts.paths) {
    PathItem item{parse_unsigned(unquote(raw_field(*r, "item").value_or("")), 10).value_or(0), r};
    (unquote(raw_field(*r, "nametype").value_or("")) == "PARENT" ? parents : items).push_back(item);
  }
  if (items.empty()) items = std::move(parents);
  std::stable_sort(items.begin(), items.end(), [](const PathItem& a, const PathItem& b) { return a.item < b.item; });
  return items;
}

// "fd:01" (hex major:minor) -> the kernel's dev_t layout, major << 20 | minor.
uint32_t device_number(std::string_view text) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) return 0;
  auto major = parse_unsigned(text.substr(0, colon), 16);
  auto minor = parse_unsigned(text.substr(colon + 1), 16);
  if (!major || !minor) return 0;
  return static_cast<uint32_t>((*major << 20) | (*minor & 0xfffff));
}

void add_attribute(bsm::RecordBuilder& b, const ParsedRecord& r) {
  auto inode = parse_unsigned(raw_field(r, "inode").value_or(""), 10);
  if (!inode) return;  // the object does not exist (failed lookup, deleted name)
  const auto mode = parse_unsigned(raw_field(r, "mode").value_or(""), 8).value_or(0);
  b.attr32(static_cast<uint32_t>(mode), id_field(r, "ouid"), id_field(r, "ogid"),
           device_number(raw_field(r, "dev").value_or("")), *inode, device_number(raw_field(r, "rdev").value_or("")));
}

bool relative_to_cwd(const ParsedRecord& syscall, std::string_view syscall_name) {
  for (int8_t arg : dirfd_args(syscall_name)) {
    const std::string key = "a" + std::to_string(arg);
    auto fd = hex_field(syscall, key);
    if (!fd || (*fd & 0xffffffff) != kLinuxAtFdcwd) return false;
  }
  return true;
}

void add_paths(bsm::RecordBuilder& b, const EventParts& parts, bool join_cwd) {
  const std::string cwd = parts.cwd ? decoded_field(*parts.cwd, "cwd") : std::string();
  for (const PathItem& item : object_paths(parts)) {
    auto raw = raw_field(*item.record, "name");
    auto name = raw ? decode_value(*raw) : std::nullopt;
    if (name) {
      std::string path = join_cwd ? absolute_path(cwd, *name) : *name;
      b.path(std::string_view(path).substr(0, kMaxPathLength));
    }
    add_attribute(b, *item.record);
  }
}

// ---- socket address ---------------------------------------------------

void add_sockaddr(bsm::RecordBuilder& b, const EventParts& parts, bool little_endian,
                  const std::function<void(std::string_view)>& note_unused) {
  if (!parts.sockaddr) return;
  auto bytes = decode_hex(raw_field(*parts.sockaddr, "saddr").value_or(""));
  const auto* p = bytes ? reinterpret_cast<const uint8_t*>(bytes->data()) : nullptr;
  const size_t n = bytes ? bytes->size() : 0;
  const uint16_t family = n < 2 ? 0 : little_endian ? (p[0] | p[1] << 8) : (p[0] << 8 | p[1]);
  const uint16_t port = n < 4 ? 0 : static_cast<uint16_t>(p[2] << 8 | p[3]);  // network order
  if (family == kLinuxAfInet && n >= 8) {
    b.sockinet32(kBsmPfInet, port, std::span<const uint8_t, 4>(p + 4, 4));
  } else if (family == kLinuxAfInet6 && n >= 24) {
    b.sockinet128(kBsmPfInet6, port, std::span<const uint8_t, 16>(p + 8, 16));
  } else if (family == kLinuxAfUnix && n >= 2) {
    std::string_view path(bytes->data() + 2, n - 2);
    // Abstract sockets start with a NUL; show them as "@name", as ss(8) does.
    const bool abstract = !path.empty() && path[0] == '\0';
    if (abstract) path.remove_prefix(1);
    path = path.substr(0, path.find('\0'));
    b.sockunix(kBsmPfLocal, abstract ? "@" + std::string(path) : std::string(path));
  } else {
    note_unused("SOCKADDR (family " + std::to_string(family) + ")");
  }
}

// ---- syscall events ---------------------------------------------------

void add_arguments(bsm::RecordBuilder& b, const ParsedRecord& syscall, const SyscallRow& row) {
  for (const ArgSpec& spec : row.args) {
    if (spec.linux_arg < 0) continue;
    auto value = hex_field(syscall, "a" + std::to_string(spec.linux_arg));
    if (!value) continue;
    if (spec.wide) {
      b.arg64(spec.bsm_number, *value, spec.description);
    } else {
      b.arg32(spec.bsm_number, static_cast<uint32_t>(*value), spec.description);
    }
  }
}

void add_open_arguments(bsm::RecordBuilder& b, const ParsedRecord& syscall, const SyscallRow& row, uint64_t flags) {
  b.arg32(2, static_cast<uint32_t>(flags), "flags");
  if (!(flags & kLinuxOCreat)) return;
  auto mode = hex_field(syscall, "a" + std::to_string(open_flags_arg(row) + 1));
  if (mode) b.arg32(3, static_cast<uint32_t>(*mode), "mode");
}

void add_exec_arguments(bsm::RecordBuilder& b, const EventParts& parts) {
  if (parts.execve.empty()) return;
  const std::vector<std::string> args = exec_arguments(parts.execve);
  std::vector<std::string_view> views(args.begin(), args.end());
  b.exec_args(views);
}

void add_shape_tokens(bsm::RecordBuilder& b, const EventParts& parts, const SyscallRow& row) {
  const ParsedRecord& syscall = *parts.syscall;
  if (row.shape == Shape::Exit) {
    b.exit_token(static_cast<uint32_t>(hex_field(syscall, "a0").value_or(0)), 0);
  } else if (row.shape == Shape::Fork && raw_field(syscall, "success").value_or("") == "yes") {
    auto child = parse_signed(raw_field(syscall, "exit").value_or(""));
    if (child) b.arg32(0, static_cast<uint32_t>(*child), "child PID");
  }
}

// Kernel standalone records (LOGIN, CONFIG_CHANGE): what they changed, as text.
void add_kernel_tokens(bsm::RecordBuilder& b, const ParsedRecord& kernel, std::string_view body) {
  if (kernel.row.name == "LOGIN") {
    const uint32_t auid = id_field(kernel, "auid");
    if (auid != kUnknownId || raw_field(kernel, "auid")) b.arg32(1, auid, "setauid");
  }
  std::string text = std::string(kernel.row.name) + " " + std::string(body);
  b.text(std::string_view(text).substr(0, kMaxTextLength));
}

struct SyscallChoice {
  const SyscallRow* row = nullptr;
  std::string name;
  std::string skip_reason;
};

SyscallChoice choose_syscall(const ParsedRecord& syscall) {
  SyscallChoice choice;
  auto arch = hex_field(syscall, "arch");
  auto number = parse_unsigned(raw_field(syscall, "syscall").value_or(""), 10);
  if (!arch || !number) {
    choice.skip_reason = "SYSCALL without arch or syscall number";
    return choice;
  }
  const int machine = audit_elf_to_machine(static_cast<unsigned>(*arch));
  if (machine < 0) {
    choice.skip_reason = "unsupported arch";
    return choice;
  }
  const char* name = *number <= INT32_MAX ? audit_syscall_to_name(static_cast<int>(*number), machine) : nullptr;
  if (!name) {
    choice.skip_reason = "unknown syscall number";
    return choice;
  }
  choice.name = name;
  choice.row = find_syscall(choice.name);
  if (!choice.row) choice.skip_reason = "no BSM event for syscall " + choice.name;
  return choice;
}

std::string_view body_of(const PendingEvent& event, const EventParts& parts, const ParsedRecord* r) {
  const size_t index = static_cast<size_t>(r - parts.records.data());
  return event.records[index].body;
}

void note_unused_aux(const EventParts& parts, const std::function<void(std::string_view)>& note_unused) {
  for (const ParsedRecord& r : parts.records) {
    const bool carried = r.row.role == RecordRole::Syscall || r.row.role == RecordRole::Eoe ||
                         r.row.role == RecordRole::Kernel || r.row.name == "EXECVE" || r.row.name == "PATH" ||
                         r.row.name == "CWD" || r.row.name == "SOCKADDR";
    if (!carried) note_unused(r.row.name);
  }
}

BuildOutcome build_syscall(const PendingEvent& event, const EventParts& parts, const TranslateOptions& options,
                           bsm::RecordBuilder& b, const std::function<void(std::string_view)>& note_unused) {
  const ParsedRecord& syscall = *parts.syscall;
  SyscallChoice choice = choose_syscall(syscall);
  if (!choice.row && !parts.kernel) return {false, choice.skip_reason};
  const SyscallRow* row = choice.row;
  uint16_t aue = parts.kernel ? parts.kernel->row.event : row->event;
  const uint64_t flags =
      row && row->shape == Shape::Open ? hex_field(syscall, "a" + std::to_string(open_flags_arg(*row))).value_or(0) : 0;
  if (!parts.kernel && row->shape == Shape::Open) aue = open_event(row->event, flags);

  begin_header(b, options, aue, event.stamp);
  if (parts.kernel) {
    add_kernel_tokens(b, *parts.kernel, body_of(event, parts, parts.kernel));
  } else {
    add_arguments(b, syscall, *row);
    if (row->shape == Shape::Open) add_open_arguments(b, syscall, *row, flags);
  }
  add_paths(b, parts, relative_to_cwd(syscall, choice.name));
  if (row && row->shape == Shape::Exec) add_exec_arguments(b, parts);
  const uint32_t arch = static_cast<uint32_t>(hex_field(syscall, "arch").value_or(kAuditArchLittleEndian));
  add_sockaddr(b, parts, (arch & kAuditArchLittleEndian) != 0, note_unused);
  if (row && !parts.kernel) add_shape_tokens(b, parts, *row);
  b.subject32_ex(subject_from(syscall));
  syscall_return(b, syscall);
  note_unused_aux(parts, note_unused);
  return {true, {}};
}

// ---- standalone records -------------------------------------------------

bool run_by_sshd(const ParsedRecord& r) {
  const std::string exe = decoded_field(r, "exe");
  const size_t slash = exe.rfind('/');
  return std::string_view(exe).substr(slash == std::string::npos ? 0 : slash + 1).starts_with("sshd");
}

BuildOutcome build_message(const PendingEvent& event, const EventParts& parts, const ParsedRecord& r,
                           const TranslateOptions& options, bsm::RecordBuilder& b) {
  if (r.row.event == 0) return {false, "no BSM event for record type " + std::string(r.row.name)};
  const uint16_t aue = r.row.ssh_event && run_by_sshd(r) ? r.row.ssh_event : r.row.event;
  begin_header(b, options, aue, event.stamp);
  if (r.row.role == RecordRole::Kernel) {
    add_kernel_tokens(b, r, body_of(event, parts, &r));
  } else {
    auto msg = raw_field(r, "msg");
    std::string text = std::string(r.row.name) + " " + std::string(msg ? unquote(*msg) : body_of(event, parts, &r));
    b.text(std::string_view(text).substr(0, kMaxTextLength));
  }
  bsm::Subject subject = subject_from(r);
  if (r.row.role == RecordRole::Kernel) {
    // LOGIN names the auid and session being replaced; the actor held those.
    if (raw_field(r, "old-auid")) subject.auid = id_field(r, "old-auid");
    if (raw_field(r, "old-ses")) subject.sid = id_field(r, "old-ses");
  }
  set_terminal_address(subject, r);
  b.subject32_ex(subject);
  message_return(b, r);
  return {true, {}};
}

}  // namespace

std::string absolute_path(std::string_view cwd, std::string_view name) {
  std::string joined =
      name.starts_with('/') || cwd.empty() ? std::string(name) : std::string(cwd) + "/" + std::string(name);
  std::string out;
  out.reserve(joined.size());
  size_t pos = 0;
  while (pos <= joined.size()) {
    size_t end = joined.find('/', pos);
    if (end == std::string::npos) end = joined.size();
    std::string_view part(joined.data() + pos, end - pos);
    if (pos == 0 && !joined.starts_with('/')) {
      out.append(part);  // a relative name with no cwd stays relative
    } else if (!part.empty() && part != ".") {
      out.append("/").append(part);
    }
    pos = end + 1;
  }
  if (out.empty()) out = joined.starts_with('/') ? "/" : std::string(name);
  return out;
}

std::vector<std::string> exec_arguments(std::span<const std::span<const Field>> execve_records) {
  std::vector<std::string> args;
  size_t total = 0;
  for (std::span<const Field> fields : execve_records) {
    for (const Field& f : fields) {
      // Keys: aN (whole argument) or aN[i] (chunk i of a long one); argc and
      // aN_len are only hints.
      if (f.key.size() < 2 || f.key[0] != 'a' || f.key.ends_with("_len")) continue;
      const size_t bracket = f.key.find('[');
      auto index = parse_unsigned(f.key.substr(1, bracket == std::string_view::npos ? f.key.npos : bracket - 1), 10);
      if (!index || *index >= kMaxExecArgs) continue;
      auto value = decode_value(f.value);
      std::string text = value ? *value : std::string();
      text = text.substr(0, text.find('\0'));  // argv strings end at NUL
      if (total + text.size() > kMaxEventBytes) continue;
      total += text.size();
      if (args.size() <= *index) args.resize(*index + 1);
      args[*index] += text;
    }
  }
  return args;
}

BuildOutcome build_event(const PendingEvent& event, const TranslateOptions& options, bsm::RecordBuilder& builder,
                         const std::function<void(std::string_view)>& note_unused) {
  const EventParts parts = parse_event(event);
  if (parts.syscall) return build_syscall(event, parts, options, builder, note_unused);
  if (parts.kernel) return build_message(event, parts, *parts.kernel, options, builder);
  if (parts.user) return build_message(event, parts, *parts.user, options, builder);
  if (parts.other) return {false, "no BSM event for record type " + std::string(parts.other->row.name)};
  if (!parts.records.empty() && parts.records.front().row.role == RecordRole::Eoe)
    return {false, "EOE without records"};
  return {false, "auxiliary record " + std::string(parts.records.front().row.name) + " without SYSCALL"};
}

}  // namespace bullion::linuxaudit

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
  std::string_view body;
};

// The parts of an event, found once. Every record is either carried by a
// token made for it or, at the end, written whole as a text token; `used`
// says which are done.
struct EventParts {
  std::vector<ParsedRecord> records;
  mutable std::vector<bool> used;
  const ParsedRecord* syscall = nullptr;
  const ParsedRecord* kernel = nullptr;  // LOGIN, CONFIG_CHANGE
  const ParsedRecord* user = nullptr;    // USER_* and friends
  const ParsedRecord* other = nullptr;   // AVC, SECCOMP ... (context of a SYSCALL)
  const ParsedRecord* cwd = nullptr;
  const ParsedRecord* sockaddr = nullptr;
  const ParsedRecord* openat2 = nullptr;
  std::vector<const ParsedRecord*> paths;
  std::vector<const ParsedRecord*> execve_records;
  std::vector<std::span<const Field>> execve;

  size_t index(const ParsedRecord* r) const { return static_cast<size_t>(r - records.data()); }
  void use(const ParsedRecord* r) const {
    if (r) used[index(r)] = true;
  }
};

using NoteUnused = std::function<void(std::string_view)>;

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
  if (row.name == "OPENAT2" && !parts.openat2) parts.openat2 = &record;
  if (row.name == "PATH") parts.paths.push_back(&record);
  if (row.name == "EXECVE") {
    parts.execve.push_back(record.fields);
    parts.execve_records.push_back(&record);
  }
}

EventParts parse_event(const PendingEvent& event) {
  EventParts parts;
  parts.records.reserve(event.records.size());
  for (const StoredRecord& stored : event.records) {
    ParsedRecord parsed{record_type(stored.type), {}, stored.body};
    split_fields(stored.body, parsed.fields);
    parts.records.push_back(std::move(parsed));
  }
  parts.used.assign(parts.records.size(), false);
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

void add_text(bsm::RecordBuilder& b, std::string_view text) { b.text(text.substr(0, kMaxTextLength)); }

// The Linux serial, so a BSM record can be matched back to its audit.log
// lines and gaps in a live stream can be seen. BSM's sequence token is 32
// bits; a larger serial is also written whole as text.
void add_serial(bsm::RecordBuilder& b, const Stamp& stamp) {
  b.seq(static_cast<uint32_t>(stamp.serial));
  if (stamp.serial > UINT32_MAX) add_text(b, "serial=" + std::to_string(stamp.serial));
}

// Every record nothing else carried, whole: "TYPE fields".
void add_leftover_records(bsm::RecordBuilder& b, const EventParts& parts) {
  for (size_t i = 0; i < parts.records.size(); ++i) {
    const ParsedRecord& r = parts.records[i];
    if (parts.used[i] || r.row.role == RecordRole::Eoe) continue;
    std::string_view body = r.body;
    while (!body.empty() && body.front() == ' ') body.remove_prefix(1);
    add_text(b, std::string(r.row.name) + " " + std::string(body));
    parts.used[i] = true;
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

bool relative_to_cwd(const ParsedRecord* syscall, std::string_view syscall_name) {
  if (!syscall) return true;
  for (int8_t arg : dirfd_args(syscall_name)) {
    const std::string key = "a" + std::to_string(arg);
    auto fd = hex_field(*syscall, key);
    if (!fd || (*fd & 0xffffffff) != kLinuxAtFdcwd) return false;
  }
  return true;
}

// Parent directories dropped as objects are still carried: their PATH
// records stay unused and are written whole as text at the end.
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
    parts.use(item.record);
  }
  if (parts.cwd && !parts.paths.empty()) parts.use(parts.cwd);
}

// ---- socket address ---------------------------------------------------

constexpr uint16_t kLinuxAfNetlink = 16;

void add_sockaddr(bsm::RecordBuilder& b, const EventParts& parts, bool little_endian) {
  if (!parts.sockaddr) return;
  parts.use(parts.sockaddr);
  const std::string_view saddr = raw_field(*parts.sockaddr, "saddr").value_or("");
  auto bytes = decode_hex(saddr);
  const auto* p = bytes ? reinterpret_cast<const uint8_t*>(bytes->data()) : nullptr;
  const size_t n = bytes ? bytes->size() : 0;
  auto u16 = [&](size_t at) {
    return static_cast<uint16_t>(little_endian ? (p[at] | p[at + 1] << 8) : (p[at] << 8 | p[at + 1]));
  };
  auto u32 = [&](size_t at) {
    return little_endian ? (p[at] | p[at + 1] << 8 | p[at + 2] << 16 | static_cast<uint32_t>(p[at + 3]) << 24)
                         : (static_cast<uint32_t>(p[at]) << 24 | p[at + 1] << 16 | p[at + 2] << 8 | p[at + 3]);
  };
  const uint16_t family = n < 2 ? 0 : u16(0);
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
  } else if (family == kLinuxAfNetlink && n >= 12) {
    // struct sockaddr_nl: family, pad, port id (pid), multicast groups.
    add_text(b, "netlink pid=" + std::to_string(u32(4)) + " groups=" + std::to_string(u32(8)));
  } else {
    // BSM has no token for the family: the address as the kernel gave it.
    add_text(b, "sockaddr family=" + std::to_string(family) + " saddr=" + std::string(saddr));
  }
}

// ---- syscall events ---------------------------------------------------

void add_arguments(bsm::RecordBuilder& b, const ParsedRecord& syscall, const SyscallRow* row) {
  const bool described =
      row && std::any_of(row->args.begin(), row->args.end(), [](const ArgSpec& spec) { return spec.linux_arg >= 0; });
  if (!described) {
    // No row says what the arguments mean: all four raw, so nothing is lost.
    if (row && row->shape != Shape::Plain) return;
    for (uint8_t i = 0; i < 4; ++i) {
      const std::string key = "a" + std::to_string(i);
      if (auto value = hex_field(syscall, key)) b.arg64(static_cast<uint8_t>(i + 1), *value, key);
    }
    return;
  }
  for (const ArgSpec& spec : row->args) {
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

// Open flags: a1/a2 of open/openat; openat2 passes a struct the kernel
// shows in an OPENAT2 record (oflag, mode, resolve).
struct OpenFlags {
  uint64_t flags = 0;
  std::optional<uint64_t> mode;
  std::optional<uint64_t> resolve;
};

OpenFlags open_flags(const EventParts& parts, const SyscallRow& row) {
  OpenFlags out;
  const ParsedRecord& syscall = *parts.syscall;
  if (row.name == "openat2") {
    if (!parts.openat2) return out;
    parts.use(parts.openat2);
    out.flags = parse_unsigned(raw_field(*parts.openat2, "oflag").value_or(""), 8).value_or(0);
    out.mode = parse_unsigned(raw_field(*parts.openat2, "mode").value_or(""), 8);
    std::string_view resolve = raw_field(*parts.openat2, "resolve").value_or("");
    if (resolve.starts_with("0x")) resolve.remove_prefix(2);
    out.resolve = parse_unsigned(resolve, 16);
    return out;
  }
  const int arg = open_flags_arg(row);
  out.flags = hex_field(syscall, "a" + std::to_string(arg)).value_or(0);
  out.mode = hex_field(syscall, "a" + std::to_string(arg + 1));
  return out;
}

void add_open_arguments(bsm::RecordBuilder& b, const OpenFlags& open) {
  b.arg32(2, static_cast<uint32_t>(open.flags), "flags");
  if ((open.flags & kLinuxOCreat) && open.mode) b.arg32(3, static_cast<uint32_t>(*open.mode), "mode");
  if (open.resolve) b.arg64(4, *open.resolve, "resolve");
}

void add_exec_arguments(bsm::RecordBuilder& b, const EventParts& parts) {
  if (parts.execve.empty()) return;
  const std::vector<std::string> args = exec_arguments(parts.execve);
  std::vector<std::string_view> views(args.begin(), args.end());
  b.exec_args(views);
  for (const ParsedRecord* r : parts.execve_records) parts.use(r);
}

void add_shape_tokens(bsm::RecordBuilder& b, const ParsedRecord& syscall, const SyscallRow& row) {
  if (row.shape == Shape::Exit) {
    b.exit_token(static_cast<uint32_t>(hex_field(syscall, "a0").value_or(0)), 0);
  } else if (row.shape == Shape::Fork && raw_field(syscall, "success").value_or("") == "yes") {
    auto child = parse_signed(raw_field(syscall, "exit").value_or(""));
    if (child) b.arg32(0, static_cast<uint32_t>(*child), "child PID");
  }
}

// Targets of signals and ptrace (OBJ_PID): process tokens, as BSD writes
// for kill(2); the target's command and label follow as text.
void add_target_processes(bsm::RecordBuilder& b, const EventParts& parts) {
  for (const ParsedRecord& r : parts.records) {
    if (r.row.name != "OBJ_PID") continue;
    bsm::Subject target;
    target.auid = id_field(r, "oauid");
    target.euid = target.ruid = id_field(r, "ouid");
    target.pid = id_field(r, "opid");
    target.sid = id_field(r, "oses");
    b.process32_ex(target);
    std::string text = "target comm=" + decoded_field(r, "ocomm");
    if (auto obj = raw_field(r, "obj")) text += " obj=" + std::string(unquote(*obj));
    add_text(b, text);
    parts.use(&r);
  }
}

// PROCTITLE holds the command line with NULs between arguments.
void add_proctitle(bsm::RecordBuilder& b, const EventParts& parts) {
  for (const ParsedRecord& r : parts.records) {
    if (r.row.name != "PROCTITLE") continue;
    std::string title = decoded_field(r, "proctitle");
    while (!title.empty() && title.back() == '\0') title.pop_back();
    std::replace(title.begin(), title.end(), '\0', ' ');
    add_text(b, "proctitle=" + title);
    parts.use(&r);
  }
}

void add_module_name(bsm::RecordBuilder& b, const EventParts& parts) {
  for (const ParsedRecord& r : parts.records) {
    if (r.row.name != "KERN_MODULE") continue;
    add_text(b, "module=" + decoded_field(r, "name"));
    parts.use(&r);
  }
}

// SYSCALL fields BSM's subject has no place for, one text token each.
void add_syscall_context(bsm::RecordBuilder& b, const ParsedRecord& syscall) {
  // Numbers as written (a bare "10" would otherwise read as hex bytes).
  for (std::string_view key : {"ppid", "suid", "fsuid", "sgid", "fsgid"}) {
    if (auto raw = raw_field(syscall, key)) add_text(b, std::string(key) + "=" + std::string(*raw));
  }
  for (std::string_view key : {"tty", "comm", "exe", "subj", "key"}) {
    auto raw = raw_field(syscall, key);
    if (!raw) continue;
    auto value = decode_value(*raw);  // (null) and (none) say "nothing"
    if (!value) continue;
    add_text(b, std::string(key) + "=" + *value);
  }
}

struct SyscallChoice {
  const SyscallRow* row = nullptr;
  std::string name;
  std::string unknown;  // why no row: the text written instead
};

SyscallChoice choose_syscall(const ParsedRecord& syscall) {
  SyscallChoice choice;
  auto arch = hex_field(syscall, "arch");
  auto number = parse_unsigned(raw_field(syscall, "syscall").value_or(""), 10);
  const std::string number_text = "syscall=" + std::string(raw_field(syscall, "syscall").value_or("?"));
  const int machine = arch ? audit_elf_to_machine(static_cast<unsigned>(*arch)) : -1;
  const std::optional<std::string_view> name = machine >= 0 && number ? syscall_name(machine, *number) : std::nullopt;
  if (!name) {
    choice.unknown = number_text;
    return choice;
  }
  choice.name = *name;
  choice.row = find_syscall(choice.name);
  if (!choice.row) choice.unknown = number_text + " (" + choice.name + ")";
  return choice;
}

void build_syscall(const PendingEvent& event, const EventParts& parts, const TranslateOptions& options,
                   bsm::RecordBuilder& b) {
  const ParsedRecord& syscall = *parts.syscall;
  parts.use(&syscall);
  const SyscallChoice choice = choose_syscall(syscall);
  const SyscallRow* row = choice.row;
  OpenFlags open;
  uint16_t aue = row ? row->event : kAueLinuxUnknownSyscall;
  if (row && row->shape == Shape::Open) {
    open = open_flags(parts, *row);
    aue = open_event(row->event, open.flags);
  }
  begin_header(b, options, aue, event.stamp);
  if (!row) {
    add_text(b, choice.unknown);
    add_text(b, "arch=" + std::string(raw_field(syscall, "arch").value_or("?")));
  }
  add_arguments(b, syscall, row);
  if (row && row->shape == Shape::Open) add_open_arguments(b, open);
  add_paths(b, parts, relative_to_cwd(&syscall, choice.name));
  if (row && row->shape == Shape::Exec) add_exec_arguments(b, parts);
  const uint32_t arch = static_cast<uint32_t>(hex_field(syscall, "arch").value_or(kAuditArchLittleEndian));
  add_sockaddr(b, parts, (arch & kAuditArchLittleEndian) != 0);
  if (row) add_shape_tokens(b, syscall, *row);
  add_target_processes(b, parts);
  add_proctitle(b, parts);
  add_module_name(b, parts);
  add_syscall_context(b, syscall);
  add_leftover_records(b, parts);
  b.subject32_ex(subject_from(syscall));
  syscall_return(b, syscall);
  add_serial(b, event.stamp);
}

// ---- records that are the event themselves -----------------------------

bool run_by_sshd(const ParsedRecord& r) {
  const std::string exe = decoded_field(r, "exe");
  const size_t slash = exe.rfind('/');
  return std::string_view(exe).substr(slash == std::string::npos ? 0 : slash + 1).starts_with("sshd");
}

// The record's own tokens: what the type carries, then its text.
void add_record_tokens(bsm::RecordBuilder& b, const EventParts& parts, const ParsedRecord& r) {
  if (r.row.name == "LOGIN") {
    const uint32_t auid = id_field(r, "auid");
    if (auid != kUnknownId || raw_field(r, "auid")) b.arg32(1, auid, "setauid");
  }
  if (r.row.name == "EXECVE") add_exec_arguments(b, parts);
  if (r.row.name == "PATH" || r.row.name == "CWD") add_paths(b, parts, true);
  if (r.row.name == "SOCKADDR") add_sockaddr(b, parts, true);
  if (r.row.role == RecordRole::UserMessage) {
    // The message proper is msg='...'; the outer fields are the subject.
    auto msg = raw_field(r, "msg");
    add_text(b, std::string(r.row.name) + " " + std::string(msg ? unquote(*msg) : r.body));
    if (auto subj = raw_field(r, "subj")) add_text(b, "subj=" + std::string(unquote(*subj)));
    parts.use(&r);
  }
  // Anything else (LOGIN, AVC, SECCOMP ...) is written whole with the leftovers.
}

void standalone_return(bsm::RecordBuilder& b, const ParsedRecord& r) {
  if (raw_field(r, "success") || raw_field(r, "exit")) return syscall_return(b, r);  // URINGOP
  message_return(b, r);
}

void build_standalone(const PendingEvent& event, const EventParts& parts, const ParsedRecord& r,
                      const TranslateOptions& options, bsm::RecordBuilder& b) {
  const uint16_t aue = r.row.ssh_event && run_by_sshd(r) ? r.row.ssh_event : r.row.event;
  begin_header(b, options, aue, event.stamp);
  add_record_tokens(b, parts, r);
  const ParsedRecord* syscall = parts.syscall;
  if (syscall) {
    // The record was written during a syscall (LOGIN by a write to
    // loginuid, a user message by sendto): that call's parts come too.
    parts.use(syscall);
    add_paths(b, parts, true);
    add_sockaddr(b, parts, true);
    add_syscall_context(b, *syscall);
  }
  add_leftover_records(b, parts);
  bsm::Subject subject = subject_from(r);
  if (r.row.role == RecordRole::Kernel && syscall) {
    subject = subject_from(*syscall);
  } else if (r.row.role == RecordRole::Kernel) {
    // LOGIN names the auid and session being replaced; the actor held those.
    if (raw_field(r, "old-auid")) subject.auid = id_field(r, "old-auid");
    if (raw_field(r, "old-ses")) subject.sid = id_field(r, "old-ses");
  }
  set_terminal_address(subject, r);
  b.subject32_ex(subject);
  if (r.row.role == RecordRole::Kernel && syscall) {
    syscall_return(b, *syscall);
  } else {
    standalone_return(b, r);
  }
  add_serial(b, event.stamp);
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
  (void)note_unused;  // every record is carried now, at worst as text
  const EventParts parts = parse_event(event);
  // Which record is the event: a kernel or user-space message wins over the
  // SYSCALL it was written in; AVC and friends are context of a SYSCALL.
  const ParsedRecord* winner = parts.kernel ? parts.kernel : parts.user;
  if (!winner && parts.syscall) {
    build_syscall(event, parts, options, builder);
    return {true, {}};
  }
  if (!winner) winner = parts.other;
  if (!winner && !parts.records.empty()) winner = &parts.records.front();  // a lone EXECVE, PATH, EOE ...
  if (!winner) return {false, "empty event"};
  build_standalone(event, parts, *winner, options, builder);
  return {true, {}};
}

}  // namespace bullion::linuxaudit

// The Linux audit -> BSM mapping, as tables (docs/linux.md shows them):
//   syscall name  -> AUE event, argument tokens, how the record is shaped
//   record type   -> role in an event (and AUE event for standalone records)
//   Linux errno   -> BSM errno (OpenBSM's audit_errno.h numbering)
//
// Syscalls are keyed by name, not number: libaudit turns (arch, number)
// into a name for every architecture it knows (x86_64, i386, aarch64, arm,
// ppc, s390 ...), so one row serves all of them and the x86_64 numbers need
// not be repeated here (a self-test checks them).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace bullion::linuxaudit {

// How the syscall's record is built beyond the common tokens.
enum class Shape : uint8_t {
  Plain,  // argument tokens, paths, sockaddr as present
  Exec,   // + exec_args from EXECVE records
  Open,   // event chosen by the open flags (see open_event)
  Exit,   // + exit token (status from a0); exit_group has no success field
  Fork,   // + arg32(0, "child PID") from the return value
};

// One argument token: Linux argument a<linux_arg> becomes arg32/arg64
// number `bsm_number` with `description` (FreeBSD's wording where it has one).
struct ArgSpec {
  int8_t linux_arg = -1;  // 0..3 (audit records a0..a3 only); -1 = unused slot
  uint8_t bsm_number = 0;
  bool wide = false;  // arg64 (lengths) instead of arg32
  std::string_view description;
};

struct SyscallRow {
  std::string_view name;        // libaudit's syscall name
  uint16_t event;               // AUE number; for Shape::Open the O_RDONLY base
  std::string_view event_name;  // AUE name beside it, for readers and self-tests
  Shape shape;
  std::array<ArgSpec, 3> args;
};

const SyscallRow* find_syscall(std::string_view name);
std::span<const SyscallRow> syscall_rows();

// The syscall's name on a libaudit machine (MACH_86_64 ...): libaudit's
// table, then ours for numbers newer than the installed libaudit knows.
std::optional<std::string_view> syscall_name(int machine, uint64_t number);

// Our reserved events (src/tables/builtin_linux_audit_event.inc).
inline constexpr uint16_t kAueLinuxUnknownSyscall = 48000;  // no table row: name and number as text
inline constexpr uint16_t kAueLinuxUnknownRecord = 48001;   // record type outside 1000-2999
inline constexpr uint16_t kAueLinuxLost = 48002;            // a `lost=N` record
// A record type T in 1000-2999 without a BSD event is event 48000 + T.
inline constexpr uint16_t kLinuxRecordEventBase = 48000;
inline constexpr int kFirstLinuxRecordType = 1000, kLastLinuxRecordType = 2999;

// Event for an open-family call: `base` is AUE_OPEN_R (72) or AUE_OPENAT_R
// (270); the offset follows OpenBSM's R, RC, RT, RTC, W, WC ... RWTC order.
uint16_t open_event(uint16_t base, uint64_t linux_flags);
inline constexpr uint64_t kLinuxOCreat = 0100;
// The argument holding the open flags for a Shape::Open row (open: a1,
// openat: a2); the mode follows it.
int open_flags_arg(const SyscallRow& row);

// Arguments of a *at call that hold directory descriptors (renameat and
// linkat have two). A relative name is made absolute with the CWD record
// only when every one of them is AT_FDCWD.
std::span<const int8_t> dirfd_args(std::string_view syscall_name);
inline constexpr uint32_t kLinuxAtFdcwd = 0xffffff9c;  // -100 as the low 32 bits

enum class RecordRole : uint8_t {
  Syscall,      // SYSCALL: the event's syscall, subject and return
  Aux,          // EXECVE, PATH, CWD, SOCKADDR, PROCTITLE ... parts of an event
  Eoe,          // end of event
  Kernel,       // kernel standalone record (LOGIN, CONFIG_CHANGE): may gain a SYSCALL
  UserMessage,  // user-space message: one record is the whole event
  Other,        // AVC, ANOM_*, ...: aux beside a SYSCALL, no event on its own
};

struct RecordTypeRow {
  uint16_t type;
  std::string_view name;
  RecordRole role;
  uint16_t event;  // the record's event when it stands alone
  std::string_view event_name;
  uint16_t ssh_event;  // used instead when the program is sshd (0 = none)
};

// Row for a type number; for numbers not in the table a row built from the
// number's range (the name then comes from libaudit, or "UNKNOWN[n]").
RecordTypeRow record_type(int type);
// Type number for a log's type name ("SYSCALL", "UNKNOWN[1334]"); -1 if unknown.
int record_type_number(std::string_view name);
std::span<const RecordTypeRow> record_type_rows();

struct ErrnoRow {
  uint16_t linux_errno;
  uint8_t bsm_errno;
  std::string_view name;
};
inline constexpr uint8_t kBsmErrnoUnknown = 250;  // BSM_ERRNO_UNKNOWN
uint8_t bsm_errno(uint64_t linux_errno);
std::span<const ErrnoRow> errno_rows();

// The syscall, record type and errno tables as Markdown (docs/linux.md).
std::string mapping_tables_markdown();

// Linux address families (same on every architecture).
inline constexpr uint16_t kLinuxAfUnix = 1, kLinuxAfInet = 2, kLinuxAfInet6 = 10;
// BSM domain numbers written in socket tokens (OpenBSM's audit_domain.h).
inline constexpr uint16_t kBsmPfLocal = 1, kBsmPfInet = 2, kBsmPfInet6 = 26;

}  // namespace bullion::linuxaudit

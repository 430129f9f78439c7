// The mapping tables. AUE numbers are OpenBSM's (sys/bsm/audit_kevents.h,
// etc/audit_event); errno numbers are Linux's asm-generic/errno*.h on the
// left and OpenBSM's sys/bsm/audit_errno.h on the right. Argument numbers
// and descriptions follow FreeBSD's kernel records where it has the call.
#include "linux/mapping.h"

#include <libaudit.h>

#include <algorithm>
#include <string>

namespace bullion::linuxaudit {
namespace {

using S = Shape;
constexpr ArgSpec A(int8_t linux_arg, uint8_t number, std::string_view description) {
  return {linux_arg, number, false, description};
}
constexpr ArgSpec Wide(int8_t linux_arg, uint8_t number, std::string_view description) {
  return {linux_arg, number, true, description};
}

// Sorted by name (find_syscall uses binary search; a self-test checks order).
constexpr SyscallRow kSyscalls[] = {
    {"accept", 33, "AUE_ACCEPT", S::Plain, {A(0, 1, "fd")}},
    {"accept4", 33, "AUE_ACCEPT", S::Plain, {A(0, 1, "fd")}},
    {"access", 14, "AUE_ACCESS", S::Plain, {A(1, 2, "mode")}},
    {"acct", 18, "AUE_ACCT", S::Plain, {}},
    {"adjtimex", 288, "AUE_NTP_ADJTIME", S::Plain, {}},
    {"bind", 34, "AUE_BIND", S::Plain, {A(0, 1, "fd")}},
    {"capset", 43080, "AUE_CAPSET", S::Plain, {}},
    {"chdir", 8, "AUE_CHDIR", S::Plain, {}},
    {"chmod", 10, "AUE_CHMOD", S::Plain, {A(1, 2, "new file mode")}},
    {"chown", 11, "AUE_CHOWN", S::Plain, {A(1, 2, "new file uid"), A(2, 3, "new file gid")}},
    {"chroot", 24, "AUE_CHROOT", S::Plain, {}},
    {"clock_settime", 287, "AUE_CLOCK_SETTIME", S::Plain, {A(0, 1, "clock_id")}},
    // clone is fork with flags, which is what rfork(2) is on the BSDs.
    {"clone", 43043, "AUE_RFORK", S::Fork, {A(0, 1, "flags")}},
    {"clone3", 43043, "AUE_RFORK", S::Fork, {}},
    {"close", 112, "AUE_CLOSE", S::Plain, {A(0, 1, "fd")}},
    {"connect", 32, "AUE_CONNECT", S::Plain, {A(0, 1, "fd")}},
    {"creat", 4, "AUE_CREAT", S::Plain, {A(1, 3, "mode")}},
    {"delete_module", 244, "AUE_MODUNLOAD", S::Plain, {}},
    {"dup2", 209, "AUE_DUP2", S::Plain, {A(0, 1, "from fd"), A(1, 2, "to fd")}},
    {"execve", 23, "AUE_EXECVE", S::Exec, {}},
    {"execveat", 43144, "AUE_FEXECVE", S::Exec, {A(0, 1, "fd")}},
    {"exit", 1, "AUE_EXIT", S::Exit, {}},
    {"exit_group", 1, "AUE_EXIT", S::Exit, {}},
    {"faccessat", 43145, "AUE_FACCESSAT", S::Plain, {A(2, 2, "mode")}},
    {"faccessat2", 43145, "AUE_FACCESSAT", S::Plain, {A(2, 2, "mode")}},
    {"fchdir", 68, "AUE_FCHDIR", S::Plain, {A(0, 1, "fd")}},
    {"fchmod", 39, "AUE_FCHMOD", S::Plain, {A(0, 1, "fd"), A(1, 2, "new file mode")}},
    {"fchmodat", 43146, "AUE_FCHMODAT", S::Plain, {A(2, 3, "new file mode")}},
    {"fchown", 38, "AUE_FCHOWN", S::Plain, {A(0, 1, "fd"), A(1, 2, "new file uid"), A(2, 3, "new file gid")}},
    {"fchownat", 284, "AUE_FCHOWNAT", S::Plain, {A(2, 3, "new file uid"), A(3, 4, "new file gid")}},
    {"finit_module", 243, "AUE_MODLOAD", S::Plain, {A(0, 1, "fd")}},
    {"flock", 45, "AUE_FLOCK", S::Plain, {A(0, 1, "fd"), A(1, 2, "operation")}},
    {"fork", 2, "AUE_FORK", S::Fork, {}},
    {"fsync", 43069, "AUE_FSYNC", S::Plain, {A(0, 1, "fd")}},
    {"ftruncate", 44, "AUE_FTRUNCATE", S::Plain, {A(0, 1, "fd"), Wide(1, 2, "length")}},
    {"init_module", 243, "AUE_MODLOAD", S::Plain, {}},
    {"ioctl", 158, "AUE_IOCTL", S::Plain, {A(0, 1, "fd"), A(1, 2, "cmd")}},
    {"ioperm", 43117, "AUE_IOPERM", S::Plain, {}},
    {"iopl", 43119, "AUE_IOPL", S::Plain, {A(0, 1, "level")}},
    {"kill", 15, "AUE_KILL", S::Plain, {A(0, 1, "process"), A(1, 2, "signal")}},
    {"lchown", 237, "AUE_LCHOWN", S::Plain, {A(1, 2, "new file uid"), A(2, 3, "new file gid")}},
    {"link", 5, "AUE_LINK", S::Plain, {}},
    {"linkat", 43147, "AUE_LINKAT", S::Plain, {}},
    {"listen", 43140, "AUE_LISTEN", S::Plain, {A(0, 1, "fd"), A(1, 2, "backlog")}},
    {"mkdir", 47, "AUE_MKDIR", S::Plain, {A(1, 2, "mode")}},
    {"mkdirat", 43148, "AUE_MKDIRAT", S::Plain, {A(2, 3, "mode")}},
    {"mknod", 9, "AUE_MKNOD", S::Plain, {A(1, 2, "mode"), A(2, 3, "dev")}},
    {"mknodat", 43150, "AUE_MKNODAT", S::Plain, {A(2, 3, "mode"), A(3, 4, "dev")}},
    {"mount", 62, "AUE_MOUNT", S::Plain, {A(3, 3, "flags")}},
    {"mprotect", 43010, "AUE_MPROTECT", S::Plain, {Wide(0, 1, "addr"), Wide(1, 2, "len"), A(2, 3, "prot")}},
    {"open", 72, "AUE_OPEN_R", S::Open, {}},
    {"openat", 270, "AUE_OPENAT_R", S::Open, {}},
    // openat2's flags sit in a struct the record does not show.
    {"openat2", 43184, "AUE_OPENAT", S::Plain, {}},
    {"personality", 43074, "AUE_PERSONALITY", S::Plain, {A(0, 1, "persona")}},
    {"pivot_root", 43081, "AUE_PIVOT_ROOT", S::Plain, {}},
    {"prctl", 43077, "AUE_PRCTL", S::Plain, {A(0, 1, "option")}},
    {"ptrace", 43002, "AUE_PTRACE", S::Plain, {A(0, 1, "request"), A(1, 2, "process")}},
    {"reboot", 20, "AUE_REBOOT", S::Plain, {A(2, 1, "howto")}},
    {"rename", 42, "AUE_RENAME", S::Plain, {}},
    {"renameat", 282, "AUE_RENAMEAT", S::Plain, {}},
    {"renameat2", 282, "AUE_RENAMEAT", S::Plain, {}},
    {"rmdir", 48, "AUE_RMDIR", S::Plain, {}},
    {"sendfile", 43054, "AUE_SENDFILE", S::Plain, {A(0, 1, "out fd"), A(1, 2, "in fd")}},
    {"sendmsg", 188, "AUE_SENDMSG", S::Plain, {A(0, 1, "fd"), A(2, 3, "flags")}},
    {"sendto", 184, "AUE_SENDTO", S::Plain, {A(0, 1, "fd"), A(3, 4, "flags")}},
    {"setdomainname", 59, "AUE_SETDOMAINNAME", S::Plain, {}},
    {"setfsgid", 43073, "AUE_SETFSGID", S::Plain, {A(0, 1, "gid")}},
    {"setfsuid", 43072, "AUE_SETFSUID", S::Plain, {A(0, 1, "uid")}},
    {"setgid", 205, "AUE_SETGID", S::Plain, {A(0, 1, "gid")}},
    {"setgroups", 26, "AUE_SETGROUPS", S::Plain, {A(0, 1, "setgroups")}},
    {"sethostname", 29, "AUE_SETHOSTNAME", S::Plain, {}},
    {"setpgid", 27, "AUE_SETPGRP", S::Plain, {A(0, 1, "pid"), A(1, 2, "pgid")}},
    {"setpriority", 31, "AUE_SETPRIORITY", S::Plain, {A(0, 1, "which"), A(1, 2, "who"), A(2, 3, "priority")}},
    {"setregid", 41, "AUE_SETREGID", S::Plain, {A(0, 1, "rgid"), A(1, 2, "egid")}},
    {"setresgid", 43059, "AUE_SETRESGID", S::Plain, {A(0, 1, "rgid"), A(1, 2, "egid"), A(2, 3, "sgid")}},
    {"setresuid", 43057, "AUE_SETRESUID", S::Plain, {A(0, 1, "ruid"), A(1, 2, "euid"), A(2, 3, "suid")}},
    {"setreuid", 40, "AUE_SETREUID", S::Plain, {A(0, 1, "ruid"), A(1, 2, "euid")}},
    {"setrlimit", 51, "AUE_SETRLIMIT", S::Plain, {A(0, 1, "resource")}},
    {"setsid", 43014, "AUE_SETSID", S::Plain, {}},
    {"setsockopt", 35, "AUE_SETSOCKOPT", S::Plain, {A(0, 1, "fd"), A(1, 2, "level"), A(2, 3, "optname")}},
    {"settimeofday", 37, "AUE_SETTIMEOFDAY", S::Plain, {}},
    {"setuid", 200, "AUE_SETUID", S::Plain, {A(0, 1, "uid")}},
    {"shutdown", 46, "AUE_SHUTDOWN", S::Plain, {A(0, 1, "fd"), A(1, 2, "how")}},
    {"socket", 183, "AUE_SOCKET", S::Plain, {A(0, 1, "domain"), A(1, 2, "type"), A(2, 3, "protocol")}},
    {"socketpair", 186, "AUE_SOCKETPAIR", S::Plain, {A(0, 1, "domain"), A(1, 2, "type"), A(2, 3, "protocol")}},
    {"swapoff", 43045, "AUE_SWAPOFF", S::Plain, {}},
    {"swapon", 28, "AUE_SWAPON", S::Plain, {A(1, 4, "swapflags")}},
    {"symlink", 21, "AUE_SYMLINK", S::Plain, {}},
    {"symlinkat", 43152, "AUE_SYMLINKAT", S::Plain, {}},
    {"tgkill", 15, "AUE_KILL", S::Plain, {A(1, 1, "process"), A(2, 2, "signal")}},
    {"tkill", 15, "AUE_KILL", S::Plain, {A(0, 1, "process"), A(1, 2, "signal")}},
    {"truncate", 43, "AUE_TRUNCATE", S::Plain, {Wide(1, 2, "length")}},
    {"umask", 43009, "AUE_UMASK", S::Plain, {A(0, 1, "new mask")}},
    {"umount", 12, "AUE_UMOUNT", S::Plain, {}},
    {"umount2", 12, "AUE_UMOUNT", S::Plain, {A(1, 2, "flags")}},
    {"unlink", 6, "AUE_UNLINK", S::Plain, {}},
    {"unlinkat", 286, "AUE_UNLINKAT", S::Plain, {A(2, 3, "flags")}},
    {"uselib", 43055, "AUE_USELIB", S::Plain, {}},
    {"utimensat", 285, "AUE_FUTIMESAT", S::Plain, {}},
    {"utimes", 49, "AUE_UTIMES", S::Plain, {}},
    {"vfork", 25, "AUE_VFORK", S::Fork, {}},
    {"write", 195, "AUE_WRITE", S::Plain, {A(0, 1, "fd")}},
};

using R = RecordRole;
// Record types with a fixed role. Types not listed get a role by range
// (default_row). Standalone events follow OpenBSM's user-space events.
constexpr RecordTypeRow kRecordTypes[] = {
    {1006, "LOGIN", R::Kernel, 131, "AUE_SETAUID", 0},
    {1100, "USER_AUTH", R::UserMessage, 45023, "AUE_auth_user", 0},
    {1101, "USER_ACCT", R::UserMessage, 45023, "AUE_auth_user", 0},
    {1102, "USER_MGMT", R::UserMessage, 6208, "AUE_modify_user", 0},
    {1103, "CRED_ACQ", R::UserMessage, 0, "", 0},
    {1104, "CRED_DISP", R::UserMessage, 0, "", 0},
    // PAM session open/close happens for cron jobs and su too; the login
    // itself is USER_LOGIN/USER_LOGOUT.
    {1105, "USER_START", R::UserMessage, 0, "", 0},
    {1106, "USER_END", R::UserMessage, 0, "", 0},
    {1108, "USER_CHAUTHTOK", R::UserMessage, 45014, "AUE_modify_password", 0},
    {1109, "USER_ERR", R::UserMessage, 45023, "AUE_auth_user", 0},
    {1110, "CRED_REFR", R::UserMessage, 0, "", 0},
    {1112, "USER_LOGIN", R::UserMessage, 6152, "AUE_login", 32800},
    {1113, "USER_LOGOUT", R::UserMessage, 6153, "AUE_logout", 0},
    {1114, "ADD_USER", R::UserMessage, 6207, "AUE_create_user", 0},
    {1115, "DEL_USER", R::UserMessage, 6209, "AUE_delete_user", 0},
    {1116, "ADD_GROUP", R::UserMessage, 45015, "AUE_create_group", 0},
    {1117, "DEL_GROUP", R::UserMessage, 45016, "AUE_delete_group", 0},
    {1123, "USER_CMD", R::UserMessage, 45028, "AUE_sudo", 0},
    {1127, "SYSTEM_BOOT", R::UserMessage, 113, "AUE_SYSTEMBOOT", 0},
    {1128, "SYSTEM_SHUTDOWN", R::UserMessage, 6168, "AUE_shutdown", 0},
    {1132, "GRP_MGMT", R::UserMessage, 45017, "AUE_modify_group", 0},
    {1133, "GRP_CHAUTHTOK", R::UserMessage, 45017, "AUE_modify_group", 0},
    {1135, "ACCT_LOCK", R::UserMessage, 6210, "AUE_disable_user", 0},
    {1136, "ACCT_UNLOCK", R::UserMessage, 6211, "AUE_enable_user", 0},
    {1200, "DAEMON_START", R::UserMessage, 45000, "AUE_audit_startup", 0},
    {1201, "DAEMON_END", R::UserMessage, 45001, "AUE_audit_shutdown", 0},
    {1202, "DAEMON_ABORT", R::UserMessage, 45001, "AUE_audit_shutdown", 0},
    {1300, "SYSCALL", R::Syscall, 0, "", 0},
    {1302, "PATH", R::Aux, 0, "", 0},
    {1305, "CONFIG_CHANGE", R::Kernel, 138, "AUE_AUDITON", 0},
    {1306, "SOCKADDR", R::Aux, 0, "", 0},
    {1307, "CWD", R::Aux, 0, "", 0},
    {1309, "EXECVE", R::Aux, 0, "", 0},
    {1320, "EOE", R::Eoe, 0, "", 0},
    // Standalone kernel records numbered in the event-part range.
    {1325, "NETFILTER_CFG", R::Other, 0, "", 0},
    {1326, "SECCOMP", R::Other, 0, "", 0},
    {1327, "PROCTITLE", R::Aux, 0, "", 0},
    {1328, "FEATURE_CHANGE", R::Other, 0, "", 0},
    {1334, "BPF", R::Other, 0, "", 0},
    {1335, "EVENT_LISTENER", R::Other, 0, "", 0},
    {2300, "USER_ROLE_CHANGE", R::UserMessage, 6173, "AUE_role_login", 0},
};

constexpr ErrnoRow kErrnos[] = {
    {1, 1, "EPERM"},
    {2, 2, "ENOENT"},
    {3, 3, "ESRCH"},
    {4, 4, "EINTR"},
    {5, 5, "EIO"},
    {6, 6, "ENXIO"},
    {7, 7, "E2BIG"},
    {8, 8, "ENOEXEC"},
    {9, 9, "EBADF"},
    {10, 10, "ECHILD"},
    {11, 11, "EAGAIN"},
    {12, 12, "ENOMEM"},
    {13, 13, "EACCES"},
    {14, 14, "EFAULT"},
    {15, 15, "ENOTBLK"},
    {16, 16, "EBUSY"},
    {17, 17, "EEXIST"},
    {18, 18, "EXDEV"},
    {19, 19, "ENODEV"},
    {20, 20, "ENOTDIR"},
    {21, 21, "EISDIR"},
    {22, 22, "EINVAL"},
    {23, 23, "ENFILE"},
    {24, 24, "EMFILE"},
    {25, 25, "ENOTTY"},
    {26, 26, "ETXTBSY"},
    {27, 27, "EFBIG"},
    {28, 28, "ENOSPC"},
    {29, 29, "ESPIPE"},
    {30, 30, "EROFS"},
    {31, 31, "EMLINK"},
    {32, 32, "EPIPE"},
    {33, 33, "EDOM"},
    {34, 34, "ERANGE"},
    {35, 45, "EDEADLK"},
    {36, 78, "ENAMETOOLONG"},
    {37, 46, "ENOLCK"},
    {38, 89, "ENOSYS"},
    {39, 93, "ENOTEMPTY"},
    {40, 90, "ELOOP"},
    {42, 35, "ENOMSG"},
    {43, 36, "EIDRM"},
    {44, 37, "ECHRNG"},
    {45, 38, "EL2NSYNC"},
    {46, 39, "EL3HLT"},
    {47, 40, "EL3RST"},
    {48, 41, "ELNRNG"},
    {49, 42, "EUNATCH"},
    {50, 43, "ENOCSI"},
    {51, 44, "EL2HLT"},
    {52, 50, "EBADE"},
    {53, 51, "EBADR"},
    {54, 52, "EXFULL"},
    {55, 53, "ENOANO"},
    {56, 54, "EBADRQC"},
    {57, 55, "EBADSLT"},
    {59, 57, "EBFONT"},
    {60, 60, "ENOSTR"},
    {61, 61, "ENODATA"},
    {62, 62, "ETIME"},
    {63, 63, "ENOSR"},
    {64, 64, "ENONET"},
    {65, 65, "ENOPKG"},
    {66, 66, "EREMOTE"},
    {67, 67, "ENOLINK"},
    {68, 68, "EADV"},
    {69, 69, "ESRMNT"},
    {70, 70, "ECOMM"},
    {71, 71, "EPROTO"},
    {72, 74, "EMULTIHOP"},
    {73, 211, "EDOTDOT"},
    {74, 77, "EBADMSG"},
    {75, 79, "EOVERFLOW"},
    {76, 80, "ENOTUNIQ"},
    {77, 81, "EBADFD"},
    {78, 82, "EREMCHG"},
    {79, 83, "ELIBACC"},
    {80, 84, "ELIBBAD"},
    {81, 85, "ELIBSCN"},
    {82, 86, "ELIBMAX"},
    {83, 87, "ELIBEXEC"},
    {84, 88, "EILSEQ"},
    {85, 91, "ERESTART"},
    {86, 92, "ESTRPIPE"},
    {87, 94, "EUSERS"},
    {88, 95, "ENOTSOCK"},
    {89, 96, "EDESTADDRREQ"},
    {90, 97, "EMSGSIZE"},
    {91, 98, "EPROTOTYPE"},
    {92, 99, "ENOPROTOOPT"},
    {93, 120, "EPROTONOSUPPORT"},
    {94, 121, "ESOCKTNOSUPPORT"},
    {95, 122, "EOPNOTSUPP"},
    {96, 123, "EPFNOSUPPORT"},
    {97, 124, "EAFNOSUPPORT"},
    {98, 125, "EADDRINUSE"},
    {99, 126, "EADDRNOTAVAIL"},
    {100, 127, "ENETDOWN"},
    {101, 128, "ENETUNREACH"},
    {102, 129, "ENETRESET"},
    {103, 130, "ECONNABORTED"},
    {104, 131, "ECONNRESET"},
    {105, 132, "ENOBUFS"},
    {106, 133, "EISCONN"},
    {107, 134, "ENOTCONN"},
    {108, 143, "ESHUTDOWN"},
    {109, 144, "ETOOMANYREFS"},
    {110, 145, "ETIMEDOUT"},
    {111, 146, "ECONNREFUSED"},
    {112, 147, "EHOSTDOWN"},
    {113, 148, "EHOSTUNREACH"},
    {114, 149, "EALREADY"},
    {115, 150, "EINPROGRESS"},
    {116, 151, "ESTALE"},
    {117, 212, "EUCLEAN"},
    {118, 213, "ENOTNAM"},
    {119, 214, "ENAVAIL"},
    {120, 215, "EISNAM"},
    {121, 216, "EREMOTEIO"},
    {122, 49, "EDQUOT"},
    {123, 217, "ENOMEDIUM"},
    {124, 218, "EMEDIUMTYPE"},
    {125, 47, "ECANCELED"},
    {126, 219, "ENOKEY"},
    {127, 220, "EKEYEXPIRED"},
    {128, 221, "EKEYREVOKED"},
    {129, 222, "EKEYREJECTED"},
    {130, 58, "EOWNERDEAD"},
    {131, 59, "ENOTRECOVERABLE"},
    // Kernel-internal restart codes leak into records of interrupted calls.
    {512, 91, "ERESTARTSYS"},
    {513, 91, "ERESTARTNOINTR"},
    {514, 91, "ERESTARTNOHAND"},
    {516, 91, "ERESTART_RESTARTBLOCK"},
};

struct DirfdRow {
  std::string_view name;
  int8_t args[2];
  uint8_t count;
};
constexpr DirfdRow kDirfdArgs[] = {
    {"execveat", {0}, 1},  {"faccessat", {0}, 1}, {"faccessat2", {0}, 1},  {"fchmodat", {0}, 1},
    {"fchownat", {0}, 1},  {"linkat", {0, 2}, 2}, {"mkdirat", {0}, 1},     {"mknodat", {0}, 1},
    {"openat", {0}, 1},    {"openat2", {0}, 1},   {"renameat", {0, 2}, 2}, {"renameat2", {0, 2}, 2},
    {"symlinkat", {1}, 1}, {"unlinkat", {0}, 1},  {"utimensat", {0}, 1},
};

RecordTypeRow default_row(int type) {
  // Ranges from linux/audit.h: 1100-1299 user-space and daemon messages,
  // 2100-2999 more user-space messages; 1300-1399 syscall event parts.
  RecordRole role = R::Other;
  if ((type >= 1100 && type < 1300) || (type >= 2100 && type < 3000)) role = R::UserMessage;
  if (type >= 1300 && type < 1400) role = R::Aux;
  const char* name = audit_msg_type_to_name(type);
  return {static_cast<uint16_t>(type > 0 && type < 65536 ? type : 0), name ? name : "UNKNOWN", role, 0, "", 0};
}

}  // namespace

std::span<const SyscallRow> syscall_rows() { return kSyscalls; }
std::span<const RecordTypeRow> record_type_rows() { return kRecordTypes; }
std::span<const ErrnoRow> errno_rows() { return kErrnos; }

const SyscallRow* find_syscall(std::string_view name) {
  auto it = std::lower_bound(std::begin(kSyscalls), std::end(kSyscalls), name,
                             [](const SyscallRow& row, std::string_view n) { return row.name < n; });
  return it != std::end(kSyscalls) && it->name == name ? &*it : nullptr;
}

std::span<const int8_t> dirfd_args(std::string_view syscall_name) {
  for (const DirfdRow& row : kDirfdArgs)
    if (row.name == syscall_name) return {row.args, row.count};
  return {};
}

uint16_t open_event(uint16_t base, uint64_t linux_flags) {
  constexpr uint64_t kAccessMode = 3, kWriteOnly = 1, kTrunc = 01000;
  // OpenBSM orders each family as R, RC, RT, RTC, W, WC, WT, WTC, RW, ...
  const uint64_t access = linux_flags & kAccessMode;
  uint16_t offset = access == 0 ? 0 : access == kWriteOnly ? 4 : 8;  // 3 (invalid) counts as RW
  if (linux_flags & kLinuxOCreat) offset += 1;
  if (linux_flags & kTrunc) offset += 2;
  return static_cast<uint16_t>(base + offset);
}

int open_flags_arg(const SyscallRow& row) { return row.name == "openat" ? 2 : 1; }

RecordTypeRow record_type(int type) {
  for (const RecordTypeRow& row : kRecordTypes)
    if (row.type == type) return row;
  return default_row(type);
}

int record_type_number(std::string_view name) {
  for (const RecordTypeRow& row : kRecordTypes)
    if (row.name == name) return row.type;
  // "UNKNOWN[1334]": auditd's spelling for numbers it has no name for.
  if (name.starts_with("UNKNOWN[") && name.ends_with("]")) {
    int n = 0;
    std::string_view digits = name.substr(8, name.size() - 9);
    if (digits.empty() || digits.size() > 5) return -1;
    for (char c : digits) {
      if (c < '0' || c > '9') return -1;
      n = n * 10 + (c - '0');
    }
    return n;
  }
  std::string copy(name);
  return audit_name_to_msg_type(copy.c_str());
}

uint8_t bsm_errno(uint64_t linux_errno) {
  for (const ErrnoRow& row : kErrnos)
    if (row.linux_errno == linux_errno) return row.bsm_errno;
  return kBsmErrnoUnknown;
}

}  // namespace bullion::linuxaudit

// The facts most consumers need from one record, gathered in one pass over
// its tokens without copying: event, time, subject, return, paths,
// attributes, exec arguments, sockets, zone. Selectors (auditreduce), the
// sequence engine (bsmtrace) and the hand tools read these instead of
// walking tokens themselves. Every width of header, subject, process and
// return token fills the same fields.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

#include "bullion/error.h"

namespace bullion::bsm {

struct Subject {
  uint32_t auid = 0, euid = 0, egid = 0, ruid = 0, rgid = 0;
  uint32_t pid = 0, sid = 0;
  uint64_t port = 0;
  uint32_t addr_type = 4;  // 4 or 16
  uint8_t addr[16] = {};
};

struct SocketAddress {
  uint16_t family = 0;     // as recorded (BSM or host constant)
  uint16_t port = 0;       // host order
  uint32_t addr_type = 0;  // 4, 16, or 0 for unix
  uint8_t addr[16] = {};
  std::string_view unix_path;  // for socket-unix
  // The far end, from socket/socket_ex tokens (which carry both ends).
  bool has_remote = false;
  uint16_t remote_port = 0;  // host order
  uint8_t remote_addr[16] = {};
};

struct RecordFacts {
  // Header (any of the four kinds).
  uint8_t header_id = 0;
  uint16_t event = 0;
  uint16_t modifier = 0;
  uint64_t seconds = 0;
  uint32_t msec = 0;           // 64-bit headers: low 32 bits, as praudit shows
  uint8_t host_addr_type = 0;  // 4 or 16: the host address of a header_ex; 0 otherwise
  uint8_t host_addr[16] = {};

  // First subject token (any width); process token kept apart (it is the
  // object of kill/ptrace, not the actor).
  bool has_subject = false;
  Subject subject;
  bool has_process = false;
  Subject process;

  // Last return token (any width).
  bool has_return = false;
  uint8_t return_errno = 0;  // BSM errno number; 0 = success
  uint64_t return_value = 0;

  // Exit token.
  bool has_exit = false;
  uint32_t exit_status = 0;
  uint32_t exit_return = 0;

  // Paths: first and last path token (rename has two), count of path tokens.
  uint32_t path_count = 0;
  std::string_view first_path;  // without the trailing NUL
  std::string_view last_path;
  // The first kMaxPaths path tokens in record order (rename and link: source
  // then target); for_each_path() also reaches any beyond them.
  static constexpr uint32_t kMaxPaths = 8;
  std::string_view paths[kMaxPaths];

  // Last attribute token.
  bool has_attr = false;
  uint32_t attr_mode = 0, attr_uid = 0, attr_gid = 0, attr_fsid = 0;
  uint64_t attr_inode = 0, attr_device = 0;

  // Exec arguments/environment: the raw token body (count, then NUL-ended
  // strings); iterate with for_each_string().
  uint32_t exec_argc = 0;
  std::span<const uint8_t> exec_args;
  uint32_t exec_envc = 0;
  std::span<const uint8_t> exec_env;

  // First argument token with number 1..8, by number (0 when absent).
  uint8_t arg_present = 0;  // bit n-1 set when arg n is present
  uint64_t args[8] = {};
  // Argument number 0, which kernels use for "child PID" in fork and
  // posix_spawn records (the args above are the syscall's own arguments).
  bool has_arg0 = false;
  uint64_t arg0 = 0;

  // Sockets: first local/remote address seen (socket, socket_ex, sockinet,
  // sockunix).
  bool has_socket = false;
  SocketAddress socket;

  // IPC object (ipc token).
  bool has_ipc = false;
  uint8_t ipc_type = 0;
  uint32_t ipc_id = 0;

  // Sequence token (audit policy seq; our Linux translation puts the
  // kernel's event serial there).
  bool has_sequence = false;
  uint32_t sequence = 0;

  std::string_view zonename;
  std::string_view text;  // first text token
  // A text token "ppid=N" (our Linux translation: the parent's pid).
  bool has_ppid = false;
  uint32_t ppid = 0;

  std::span<const uint8_t> raw;  // the whole record
};

// Fills `facts` from a whole record (header .. trailer). Stops at the first
// token that does not decode and returns that error (facts gathered so far
// stay filled).
Status extract_facts(std::span<const uint8_t> record, RecordFacts& facts);

// Calls fn(std::string_view) for every path token of the record, in order
// (beyond kMaxPaths the record is walked again).
void for_each_path(const RecordFacts& facts, const std::function<void(std::string_view)>& fn);

// Calls fn(std::string_view) for each NUL-terminated string in an exec
// args/env body as stored in RecordFacts (count strings).
template <class Fn>
void for_each_string(std::span<const uint8_t> body, uint32_t count, Fn&& fn) {
  size_t pos = 0;
  for (uint32_t i = 0; i < count && pos < body.size(); ++i) {
    size_t end = pos;
    while (end < body.size() && body[end] != 0) ++end;
    fn(std::string_view(reinterpret_cast<const char*>(body.data() + pos), end - pos));
    pos = end + 1;
  }
}

}  // namespace bullion::bsm

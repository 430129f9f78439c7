// How audit(8) and auditon(8) reach a running bsmauditd: a pid file that the
// daemon holds locked for as long as it lives (a stale file names no one),
// OpenBSM's triggers sent as a queued signal carrying the trigger's number,
// and a control socket (root only) for auditon's requests and answers.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "bullion/error.h"

namespace bullion::trail {

// Everything bsmauditd reads or keeps, under a root ("" = the host's):
// ROOT/etc/security/{audit_control,audit_user,audit_warn},
// ROOT/var/run/bsmauditd.{pid,ctl}.
struct DaemonPaths {
  std::string root;
  std::string audit_control, audit_user, audit_warn;
  std::string pid_file, control_socket;
  static DaemonPaths under(const std::string& root);
};

// OpenBSM's trigger numbers (bsm/audit.h), as audit(8) sends them.
enum class Trigger : int {
  ReadFile = 3,     // audit -s: re-read audit_control, new trail
  CloseAndDie = 4,  // audit -t
  RotateUser = 6,   // audit -n
  ExpireTrails = 8  // audit -e
};

// The signal that carries a trigger (a real-time signal, so requests queue
// instead of merging). SIGHUP and SIGTERM keep their OpenBSM meaning.
int trigger_signal();

// The daemon's side: the pid file, locked until destroyed (then removed).
class PidFile {
 public:
  // Errc::InvalidArgument naming the pid when another daemon holds it.
  static Result<std::unique_ptr<PidFile>> acquire(const std::string& path);
  ~PidFile();
  PidFile(const PidFile&) = delete;
  PidFile& operator=(const PidFile&) = delete;

 private:
  PidFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
};

// The client's side: the pid of the daemon holding `pid_file`;
// Errc::NotFound when none does (no file, or nobody holds its lock).
Result<pid_t> running_daemon(const std::string& pid_file);
Status send_trigger(pid_t daemon, Trigger trigger);

// auditon's channel: one request, one answer. The daemon answers "ok TEXT"
// or "error TEXT"; the client returns TEXT or an error carrying it.
Result<std::string> control_request(const std::string& socket_path, std::string_view request);

class ControlServer {
 public:
  using Handler = std::function<Result<std::string>(std::string_view request)>;
  // Binds the socket (mode 0600; a stale one is replaced: call this only
  // while holding the pid file).
  static Result<std::unique_ptr<ControlServer>> listen(const std::string& path);
  ~ControlServer();  // removes the socket
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;
  // Answers every request waiting now; never blocks on a silent client
  // (each gets a second). Only root or the daemon's own user is answered.
  void serve(const Handler& handler);

 private:
  ControlServer(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  void answer(int client, const Handler& handler);
  int fd_;
  std::string path_;
};

}  // namespace bullion::trail

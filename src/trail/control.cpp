#include "bullion/trail/control.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>

namespace bullion::trail {

namespace {

constexpr size_t kMaxMessage = 4096;
constexpr std::string_view kOk = "ok ", kError = "error ";

Error system_error(const std::string& what, int error = errno) {
  const Errc code = (error == EACCES || error == EPERM)          ? Errc::Permission
                    : (error == ENOENT || error == ECONNREFUSED) ? Errc::NotFound
                                                                 : Errc::Io;
  return Error{code, 0, 0, what + ": " + std::strerror(error)};
}

Result<sockaddr_un> socket_address(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path) return Error{Errc::InvalidArgument, 0, 0, path + ": path too long"};
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  return address;
}

void receive_timeout(int fd, int seconds) {
  timeval timeout{seconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

std::optional<pid_t> read_pid(int fd) {
  char text[32] = {};
  const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
  if (n <= 0) return std::nullopt;
  pid_t pid = 0;
  auto [end, ec] = std::from_chars(text, text + n, pid);
  if (ec != std::errc() || pid <= 0) return std::nullopt;
  return pid;
}

}  // namespace

DaemonPaths DaemonPaths::under(const std::string& root) {
  DaemonPaths paths;
  paths.root = root;
  const std::string security = root + "/etc/security/";
  paths.audit_control = security + "audit_control";
  paths.audit_user = security + "audit_user";
  paths.audit_warn = security + "audit_warn";
  paths.pid_file = root + "/var/run/bsmauditd.pid";
  paths.control_socket = root + "/var/run/bsmauditd.ctl";
  return paths;
}

int trigger_signal() { return SIGRTMIN + 1; }

Result<std::unique_ptr<PidFile>> PidFile::acquire(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return system_error(path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const auto holder = read_pid(fd);
    ::close(fd);
    if (error == EWOULDBLOCK) {
      return Error{Errc::InvalidArgument, 0, 0,
                   path + ": another bsmauditd runs" + (holder ? " (pid " + std::to_string(*holder) + ")" : "")};
    }
    return system_error(path, error);
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int error = errno;
    ::close(fd);
    return system_error(path, error);
  }
  return std::unique_ptr<PidFile>(new PidFile(fd, path));
}

PidFile::~PidFile() {
  (void)::unlink(path_.c_str());
  ::close(fd_);  // releases the lock
}

Result<pid_t> running_daemon(const std::string& pid_file) {
  const int fd = ::open(pid_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Error{Errc::NotFound, 0, 0, "bsmauditd is not running (" + pid_file + ": " + std::strerror(errno) + ")"};
  // Whoever holds the lock is the daemon; a file nobody holds is stale.
  if (::flock(fd, LOCK_SH | LOCK_NB) == 0) {
    ::close(fd);
    return Error{Errc::NotFound, 0, 0, "bsmauditd is not running (" + pid_file + " is stale)"};
  }
  const auto pid = read_pid(fd);
  ::close(fd);
  if (!pid) return Error{Errc::Io, 0, 0, pid_file + ": no pid in it"};
  return *pid;
}

Status send_trigger(pid_t daemon, Trigger trigger) {
  sigval value{};
  value.sival_int = static_cast<int>(trigger);
  if (::sigqueue(daemon, trigger_signal(), value) != 0)
    return system_error("signal bsmauditd (pid " + std::to_string(daemon) + ")");
  return Ok{};
}

Result<std::string> control_request(const std::string& socket_path, std::string_view request) {
  auto address = socket_address(socket_path);
  if (!address) return address.error();
  const int fd = ::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (fd < 0) return system_error("socket");
  receive_timeout(fd, 5);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&*address), sizeof *address) != 0) {
    const int error = errno;
    ::close(fd);
    return system_error("connect to bsmauditd (" + socket_path + ")", error);
  }
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
    const int error = errno;
    ::close(fd);
    return system_error("send to bsmauditd", error);
  }
  char reply[kMaxMessage];
  const ssize_t n = ::recv(fd, reply, sizeof reply, 0);
  const int error = errno;
  ::close(fd);
  if (n <= 0)
    return n == 0 ? Error{Errc::Io, 0, 0, "bsmauditd closed the connection"}
                  : system_error("no answer from bsmauditd", error);
  const std::string_view answer(reply, static_cast<size_t>(n));
  if (answer.starts_with(kOk)) return std::string(answer.substr(kOk.size()));
  if (answer.starts_with(kError)) return Error{Errc::InvalidArgument, 0, 0, std::string(answer.substr(kError.size()))};
  return Error{Errc::Io, 0, 0, "bsmauditd gave an answer that makes no sense"};
}

Result<std::unique_ptr<ControlServer>> ControlServer::listen(const std::string& path) {
  auto address = socket_address(path);
  if (!address) return address.error();
  const int fd = ::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return system_error("socket");
  (void)::unlink(path.c_str());
  // Created 0600 from the start: no moment when others could connect.
  const mode_t old_umask = ::umask(077);
  const int bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&*address), sizeof *address);
  ::umask(old_umask);
  if (bound != 0 || ::listen(fd, 8) != 0) {
    const int error = errno;
    ::close(fd);
    return system_error(path, error);
  }
  return std::unique_ptr<ControlServer>(new ControlServer(fd, path));
}

ControlServer::~ControlServer() {
  ::close(fd_);
  (void)::unlink(path_.c_str());
}

void ControlServer::serve(const Handler& handler) {
  for (;;) {
    const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) return;  // EAGAIN: nobody waiting
    answer(client, handler);
    ::close(client);
  }
}

void ControlServer::answer(int client, const Handler& handler) {
  ucred peer{};
  socklen_t length = sizeof peer;
  std::string reply;
  char request[kMaxMessage];
  receive_timeout(client, 1);
  if (::getsockopt(client, SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0 ||
      (peer.uid != 0 && peer.uid != ::geteuid())) {
    reply = std::string(kError) + "permission denied";
  } else if (const ssize_t n = ::recv(client, request, sizeof request, 0); n > 0) {
    auto answered = handler(std::string_view(request, static_cast<size_t>(n)));
    reply = answered ? std::string(kOk) + *answered : std::string(kError) + answered.error().message;
  } else {
    return;
  }
  (void)::send(client, reply.data(), reply.size(), MSG_NOSIGNAL);
}

}  // namespace bullion::trail

#include "bullion/trail/warn.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bullion::trail {

namespace {

// RAII for the spawn attributes: every exit path destroys them.
struct SpawnSetup {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attr{};
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    // The daemon blocks or catches signals; the warning program starts
    // with every signal at its default and none blocked.
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

WarnExit exit_of(pid_t pid, int status) {
  if (WIFSIGNALED(status)) return WarnExit{pid, true, WTERMSIG(status)};
  return WarnExit{pid, false, WEXITSTATUS(status)};
}

}  // namespace

ProgramWarner::~ProgramWarner() = default;

Status ProgramWarner::warn(std::string_view reason, std::string_view file) {
  reap();
  if (::access(program_.c_str(), X_OK) != 0) {
    const int error = errno;
    return Error{error == ENOENT ? Errc::NotFound : Errc::Permission, 0, 0, program_ + ": " + std::strerror(error)};
  }
  std::string reason_arg(reason), file_arg(file);
  std::vector<char*> argv{program_.data(), reason_arg.data()};
  if (!file.empty()) argv.push_back(file_arg.data());
  argv.push_back(nullptr);
  // A fixed environment: nothing of the daemon's (or its caller's) leaks in.
  char path_env[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
  char* envp[] = {path_env, nullptr};
  SpawnSetup setup;
  pid_t pid = 0;
  const int error = posix_spawn(&pid, program_.c_str(), &setup.actions, &setup.attr, argv.data(), envp);
  if (error != 0) return Error{Errc::Io, 0, 0, program_ + ": " + std::strerror(error)};
  running_.push_back(pid);
  return Ok{};
}

std::vector<WarnExit> ProgramWarner::reap() {
  std::vector<WarnExit> failed;
  for (auto it = running_.begin(); it != running_.end();) {
    int status = 0;
    const pid_t done = ::waitpid(*it, &status, WNOHANG);
    if (done == 0) {
      ++it;
      continue;
    }
    if (done == *it && status != 0) failed.push_back(exit_of(done, status));
    it = running_.erase(it);  // done, or no longer our child (ECHILD)
  }
  return failed;
}

std::vector<WarnExit> ProgramWarner::wait_all(int millis) {
  std::vector<WarnExit> failed;
  for (int waited = 0;; waited += 10) {
    for (const WarnExit& exit : reap()) failed.push_back(exit);
    if (running_.empty() || waited >= millis) return failed;
    const timespec pause{0, 10 * 1000 * 1000};
    ::nanosleep(&pause, nullptr);
  }
}

}  // namespace bullion::trail

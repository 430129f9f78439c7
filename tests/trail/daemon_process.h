// A bsmauditd run by a test: a root directory with its configuration and
// a recording audit_warn, the daemon started with stderr to a log file,
// and waits on what it does (files, log lines) with deadlines.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bullion/trail/names.h"
#include "trail_test_support.h"

namespace bullion::trail::testing {

inline std::string bin(const std::string& tool) { return std::string(BULLION_BIN_DIR) + "/" + tool; }

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Polls `done` every 20 ms for at most `seconds`.
inline bool eventually(const std::function<bool()>& done, double seconds = 10) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

// ROOT/etc/security/{audit_control,audit_warn -> recorder}, trails in ROOT/audit.
struct DaemonRoot {
  ScratchDir scratch;
  std::string root = scratch.path;
  std::string audit = scratch.sub("audit");

  DaemonRoot() {
    std::filesystem::create_directories(root + "/etc/security");
    std::filesystem::create_symlink(bin("audit_warn_recorder"), root + "/etc/security/audit_warn");
  }
  void control(const std::string& text) const {
    std::ofstream(root + "/etc/security/audit_control", std::ios::binary | std::ios::trunc) << text;
  }
  std::string standard_control(const std::string& extra = "") const {
    return "dir:" + audit + "\nflags:lo,aa\nminfree:0\nnaflags:lo,aa\npolicy:cnt,argv\nfilesz:2M\n" + extra;
  }
  // Every audit_warn run so far, one "reason\tfile" line each.
  std::string warnings() const { return slurp(root + "/etc/security/audit_warn.log"); }
  std::vector<std::string> trails(const std::string& dir) const {
    std::vector<std::string> names;
    for (const std::string& name : list_dir(dir)) {
      if (parse_trail_name(name)) names.push_back(name);
    }
    return names;
  }
};

class DaemonProcess {
 public:
  DaemonProcess(const DaemonRoot& root, std::vector<std::string> extra = {"--no-kernel"})
      : log_path_(root.root + "/bsmauditd.log") {
    std::vector<std::string> args{bin("bsmauditd"), "-d", "--root", root.root};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int log = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    const int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    const pid_t parent = getpid();
    pid_ = fork();
    if (pid_ == 0) {
      // A test that dies must not leave a daemon behind holding kernel
      // audit (and the live lock the test runner inherited): SIGTERM makes
      // it put everything back.
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (getppid() != parent) _exit(99);
      dup2(null, STDIN_FILENO);
      dup2(null, STDOUT_FILENO);
      dup2(log, STDERR_FILENO);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(log);
    close(null);
    EXPECT_GT(pid_, 0);
  }
  ~DaemonProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  pid_t pid() const { return pid_; }
  std::string log() const { return slurp(log_path_); }
  bool wait_for_log(const std::string& text, double seconds = 10) const {
    return eventually([&] { return log().find(text) != std::string::npos; }, seconds);
  }
  // This process's own line: the log file may hold an earlier daemon's too.
  bool started() const { return wait_for_log("notice: started (pid " + std::to_string(pid_) + ")"); }
  // Sends `signal_number` and waits for the exit status (-1 on timeout).
  int stop(int signal_number = SIGTERM, double seconds = 20) {
    if (pid_ <= 0) return -1;
    kill(pid_, signal_number);
    return wait_exit(seconds);
  }
  int wait_exit(double seconds = 20) {
    int status = 0;
    const bool exited = eventually([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, seconds);
    if (!exited) return -1;
    pid_ = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  std::string log_path_;
  pid_t pid_ = 0;
};

// Runs a tool to its end; its exit status and output.
struct ToolRun {
  int status = -1;
  std::string out, err;
};

inline ToolRun run(const std::vector<std::string>& args) {
  ScratchDir io;
  const std::string out = io.path + "/out", err = io.path + "/err";
  std::vector<std::string> copy = args;
  copy[0] = bin(copy[0]);
  std::vector<char*> argv;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  ToolRun result;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0) {
    int status = 0;
    waitpid(pid, &status, 0);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  posix_spawn_file_actions_destroy(&actions);
  result.out = slurp(out);
  result.err = slurp(err);
  return result;
}

}  // namespace bullion::trail::testing

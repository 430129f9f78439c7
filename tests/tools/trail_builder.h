// Builds small BSM trails for the hand-tool tests: each test says which
// processes exec, fork and exit, and gets a file the built tools can read.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "bullion/bsm/encoder.h"

namespace bullion::testing {

// OpenBSM event numbers used by the tests.
enum Event : uint16_t {
  kAueExit = 1,
  kAueFork = 2,
  kAueOpen = 3,
  kAueUnlink = 6,
  kAueExecve = 23,
  kAueVfork = 25,
  kAueChmod = 10,
  kAueRename = 42,
  kAueOpenR = 72,
  kAueOpenW = 76,
  kAueOpenRwc = 81,
  kAueConnect = 32,
  kAueLink = 5,
  kAueSymlink = 21,
  kAueSu = 6159,
  kAueDarwinSudo = 6300,
  kAueSudo = 45028,
  kAueExecveat = 43262,
  kAueRfork = 43043,
  kAuePosixSpawn = 43190,
};

class TrailBuilder {
 public:
  uint32_t time = 1700000000;  // 2023-11-14T22:13:20Z; each record adds a second
  uint32_t uid = 1000;
  uint32_t serial = 0;  // when not 0: each record gets a sequence token, counting up
  uint32_t ppid = 0;    // when not 0: each record with a subject gets a "ppid=N" text token (Linux)

  void exec(uint32_t pid, std::string_view path, std::vector<std::string_view> args,
            std::vector<std::string_view> env = {}, uint8_t bsm_errno = 0) {
    begin(kAueExecve);
    if (!path.empty()) b_.path(path);
    b_.exec_args(args);
    if (!env.empty()) b_.exec_env(env);
    end(pid, bsm_errno, 0);
  }
  // BSD style: the child pid is the return value.
  void fork(uint32_t parent, uint32_t child, uint16_t event = kAueFork, uint8_t bsm_errno = 0) {
    begin(event);
    end(parent, bsm_errno, bsm_errno ? 0xffffffffu : child);
  }
  // Linux translation and macOS style: argument 0 "child PID".
  void fork_with_arg0(uint32_t parent, uint32_t child, uint16_t event = kAueRfork) {
    begin(event);
    b_.arg32(0, child, "child PID");
    end(parent, 0, child);
  }
  // macOS posix_spawn: parent's subject, the new program, arg 0 child PID, return 0.
  void spawn(uint32_t parent, uint32_t child, std::string_view path, std::vector<std::string_view> args) {
    begin(kAuePosixSpawn);
    b_.arg32(0, child, "child PID");
    b_.path(path);
    b_.exec_args(args);
    end(parent, 0, 0);
  }
  void exit(uint32_t pid) {
    begin(kAueExit);
    b_.exit_token(0, 0);
    end(pid, 0, 0);
  }
  void file_event(uint32_t pid, uint16_t event, std::string_view path, uint8_t bsm_errno = 0,
                  std::string_view second_path = {}) {
    begin(event);
    b_.path(path);
    if (!second_path.empty()) b_.path(second_path);
    end(pid, bsm_errno, bsm_errno ? 0xffffffffu : 3);
  }

  // Any record carrying exec arguments (sudo, su, execveat ...).
  void command(uint32_t pid, uint16_t event, std::string_view path, std::vector<std::string_view> args,
               uint8_t bsm_errno = 0) {
    begin(event);
    if (!path.empty()) b_.path(path);
    b_.exec_args(args);
    end(pid, bsm_errno, 0);
  }
  // connect(2) to an IPv4 address.
  void connect(uint32_t pid, std::array<uint8_t, 4> addr, uint16_t port, uint8_t bsm_errno = 0) {
    begin(kAueConnect);
    b_.arg32(1, 3, "fd");
    b_.sockinet32(2, port, addr);
    end(pid, bsm_errno, bsm_errno ? 0xffffffffu : 0);
  }
  // An exec record with no subject token.
  void without_subject_command(uint16_t event, std::string_view path, std::vector<std::string_view> args) {
    begin(event);
    b_.path(path);
    b_.exec_args(args);
    b_.return32(0, 0);
    finish();
  }
  // A record with no subject token: attributable to no process.
  void without_subject(uint16_t event, std::string_view path) {
    begin(event);
    b_.path(path);
    b_.return32(0, 0);
    finish();
  }

  // Bytes of every record so far, and of each one (for byte-exact checks).
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  const std::vector<std::vector<uint8_t>>& records() const { return records_; }

  // Writes the trail into the test's temporary directory.
  std::string write(const std::string& name) const { return write_bytes(name, bytes_); }

  static std::string write_bytes(const std::string& name, const std::vector<uint8_t>& bytes) {
    const std::string path = ::testing::TempDir() + "bullion_tools_" + std::to_string(getpid()) + "_" + name;
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return path;
  }

 private:
  void begin(uint16_t event) { b_.begin_header32(event, 0, time++, 0); }
  void finish() {
    if (serial) b_.seq(serial++);
    const auto record = b_.finish();
    records_.emplace_back(record.begin(), record.end());
    bytes_.insert(bytes_.end(), record.begin(), record.end());
  }
  void end(uint32_t pid, uint8_t bsm_errno, uint32_t value) {
    if (ppid) b_.text("ppid=" + std::to_string(ppid));
    bsm::Subject s;
    s.auid = s.euid = s.ruid = uid;
    s.egid = s.rgid = 20;
    s.pid = pid;
    s.sid = pid;
    b_.subject32(s);
    b_.return32(bsm_errno, value);
    finish();
  }

  bsm::RecordBuilder b_;
  std::vector<uint8_t> bytes_;
  std::vector<std::vector<uint8_t>> records_;
};

// A passwd file naming uid 0 root and 1000 alice only: other uids are unknown.
inline std::string write_passwd() {
  const std::string text = "root:*:0:0:root:/root:/bin/sh\nalice:*:1000:20:Alice:/home/alice:/bin/sh\n";
  return TrailBuilder::write_bytes("passwd", std::vector<uint8_t>(text.begin(), text.end()));
}

}  // namespace bullion::testing

// Shared pieces of the live tests: privilege check, the workload child,
// decoding what was captured, and the kernel-state checks every test ends
// with. Linux only (kernel audit); other systems skip.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/bsm/reader.h"
#include "live/netlink_linux.h"
#include "live/rules_linux.h"

namespace live_test {

using bullion::live::linux_audit::AuditState;
using bullion::live::linux_audit::ControlChannel;

// The classes the tests capture: the spec's benchmark set.
inline constexpr const char* kClasses = "fr,fw,fc,fd,pc,nt";

// A login uid no real session has, unique per test process.
inline uint32_t unique_auid() { return 3000000000u + static_cast<uint32_t>(getpid() % 1000000); }

// BULLION_REQUIRE_LIVE=1 (set by `make test`, so by CI, which runs as root
// on a kernel with audit): a live test that cannot reach kernel audit
// fails instead of skipping, so a skip can never hide a failure there.
inline bool live_required() {
  const char* v = std::getenv("BULLION_REQUIRE_LIVE");
  return v != nullptr && std::string_view(v) == "1";
}

// Opens the control channel and reads the state, or says why the test
// must be skipped (no privilege, no kernel audit). Under
// BULLION_REQUIRE_LIVE=1 the reason is a failure instead.
inline std::string open_or_skip_reason(std::optional<ControlChannel>& control, AuditState& state) {
  std::string why;
  if (auto opened = ControlChannel::open(); !opened) {
    why = "no kernel audit access: " + opened.error().message;
  } else {
    control.emplace(std::move(*opened));
    auto got = control->state();
    if (got) state = *got;
    if (!got) why = "no kernel audit access: " + got.error().message;
  }
  if (!why.empty() && live_required()) {
    ADD_FAILURE() << "BULLION_REQUIRE_LIVE=1 but " << why;
    return "failed: " + why;
  }
  return why;
}

// Keys of all our rules (bullion-*) now in the kernel.
inline std::vector<std::string> bullion_rule_keys(ControlChannel& control) {
  std::vector<std::string> keys;
  auto rules = control.list_rules();
  EXPECT_TRUE(rules.ok());
  if (!rules) return keys;
  for (const auto& rule : *rules) {
    auto key = bullion::live::linux_rules::rule_key(rule);
    if (key && key->starts_with("bullion-")) keys.emplace_back(*key);
  }
  return keys;
}

// The test ends as it began: no rule of ours, same settings, no daemon.
inline void expect_state_restored(ControlChannel& control, const AuditState& before) {
  EXPECT_TRUE(bullion_rule_keys(control).empty());
  auto after = control.state();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->enabled, before.enabled);
  EXPECT_EQ(after->failure, before.failure);
  EXPECT_EQ(after->pid, before.pid);
  EXPECT_EQ(after->backlog_limit, before.backlog_limit);
  EXPECT_EQ(after->backlog_wait_time, before.backlog_wait_time);
}

struct Workload {
  std::string dir;     // scratch directory, paths below are inside it
  std::string marker;  // argv[1] of the final exec
  uint16_t listen_port = 0;
};

// Child side: only async-signal-safe calls (the parent may have threads).
[[noreturn]] inline void run_workload_child(const Workload& w, uint32_t auid, const std::string& a,
                                            const std::string& b, const std::string& missing) {
  char auid_text[16];
  const int n = std::snprintf(auid_text, sizeof auid_text, "%u", auid);
  const int login = open("/proc/self/loginuid", O_WRONLY);
  if (login < 0 || write(login, auid_text, n) != n) _exit(90);
  close(login);
  int fd = static_cast<int>(syscall(SYS_openat, AT_FDCWD, a.c_str(), O_CREAT | O_WRONLY, 0600));
  if (fd < 0 || write(fd, "bullion\n", 8) != 8) _exit(91);
  close(fd);
  char buf[16];
  fd = static_cast<int>(syscall(SYS_openat, AT_FDCWD, a.c_str(), O_RDONLY));
  if (fd < 0 || read(fd, buf, sizeof buf) <= 0) _exit(92);
  close(fd);
  if (syscall(SYS_rename, a.c_str(), b.c_str()) != 0) _exit(93);
  if (syscall(SYS_unlink, b.c_str()) != 0) _exit(94);
  if (syscall(SYS_openat, AT_FDCWD, missing.c_str(), O_RDONLY) >= 0) _exit(95);
  const int sock = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(w.listen_port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  (void)connect(sock, reinterpret_cast<sockaddr*>(&to), sizeof to);
  close(sock);
  const char* argv[] = {"/bin/true", w.marker.c_str(), nullptr};
  execv("/bin/true", const_cast<char* const*>(argv));
  _exit(96);
}

inline std::string file_a(const Workload& w) { return w.dir + "/created.txt"; }
inline std::string file_b(const Workload& w) { return w.dir + "/renamed.txt"; }
inline std::string file_missing(const Workload& w) { return w.dir + "/does-not-exist"; }

// Runs the workload in a child under `auid`; returns its exit status.
inline int run_workload(const Workload& w, uint32_t auid) {
  const std::string a = file_a(w), b = file_b(w), missing = file_missing(w);
  const pid_t child = fork();
  if (child == 0) run_workload_child(w, auid, a, b, missing);
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// A listening TCP socket on 127.0.0.1 so the child's connect succeeds.
struct Listener {
  int fd = -1;
  uint16_t port = 0;
  Listener() {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof at;
    if (bind(fd, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0 && listen(fd, 4) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&at), &len) == 0) {
      port = ntohs(at.sin_port);
    }
  }
  ~Listener() { close(fd); }
};

// A scratch directory removed at the end.
struct ScratchDir {
  std::string path;
  ScratchDir() {
    char tmpl[] = "/tmp/bullion-live-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~ScratchDir() { rmdir(path.c_str()); }
};

// What a test looks for in the captured records, decoded.
struct Captured {
  std::vector<std::vector<uint8_t>> records;  // owned copies

  std::vector<bullion::bsm::RecordFacts> facts() const {
    std::vector<bullion::bsm::RecordFacts> all;
    for (const auto& r : records) {
      bullion::bsm::RecordFacts f;
      EXPECT_TRUE(bullion::bsm::extract_facts(r, f).ok());
      all.push_back(f);
    }
    return all;
  }
};

inline bool has_exec_arg(const bullion::bsm::RecordFacts& f, std::string_view want) {
  bool found = false;
  bullion::bsm::for_each_string(f.exec_args, f.exec_argc, [&](std::string_view arg) { found = found || arg == want; });
  return found;
}

// The assertions shared by the in-process and the tool test.
inline void expect_workload_records(const Captured& captured, const Workload& w, uint32_t auid) {
  bool exec = false, created = false, opened_read = false, renamed = false, unlinked = false, failed_open = false,
       connected = false;
  for (const auto& f : captured.facts()) {
    ASSERT_TRUE(f.has_subject);
    EXPECT_EQ(f.subject.auid, auid) << "event " << f.event;
    const std::string_view path = f.first_path;
    exec |= f.event == 23 && has_exec_arg(f, w.marker);
    created |= f.event == 275 && path == file_a(w) && f.return_errno == 0;
    opened_read |= f.event == 270 && path == file_a(w) && f.return_errno == 0;
    renamed |= f.event == 42 && path == file_a(w) && f.last_path == file_b(w);
    unlinked |= f.event == 6 && path == file_b(w);
    failed_open |= f.event == 270 && path == file_missing(w) && f.return_errno == 2;
    connected |= f.event == 32 && f.has_socket && f.socket.port == w.listen_port && f.socket.addr[0] == 127 &&
                 f.socket.addr[3] == 1;
  }
  EXPECT_TRUE(exec) << "execve with the marker argument";
  EXPECT_TRUE(created) << "openat O_CREAT|O_WRONLY (AUE_OPENAT_WC)";
  EXPECT_TRUE(opened_read) << "openat O_RDONLY (AUE_OPENAT_R)";
  EXPECT_TRUE(renamed) << "rename with both paths";
  EXPECT_TRUE(unlinked) << "unlink";
  EXPECT_TRUE(failed_open) << "failed openat with ENOENT";
  EXPECT_TRUE(connected) << "connect to 127.0.0.1 with the port";
}

// ---- running the auditpipe binary ----

inline const std::string kAuditpipe = std::string(BULLION_BIN_DIR) + "/auditpipe";

// Starts auditpipe with stdout and stderr to files; returns its pid.
inline pid_t spawn_auditpipe(std::vector<std::string> args, const std::string& out, const std::string& err) {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_NOCTTY, 0600);
  const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  std::vector<char*> argv{const_cast<char*>(kAuditpipe.c_str())};
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(kAuditpipe.c_str(), argv.data());
  _exit(127);
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Ready means its rules are in the kernel; gives up after 10 s.
inline bool wait_for_rules_of(ControlChannel& control, pid_t pid) {
  const std::string key = bullion::live::linux_rules::make_key(static_cast<uint32_t>(pid));
  for (int i = 0; i < 200; ++i) {
    for (const auto& k : bullion_rule_keys(control)) {
      if (k == key) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

inline Captured read_records(const std::string& bytes) {
  Captured captured;
  auto reader = bullion::bsm::RecordReader::from_memory({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()},
                                                        "auditpipe output");
  bullion::bsm::RecordView view;
  while (reader->next(view) == bullion::bsm::RecordReader::Next::Record) {
    captured.records.emplace_back(view.bytes.begin(), view.bytes.end());
  }
  EXPECT_EQ(reader->next(view), bullion::bsm::RecordReader::Next::End);
  return captured;
}

// ---- what the kernel sends, independently of any collector ----

// A listener on the kernel's read-only multicast group (AUDIT_NLGRP_READLOG,
// needs CAP_AUDIT_READ): it receives every record the kernel queues, beside
// the audit daemon, so a test can see what the kernel itself emitted.
struct KernelRecord {
  uint16_t type = 0;
  std::string text;  // "audit(SEC.MS:SERIAL): fields"
};

class MulticastListener {
 public:
  MulticastListener() {
    fd_ = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
    sockaddr_nl at{};
    at.nl_family = AF_NETLINK;
    int group = 1;  // AUDIT_NLGRP_READLOG
    int size = 8 << 20;
    ok_ = fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0 &&
          setsockopt(fd_, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) == 0;
    if (ok_) setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
  }
  ~MulticastListener() {
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return ok_; }

  // Reads records until `done` says so or `timeout` passes; true if done.
  template <class Done>
  bool read_until(std::vector<KernelRecord>& records, Done done, std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    char buffer[16384];
    while (std::chrono::steady_clock::now() < end) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      const ssize_t got = recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
      if (got < static_cast<ssize_t>(NLMSG_HDRLEN)) continue;
      const auto* header = reinterpret_cast<const nlmsghdr*>(buffer);
      std::string text(buffer + NLMSG_HDRLEN, static_cast<size_t>(got) - NLMSG_HDRLEN);
      while (!text.empty() && (text.back() == '\0' || text.back() == '\n')) text.pop_back();
      records.push_back({header->nlmsg_type, std::move(text)});
      if (done(records.back())) return true;
    }
    return false;
  }

 private:
  int fd_ = -1;
  bool ok_ = false;
};

// The value of `key=` in a record's text ("" when absent).
inline std::string field_of(const std::string& text, const std::string& key) {
  const std::string needle = " " + key + "=";
  const size_t at = text.find(needle);
  if (at == std::string::npos) return {};
  const size_t start = at + needle.size();
  return text.substr(start, text.find(' ', start) - start);
}

}  // namespace live_test

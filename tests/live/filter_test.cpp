// Issue 10, live: a narrow class does not cost the price of all opens. With
// `fc` the kernel itself is asked only for opens that create (a bit-mask
// filter on openat's flags), so a read-only open of the same file is never
// even emitted: a listener on the kernel's multicast group sees the creating
// open and nothing of the read-only one, and auditpipe writes the one event.
// The kernel's settings and rules are checked afterwards against before.
#include <libaudit.h>
#include <signal.h>

#include "live_helpers.h"

namespace {

using namespace live_test;

// Child: under `auid`, opens `path` read-only, then for writing with
// O_CREAT; the read-only open comes first, so the kernel would queue it first.
pid_t spawn_two_opens(uint32_t auid, const std::string& path) {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  char text[16];
  const int len = std::snprintf(text, sizeof text, "%u", auid);
  const int login = open("/proc/self/loginuid", O_WRONLY);
  if (login < 0 || write(login, text, len) != len) _exit(90);
  close(login);
  int fd = static_cast<int>(syscall(SYS_openat, AT_FDCWD, path.c_str(), O_RDONLY));
  if (fd < 0) _exit(91);
  close(fd);
  fd = static_cast<int>(syscall(SYS_openat, AT_FDCWD, path.c_str(), O_WRONLY | O_CREAT, 0600));
  if (fd < 0) _exit(92);
  close(fd);
  _exit(0);
}

TEST(LiveFilter, FileCreateClassAsksTheKernelOnlyForCreatingOpens) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;
  MulticastListener kernel;
  ASSERT_TRUE(kernel.ok()) << "join AUDIT_NLGRP_READLOG: " << std::strerror(errno);

  ScratchDir dir;
  const std::string file = dir.path + "/existing.txt", out = dir.path + "/out.bsm", err = dir.path + "/err.txt";
  close(open(file.c_str(), O_WRONLY | O_CREAT, 0600));  // exists before: the read-only open succeeds
  const uint32_t auid = unique_auid();
  const pid_t tool = spawn_auditpipe({"--auid", std::to_string(auid), "--timeout", "60", "fc"}, out, err);
  ASSERT_TRUE(wait_for_rules_of(*control, tool)) << slurp(err);

  const pid_t child = spawn_two_opens(auid, file);
  int child_status = 0;
  waitpid(child, &child_status, 0);
  EXPECT_TRUE(WIFEXITED(child_status) && WEXITSTATUS(child_status) == 0);

  // Every openat SYSCALL record of the child, as the kernel queued it.
  const std::string openat_nr = std::to_string(audit_name_to_syscall("openat", audit_detect_machine()));
  std::vector<std::string> openat_flags;  // a2 of each
  std::vector<KernelRecord> records;
  const bool creating_seen = kernel.read_until(
      records,
      [&](const KernelRecord& r) {
        if (r.type != AUDIT_SYSCALL || field_of(r.text, "auid") != std::to_string(auid) ||
            field_of(r.text, "syscall") != openat_nr) {
          return false;
        }
        openat_flags.push_back(field_of(r.text, "a2"));
        return (std::stoul(openat_flags.back(), nullptr, 16) & O_CREAT) != 0;
      },
      std::chrono::seconds(10));
  kill(tool, SIGTERM);
  int status = 0;
  waitpid(tool, &status, 0);
  const std::string messages = slurp(err);

  EXPECT_TRUE(creating_seen) << "no record of the creating open";
  // Records leave the kernel in the order they were queued: had the
  // read-only open been audited, its record would have come first.
  EXPECT_EQ(openat_flags.size(), 1u) << "the kernel emitted the read-only open too (a2 of each: "
                                     << testing::PrintToString(openat_flags) << ")";
  bool created = false, read_only = false;
  for (const auto& f : read_records(slurp(out)).facts()) {
    created |= f.event == 275 && std::string_view(f.first_path) == file;    // AUE_OPENAT_WC
    read_only |= f.event == 270 && std::string_view(f.first_path) == file;  // AUE_OPENAT_R
  }
  EXPECT_TRUE(created) << messages;
  EXPECT_FALSE(read_only);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << messages;
  for (const auto& f : {file, out, err}) unlink(f.c_str());
  expect_state_restored(*control, before);
}

}  // namespace

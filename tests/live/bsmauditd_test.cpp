// bsmauditd on the real kernel: trails kept from live records, audit's
// requests, audit_warn, several directories, a full file system, kill -9.
// Every test scopes capture to its own login uid (--auid) so nothing else
// on the machine is captured or slowed down, and ends by checking that the
// kernel's audit settings and rules are as they were.
#include <libaudit.h>
#include <sys/mount.h>

#include <map>
#include <set>

#include "bullion/bsm/facts.h"
#include "bullion/trail/names.h"
#include "live_helpers.h"
#include "trail/daemon_process.h"

namespace {

using namespace live_test;
namespace trail_testing = bullion::trail::testing;
using bullion::trail::parse_trail_name;
using bullion::trail::TrailName;
using trail_testing::DaemonProcess;
using trail_testing::DaemonRoot;
using trail_testing::eventually;

constexpr uint16_t kAueLinuxLost = 48002;

// `count` files created, written and deleted under `dir` by a child with
// login uid `auid`: two records each (a creating open, an unlink), every
// path unique, so each record can be found exactly once. With `pause_ms`,
// the child rests that long after every 100 files (a trail fills within a
// second only at more than filesz a second; see docs/bsmauditd.md).
int churn_files(const std::string& dir, uint32_t auid, int count, int pause_ms = 0) {
  const pid_t child = fork();
  if (child == 0) {
    char auid_text[16];
    const int n = std::snprintf(auid_text, sizeof auid_text, "%u", auid);
    const int login = open("/proc/self/loginuid", O_WRONLY);
    if (login < 0 || write(login, auid_text, n) != n) _exit(90);
    close(login);
    char path[512];
    for (int i = 0; i < count; ++i) {
      std::snprintf(path, sizeof path, "%s/f%06d", dir.c_str(), i);
      const int fd = static_cast<int>(syscall(SYS_openat, AT_FDCWD, path, O_CREAT | O_WRONLY | O_EXCL, 0600));
      if (fd < 0) _exit(91);
      close(fd);
      if (syscall(SYS_unlink, path) != 0) _exit(92);
      if (pause_ms > 0 && i % 100 == 99) {
        const timespec rest{pause_ms / 1000, (pause_ms % 1000) * 1000000L};
        nanosleep(&rest, nullptr);
      }
    }
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// What the trails of some directories hold.
struct TrailContents {
  std::map<std::string, int> creates, unlinks;  // path -> times seen
  uint64_t writer_lost = 0, other_lost = 0;     // from lost= records
  size_t trails = 0;
  bool all_closed = true;
  uint64_t largest = 0;

  void read_dir(const std::string& dir, const std::string& work) {
    for (const std::string& name : trail_testing::list_dir(dir)) {
      auto parsed = parse_trail_name(name);
      if (!parsed) continue;
      ++trails;
      all_closed = all_closed && parsed->state != TrailName::State::Open;
      read_file(dir + "/" + name, work);
    }
  }
  void read_file(const std::string& path, const std::string& work) {
    largest = std::max<uint64_t>(largest, std::filesystem::file_size(path));
    for (const auto& item : trail_testing::read_trail(path)) {  // fails the test on any damage
      if (item.file_token) continue;
      bullion::bsm::RecordFacts f;
      if (!bullion::bsm::extract_facts(item.bytes, f).ok()) continue;
      if (f.event == kAueLinuxLost) {
        const std::string text(f.text);
        const uint64_t n = std::stoull(text.substr(text.find('=') + 1));
        (text.find("where=writer") != std::string::npos ? writer_lost : other_lost) += n;
        continue;
      }
      const std::string p(f.first_path);
      if (!p.starts_with(work + "/f")) continue;
      if (f.event == 6 || f.event == 286) {  // AUE_UNLINK, AUE_UNLINKAT
        ++unlinks[p];
      } else if (f.return_errno == 0) {
        ++creates[p];
      }
    }
  }
  // Files whose create or unlink was not seen exactly once.
  std::vector<std::string> not_exactly_once(const std::string& work, int count) const {
    std::vector<std::string> bad;
    char path[512];
    for (int i = 0; i < count; ++i) {
      std::snprintf(path, sizeof path, "%s/f%06d", work.c_str(), i);
      auto c = creates.find(path), u = unlinks.find(path);
      if (c == creates.end() || c->second != 1 || u == unlinks.end() || u->second != 1) bad.push_back(path);
    }
    return bad;
  }
  size_t seen() const {
    size_t n = 0;
    for (const auto& [p, k] : creates) n += k;
    for (const auto& [p, k] : unlinks) n += k;
    return n;
  }
};

std::string control_text(const std::vector<std::string>& dirs, const std::string& rest) {
  std::string text;
  for (const std::string& dir : dirs) text += "dir:" + dir + "\n";
  return text + rest;
}

// The daemon is ready when its rules are in the kernel.
bool ready(DaemonProcess& daemon, ControlChannel& control) {
  return daemon.started() && wait_for_rules_of(control, daemon.pid());
}

std::vector<std::string> daemon_args(uint32_t auid) { return {"--auid", std::to_string(auid)}; }

// A small tmpfs of our own, unmounted at the end.
struct SmallFileSystem {
  std::string path;
  bool mounted = false;
  SmallFileSystem(const std::string& where, const char* size) : path(where) {
    std::filesystem::create_directories(path);
    const std::string options = std::string("size=") + size + ",mode=0755";
    mounted = ::mount("tmpfs", path.c_str(), "tmpfs", 0, options.c_str()) == 0;
  }
  ~SmallFileSystem() {
    if (mounted) ::umount2(path.c_str(), MNT_DETACH);
  }
};

TEST(BsmauditdLive, RotatesByFileszKeepingEveryRecordExactlyOnce) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;
  DaemonRoot root;
  const std::string work = root.scratch.sub("work");
  root.control(control_text({root.audit}, "flags:fc,fd\nnaflags:lo\nminfree:0\npolicy:cnt\nfilesz:512K\n"));
  const uint32_t auid = unique_auid();
  constexpr int kFiles = 3000;
  {
    DaemonProcess daemon(root, daemon_args(auid));
    ASSERT_TRUE(ready(daemon, *control)) << daemon.log();
    ASSERT_EQ(churn_files(work, auid, kFiles, 250), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(daemon.stop(), 0) << daemon.log();
  }
  TrailContents contents;
  contents.read_dir(root.audit, work);
  EXPECT_GE(contents.trails, 3u);
  EXPECT_TRUE(contents.all_closed);
  EXPECT_LE(contents.largest, 512u * 1024);
  EXPECT_EQ(contents.writer_lost + contents.other_lost, 0u);
  auto bad = contents.not_exactly_once(work, kFiles);
  EXPECT_TRUE(bad.empty()) << bad.size() << " files not seen exactly once, e.g. " << bad.front();
  expect_state_restored(*control, before);
}

TEST(BsmauditdLive, AuditNSAndTThenExpiryBySizeAfterS) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;
  DaemonRoot root;
  const std::string work = root.scratch.sub("work");
  root.control(control_text({root.audit}, "flags:fd\nnaflags:lo\nminfree:0\npolicy:cnt\nfilesz:2M\n"));
  const uint32_t auid = unique_auid();
  DaemonProcess daemon(root, daemon_args(auid));
  ASSERT_TRUE(ready(daemon, *control)) << daemon.log();
  ASSERT_EQ(churn_files(work, auid, 50), 0);

  auto run = [&](const char* flag) { return trail_testing::run({"audit", flag, "--root", root.root}).status; };
  ASSERT_EQ(run("-n"), 0);
  ASSERT_TRUE(eventually([&] { return root.trails(root.audit).size() == 2; })) << daemon.log();
  const auto first_two = root.trails(root.audit);

  // -s: exec (pc) joins, and expiry by size drops every closed trail.
  root.control(control_text({root.audit},
                            "flags:fd,pc\nnaflags:lo\nminfree:0\npolicy:cnt,argv\nfilesz:2M\n"
                            "expire-after:1B\n"));
  ASSERT_EQ(run("-s"), 0);
  ASSERT_TRUE(eventually([&] {
    auto now = root.trails(root.audit);
    return now.size() == 1 && now[0] != first_two[0] && now[0] != first_two[1];
  })) << daemon.log();
  for (const std::string& old : first_two) {
    if (!old.ends_with(".not_terminated")) {
      EXPECT_NE(root.warnings().find("expired\t" + root.audit + "/" + old), std::string::npos) << root.warnings();
    }
  }
  ScratchDir dir;
  Listener listener;
  Workload w{dir.path, "bullion-daemon-marker-" + std::to_string(getpid()), listener.port};
  EXPECT_EQ(run_workload(w, auid), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  ASSERT_EQ(run("-t"), 0);
  EXPECT_EQ(daemon.wait_exit(), 0) << daemon.log();
  auto trails = root.trails(root.audit);
  ASSERT_EQ(trails.size(), 1u);
  EXPECT_EQ(parse_trail_name(trails[0])->state, TrailName::State::Closed);
  bool exec = false;
  for (const auto& item : trail_testing::read_trail(root.audit + "/" + trails[0])) {
    if (item.file_token) continue;
    bullion::bsm::RecordFacts f;
    if (bullion::bsm::extract_facts(item.bytes, f).ok()) exec |= f.event == 23 && has_exec_arg(f, w.marker);
  }
  EXPECT_TRUE(exec) << "pc was added by audit -s, with argv";
  expect_state_restored(*control, before);
}

TEST(BsmauditdLive, UnderMinfreeEveryDirIsWarnedAboutThroughAuditWarn) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;
  DaemonRoot root;
  const std::string work = root.scratch.sub("work");
  const std::string second = root.scratch.sub("second");
  // No file system has 100% free: both dirs are under minfree.
  root.control(control_text({root.audit, second}, "flags:fc,fd\nnaflags:lo\nminfree:100\npolicy:cnt\nfilesz:2M\n"));
  const uint32_t auid = unique_auid();
  {
    DaemonProcess daemon(root, daemon_args(auid));
    ASSERT_TRUE(ready(daemon, *control)) << daemon.log();
    ASSERT_EQ(churn_files(work, auid, 20), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(daemon.stop(), 0);
  }
  const std::string warnings = root.warnings();
  EXPECT_NE(warnings.find("soft\t" + root.audit + "\n"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("soft\t" + second + "\n"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("allsoft\n"), std::string::npos) << warnings;
  // Soft is a warning: the records are kept, in the first dir.
  TrailContents contents;
  contents.read_dir(root.audit, work);
  EXPECT_TRUE(contents.not_exactly_once(work, 20).empty())
      << contents.seen() << " seen in " << contents.trails
      << " trails; second dir: " << ::testing::PrintToString(trail_testing::list_dir(second)) << "\n"
      << warnings;
  expect_state_restored(*control, before);
}

TEST(BsmauditdLive, MovesToTheNextDirWhenASmallFileSystemFills) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;
  DaemonRoot root;
  const std::string work = root.scratch.sub("work");
  SmallFileSystem small(root.root + "/small", "700k");
  ASSERT_TRUE(small.mounted) << "mount tmpfs: " << std::strerror(errno);
  root.control(control_text({small.path, root.audit}, "flags:fc,fd\nnaflags:lo\nminfree:0\npolicy:cnt\nfilesz:512K\n"));
  const uint32_t auid = unique_auid();
  constexpr int kFiles = 2500;
  {
    DaemonProcess daemon(root, daemon_args(auid));
    ASSERT_TRUE(ready(daemon, *control)) << daemon.log();
    ASSERT_EQ(churn_files(work, auid, kFiles), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(daemon.stop(), 0) << daemon.log();
  }
  EXPECT_NE(root.warnings().find("hard\t" + small.path + "\n"), std::string::npos) << root.warnings();
  TrailContents contents;
  contents.read_dir(small.path, work);
  const size_t in_small = contents.seen();
  contents.read_dir(root.audit, work);
  EXPECT_GT(in_small, 0u);
  EXPECT_GT(contents.seen(), in_small);  // the rest went to the second dir
  EXPECT_EQ(contents.writer_lost, 0u);
  auto bad = contents.not_exactly_once(work, kFiles);
  EXPECT_TRUE(bad.empty()) << bad.size() << " files not seen exactly once, e.g. " << bad.front();
  expect_state_restored(*control, before);
}

TEST(BsmauditdLive, FullFileSystemWithCntCountsLossesAndTearsNothing) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;
  DaemonRoot root;
  const std::string work = root.scratch.sub("work");
  SmallFileSystem small(root.root + "/small", "700k");
  ASSERT_TRUE(small.mounted) << "mount tmpfs: " << std::strerror(errno);
  root.control(control_text({small.path}, "flags:fc,fd\nnaflags:lo\nminfree:0\npolicy:cnt\nfilesz:512K\n"));
  const uint32_t auid = unique_auid();
  constexpr int kFiles = 3000;
  TrailContents contents;
  {
    DaemonProcess daemon(root, daemon_args(auid));
    ASSERT_TRUE(ready(daemon, *control)) << daemon.log();
    ASSERT_EQ(churn_files(work, auid, kFiles), 0);
    ASSERT_TRUE(daemon.wait_for_log("audit_warn allhard")) << daemon.log();
    // The administrator makes room: the oldest (closed) trail is read and
    // removed; the daemon opens a trail again within a second, and its
    // first record says how many were lost.
    auto trails = root.trails(small.path);
    ASSERT_GE(trails.size(), 1u);
    ASSERT_NE(parse_trail_name(trails[0])->state, TrailName::State::Open);
    contents.read_file(small.path + "/" + trails[0], work);
    std::filesystem::remove(small.path + "/" + trails[0]);
    ASSERT_TRUE(eventually([&] {
      auto now = root.trails(small.path);
      return !now.empty() && now.back().ends_with(".not_terminated");
    })) << daemon.log();
    EXPECT_EQ(daemon.stop(), 0) << daemon.log();
    EXPECT_NE(daemon.log().find("lost for want of space"), std::string::npos);
  }
  contents.read_dir(small.path, work);  // every trail reads cleanly: nothing torn
  EXPECT_GT(contents.writer_lost, 0u);
  // Every record is in a trail or counted in a lost= record.
  EXPECT_EQ(contents.seen() + contents.writer_lost + contents.other_lost, 2u * kFiles)
      << contents.seen() << " seen, " << contents.writer_lost << " lost (writer), " << contents.other_lost
      << " lost (source)";
  for (const auto& [path, n] : contents.creates) EXPECT_EQ(n, 1) << path;
  for (const auto& [path, n] : contents.unlinks) EXPECT_EQ(n, 1) << path;
  EXPECT_NE(root.warnings().find("allhard\n"), std::string::npos);
  expect_state_restored(*control, before);
}

TEST(BsmauditdLive, KillNineThenRestartRecoversTheTrailAndTheKernel) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;
  DaemonRoot root;
  const std::string work = root.scratch.sub("work");
  root.control(control_text({root.audit}, "flags:fc,fd\nnaflags:lo\nminfree:0\npolicy:cnt\nfilesz:2M\n"));
  const uint32_t auid = unique_auid();
  std::string crashed;
  {
    DaemonProcess daemon(root, daemon_args(auid));
    ASSERT_TRUE(ready(daemon, *control)) << daemon.log();
    ASSERT_EQ(churn_files(work, auid, 100), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(600));  // written out (flushed per batch)
    crashed = root.trails(root.audit).at(0);
    EXPECT_EQ(daemon.stop(SIGKILL), 128 + SIGKILL);
  }
  EXPECT_FALSE(bullion_rule_keys(*control).empty());  // what kill -9 leaves behind
  {
    // A crash in the middle of a write leaves half a record.
    std::ofstream torn(root.audit + "/" + crashed, std::ios::binary | std::ios::app);
    torn.write("\x14\x00\x00\x02\x00\x0b\x00\x17", 8);
  }
  const std::string recovered = root.audit + "/" + crashed.substr(0, 14) + ".crash_recovery";
  {
    DaemonProcess again(root, daemon_args(auid));
    ASSERT_TRUE(ready(again, *control)) << again.log();
    EXPECT_TRUE(std::filesystem::exists(recovered)) << again.log();
    EXPECT_NE(again.log().find("8 torn bytes cut off"), std::string::npos) << again.log();
    EXPECT_EQ(again.stop(), 0) << again.log();
  }
  // praudit reads the recovered trail to its end without a complaint.
  auto praudit = trail_testing::run({"praudit", recovered});
  EXPECT_EQ(praudit.status, 0) << praudit.err;
  EXPECT_EQ(praudit.err, "");
  TrailContents contents;
  contents.read_file(recovered, work);
  EXPECT_TRUE(contents.not_exactly_once(work, 100).empty());
  expect_state_restored(*control, before);
}

// auditon on a real kernel: status reads the kernel's settings as they
// are; setmask on a running daemon puts a rule for that pid into the kernel
// and unsetmask takes it out again.
TEST(AuditonLive, StatusShowsTheKernelAndSetmaskAddsRulesForThePid) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;
  auto status = trail_testing::run({"auditon", "status"});
  ASSERT_EQ(status.status, 0) << status.err;
  EXPECT_NE(status.out.find("enabled            " + std::to_string(before.enabled)), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("failure            " + std::to_string(before.failure)), std::string::npos);
  EXPECT_NE(status.out.find("backlog wait time  " + std::to_string(before.backlog_wait_time) + " ticks"),
            std::string::npos);
  auto json = trail_testing::run({"auditon", "status", "--json"});
  ASSERT_EQ(json.status, 0) << json.err;
  EXPECT_NE(json.out.find("\"backlog_limit\":" + std::to_string(before.backlog_limit) + ","), std::string::npos)
      << json.out;
  EXPECT_NE(json.out.find("\"rules\":0}"), std::string::npos) << json.out;

  DaemonRoot root;
  root.control(control_text({root.audit}, "flags:lo\nnaflags:lo\nminfree:0\npolicy:cnt\nfilesz:2M\n"));
  const uint32_t auid = unique_auid();
  DaemonProcess daemon(root, daemon_args(auid));
  ASSERT_TRUE(daemon.started()) << daemon.log();
  // lo alone asks the kernel for no syscall: no rule of ours yet.
  EXPECT_TRUE(bullion_rule_keys(*control).empty());
  const std::string self = std::to_string(getpid());
  auto auditon = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"auditon", "--root", root.root});
    return trail_testing::run(args);
  };
  ASSERT_EQ(auditon({"setmask", self, "fd"}).status, 0);
  auto rules_for_self = [&] {
    size_t n = 0;
    auto rules = control->list_rules();
    if (!rules) return n;
    for (const auto& rule : *rules) {
      const std::string text = bullion::live::linux_rules::describe_rule(rule, audit_detect_machine());
      n += text.find(" -F pid=" + self) != std::string::npos && text.find("unlink") != std::string::npos;
    }
    return n;
  };
  EXPECT_GT(rules_for_self(), 0u);
  auto running = trail_testing::run({"auditon", "status", "--json"});
  EXPECT_EQ(running.out.find("\"rules\":0}"), std::string::npos) << running.out;
  EXPECT_NE(running.out.find("\"pid\":" + std::to_string(daemon.pid()) + ","), std::string::npos) << running.out;
  ASSERT_EQ(auditon({"unsetmask", self, "fd"}).status, 0);
  EXPECT_EQ(rules_for_self(), 0u);
  EXPECT_EQ(daemon.stop(), 0) << daemon.log();
  expect_state_restored(*control, before);
}

}  // namespace

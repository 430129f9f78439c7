// Issue 10, live: what cannot be delivered is a record in the stream and a
// failing exit status; a write error leaves whole records only. Each test
// checks the kernel's settings and rules afterwards against those before.
#include <signal.h>
#include <sys/mount.h>

#include "bullion/bsm/token.h"
#include "live_helpers.h"

namespace {

using namespace live_test;

// Kills a child process at scope exit, whatever the test did (RAII).
struct ChildGuard {
  pid_t pid = -1;
  ~ChildGuard() {
    if (pid <= 0) return;
    kill(pid, SIGCONT);
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  int wait() {
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
    return status;
  }
};

// `n` openat+close pairs under `auid`, in a child; returns its pid.
pid_t spawn_open_close(uint32_t auid, int n) {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  char text[16];
  const int len = std::snprintf(text, sizeof text, "%u", auid);
  const int login = open("/proc/self/loginuid", O_WRONLY);
  if (login < 0 || write(login, text, len) != len) _exit(90);
  close(login);
  for (int i = 0; i < n; ++i) {
    const int fd = static_cast<int>(syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY));
    if (fd < 0) _exit(91);
    syscall(SYS_close, fd);
  }
  _exit(0);
}

struct Tally {
  uint64_t opens = 0, closes = 0, lost = 0, lost_records = 0;
  uint64_t newest_open_second = 0;
};

// Counts the workload's records (by auid) and sums every lost= record.
Tally tally(const Captured& captured, uint32_t auid) {
  Tally t;
  for (const auto& record : captured.records) {
    bullion::bsm::RecordFacts f;
    if (!bullion::bsm::extract_facts(record, f).ok()) continue;
    if (f.event == 48002) {  // AUE_LINUX_LOST: "lost=N where=..."
      ++t.lost_records;
      const std::string_view text = f.text;
      if (text.starts_with("lost=")) t.lost += std::strtoull(std::string(text.substr(5)).c_str(), nullptr, 10);
      continue;
    }
    if (!f.has_subject || f.subject.auid != auid) continue;
    if (f.event == 270) {
      ++t.opens;
      t.newest_open_second = std::max<uint64_t>(t.newest_open_second, f.seconds);
    }
    if (f.event == 112) ++t.closes;
  }
  return t;
}

TEST(LiveLoss, StalledCollectorCountsEveryEventAndGoesOn) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;

  constexpr int kPairs = 200000;
  ScratchDir dir;
  const std::string out = dir.path + "/out.bsm", err = dir.path + "/err.txt";
  const uint32_t auid = unique_auid();
  ChildGuard tool{spawn_auditpipe({"--auid", std::to_string(auid), "--timeout", "120", "fr,cl"}, out, err)};
  ASSERT_TRUE(wait_for_rules_of(*control, tool.pid)) << slurp(err);

  ChildGuard work{spawn_open_close(auid, kPairs)};
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(tool.pid, SIGSTOP);
  std::this_thread::sleep_for(std::chrono::seconds(6));
  kill(tool.pid, SIGCONT);
  const auto resumed = static_cast<uint64_t>(time(nullptr));
  const int work_status = work.wait();
  EXPECT_TRUE(WIFEXITED(work_status) && WEXITSTATUS(work_status) == 0);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  kill(tool.pid, SIGTERM);
  const int status = tool.wait();
  const std::string messages = slurp(err);

  const Tally t = tally(read_records(slurp(out)), auid);
  std::printf("stall: %llu opens + %llu closes written, %llu lost in %llu lost= records; %s",
              static_cast<unsigned long long>(t.opens), static_cast<unsigned long long>(t.closes),
              static_cast<unsigned long long>(t.lost), static_cast<unsigned long long>(t.lost_records),
              messages.c_str());
  // Every event is either a record or counted in a lost= record.
  EXPECT_GE(t.opens + t.closes + t.lost, 2u * kPairs) << messages;
  EXPECT_LE(t.opens, static_cast<uint64_t>(kPairs));
  // Capture went on after SIGCONT.
  EXPECT_GE(t.newest_open_second + 1, resumed) << messages;
  // Losses make the exit status fail; none means everything was written.
  if (t.lost > 0) {
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << messages;
  } else {
    EXPECT_EQ(t.opens + t.closes, 2u * kPairs);
  }
  unlink(out.c_str());
  unlink(err.c_str());
  expect_state_restored(*control, before);
}

// A mounted tmpfs that is unmounted at scope exit.
struct SmallTmpfs {
  std::string path;
  bool mounted = false;
  explicit SmallTmpfs(const std::string& at) : path(at) {
    mkdir(path.c_str(), 0700);
    mounted = mount("bullion-full", path.c_str(), "tmpfs", 0, "size=64k") == 0;
  }
  ~SmallTmpfs() {
    if (mounted) umount2(path.c_str(), MNT_DETACH);
    rmdir(path.c_str());
  }
};

TEST(LiveLoss, FullDiskStopsWithAnErrorAndWholeRecordsOnly) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;

  ScratchDir dir;
  SmallTmpfs disk(dir.path + "/disk");
  ASSERT_TRUE(disk.mounted) << "mount tmpfs: " << std::strerror(errno);
  const std::string out = disk.path + "/out.bsm", err = dir.path + "/err.txt";
  const uint32_t auid = unique_auid();
  ChildGuard tool{spawn_auditpipe({"--auid", std::to_string(auid), "--timeout", "60", "fr,cl"}, out, err)};
  ASSERT_TRUE(wait_for_rules_of(*control, tool.pid)) << slurp(err);
  ChildGuard work{spawn_open_close(auid, 20000)};  // far more than 64 KiB of records
  work.wait();
  const int status = tool.wait();  // it must stop by itself on the full disk
  const std::string messages = slurp(err);

  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << messages;
  EXPECT_NE(messages.find("cannot write to standard output"), std::string::npos) << messages;
  EXPECT_NE(messages.find("writer"), std::string::npos) << messages;
  // Only whole records: the reader frames the file to its end without damage.
  const std::string bytes = slurp(out);
  EXPECT_GT(bytes.size(), 0u);
  auto reader = bullion::bsm::RecordReader::from_memory({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()},
                                                        "full disk output");
  bullion::bsm::RecordView view;
  auto next = reader->next(view);
  while (next == bullion::bsm::RecordReader::Next::Record) next = reader->next(view);
  EXPECT_EQ(next, bullion::bsm::RecordReader::Next::End) << reader->error().describe();
  unlink(out.c_str());
  unlink(err.c_str());
  expect_state_restored(*control, before);
}

}  // namespace

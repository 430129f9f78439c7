// pwait: exits 0 with the pid and command line once the named program runs.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "support/live_env.h"
#include "support/run.h"
#include "tools/trail_builder.h"

namespace bullion::testing {
namespace {

TEST(Pwait, PrintsPidAndCommandLineOfTheFirstMatch) {
  TrailBuilder t;
  t.exec(1, "/bin/sh", {"sh"});
  t.exec(2, "/usr/sbin/nginx", {"nginx", "-c", "/etc/my conf"}, {}, 2);  // failed: not started
  t.exec(3, "/usr/sbin/nginx", {"nginx", "-c", "/etc/my conf"});
  t.exec(4, "/usr/sbin/nginx", {"nginx"});
  const auto r = run_tool({"pwait", "-i", t.write("found.bsm"), "nginx"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "3 nginx -c '/etc/my conf'\n");
}

TEST(Pwait, MatchesAnyOfSeveralNamesOrAFullPath) {
  TrailBuilder t;
  t.exec(5, "/opt/x/tool", {"tool"});
  EXPECT_EQ(run_tool({"pwait", "-i", t.write("path.bsm"), "other", "/opt/x/tool"}).out, "5 tool\n");
}

TEST(Pwait, EndOfInputWithoutMatchExitsOne) {
  TrailBuilder t;
  t.exec(1, "/bin/sh", {"sh"});
  const std::string trail = t.write("none.bsm");
  const auto r = run_tool({"pwait", "-i", "-", "nginx"}, trail);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
}

TEST(Pwait, TimeoutOnASilentStreamExitsOne) {
  const std::string fifo = ::testing::TempDir() + "bullion_pwait_fifo_" + std::to_string(getpid());
  ::unlink(fifo.c_str());
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // Held open for writing and never written: the stream stays silent.
  const int writer = ::open(fifo.c_str(), O_RDWR);
  ASSERT_GE(writer, 0);
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_tool({"pwait", "--timeout", "1", "-i", "-", "nginx"}, fifo);
  const auto took = std::chrono::steady_clock::now() - start;
  ::close(writer);
  ::unlink(fifo.c_str());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(Pwait, SpawnedProgramGivesTheChildsPid) {
  TrailBuilder t;
  t.spawn(1, 4242, "/usr/sbin/nginx", {"nginx"});
  const auto r = run_tool({"pwait", "-i", t.write("spawn.bsm"), "nginx"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "4242 nginx\n") << "pwait nginx && kill $pid must reach nginx, not its spawner";
}

// The deadline does not depend on SIGALRM: a caller that blocks it (the mask
// is inherited across exec) must not turn --timeout off.
TEST(Pwait, TimeoutIsADeadlineEvenWithSigalrmBlocked) {
  const std::string fifo = ::testing::TempDir() + "bullion_pwait_blocked_" + std::to_string(getpid());
  ::unlink(fifo.c_str());
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const int writer = ::open(fifo.c_str(), O_RDWR);  // held open, never written: the input stays idle
  ASSERT_GE(writer, 0);
  sigset_t alarm_only, old;
  sigemptyset(&alarm_only);
  sigaddset(&alarm_only, SIGALRM);
  ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &alarm_only, &old), 0);
  const auto start = std::chrono::steady_clock::now();
  // timeout(1) ends a pwait that never gives up (the old behaviour) after 8 s.
  const auto r = run_tool({"/usr/bin/timeout", "-s", "KILL", "8", std::string(BULLION_BIN_DIR) + "/pwait", "--timeout",
                           "1", "-i", fifo, "nginx"});
  const auto took = std::chrono::steady_clock::now() - start;
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  ::close(writer);
  ::unlink(fifo.c_str());
  EXPECT_EQ(r.exit_code, 1) << "not found at the deadline (137: killed, the deadline never came)";
  EXPECT_GE(took, std::chrono::milliseconds(900)) << "it must have waited for the deadline";
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(Pwait, DamagedTokenIsReported) {
  TrailBuilder t;
  t.exec(1, "/bin/a", {"a", "b"});
  std::vector<uint8_t> bytes = t.bytes();
  const size_t args_token = 18 + 3 + 7;  // after header32 and the path "/bin/a"
  ASSERT_EQ(bytes[args_token], 0x3c);
  bytes[args_token + 4] = 0x7f;  // the exec args overrun their record
  const auto r = run_tool({"pwait", "-i", TrailBuilder::write_bytes("pwait_badtoken.bsm", bytes), "nginx"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("pwait: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(": offset "), std::string::npos) << r.err;
}

TEST(Pwait, JsonObject) {
  TrailBuilder t;
  t.exec(8, "/bin/ls", {"ls", "-a"});
  EXPECT_EQ(run_tool({"pwait", "--json", "-i", t.write("json.bsm"), "ls"}).out,
            "{\"pid\":8,\"uid\":1000,\"seconds\":1700000000,\"path\":\"/bin/ls\",\"argv\":[\"ls\",\"-a\"],"
            "\"line\":\"ls -a\"}\n");
}

TEST(Pwait, BadTimeoutIsAUsageError) { EXPECT_EQ(run_tool({"pwait", "--timeout", "soon", "x"}).exit_code, 2); }

// Live: the deadline also holds while the live stream is idle, with SIGALRM
// blocked.
TEST(Pwait, LiveTimeoutIsADeadlineEvenWithSigalrmBlocked) {
  BULLION_REQUIRE_LIVE_AUDIT();
  sigset_t alarm_only, old;
  sigemptyset(&alarm_only);
  sigaddset(&alarm_only, SIGALRM);
  ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &alarm_only, &old), 0);
  const auto start = std::chrono::steady_clock::now();
  // SIGINT after 20 s: pwait then restores the kernel's audit state.
  const auto r = run_tool({"/usr/bin/timeout", "-s", "INT", "20", std::string(BULLION_BIN_DIR) + "/pwait", "--live",
                           "--timeout", "2", "bullion-no-such-program-" + std::to_string(getpid())});
  const auto took = std::chrono::steady_clock::now() - start;
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_GE(took, std::chrono::milliseconds(1500)) << "it must have watched the stream until the deadline";
  EXPECT_LT(took, std::chrono::seconds(10)) << "the deadline fired (SIGINT from timeout(1) came at 20 s)";
}

// Live: pwait sees a uniquely named program we run after it started.
TEST(Pwait, LiveSeesAMarkerProgram) {
  BULLION_REQUIRE_LIVE_AUDIT();
  const std::string name = "bullion-pwait-marker-" + std::to_string(getpid());
  const std::string program = ::testing::TempDir() + name;
  std::filesystem::copy_file("/bin/true", program, std::filesystem::copy_options::overwrite_existing);
  ::chmod(program.c_str(), 0755);
  // Run the marker every second: pwait may take a while to start capturing
  // on a busy machine, and any run after that must be seen.
  std::atomic<bool> done{false};
  std::thread runner([&] {
    for (int i = 0; i < 12 && !done; ++i) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      run_tool({program, "hello world"});
    }
  });
  const auto r = run_tool({"pwait", "--live", "--timeout", "12", name});
  done = true;
  runner.join();
  ::unlink(program.c_str());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(" 'hello world'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(name), std::string::npos) << r.out;
}

}  // namespace
}  // namespace bullion::testing

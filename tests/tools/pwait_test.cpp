// pwait: exits 0 with the pid and command line once the named program runs.
#include <fcntl.h>
#include <gtest/gtest.h>
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
  EXPECT_EQ(r.out, "3 /usr/sbin/nginx -c '/etc/my conf'\n");
}

TEST(Pwait, MatchesAnyOfSeveralNamesOrAFullPath) {
  TrailBuilder t;
  t.exec(5, "/opt/x/tool", {"tool"});
  EXPECT_EQ(run_tool({"pwait", "-i", t.write("path.bsm"), "other", "/opt/x/tool"}).out, "5 /opt/x/tool\n");
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

TEST(Pwait, JsonObject) {
  TrailBuilder t;
  t.exec(8, "/bin/ls", {"ls", "-a"});
  EXPECT_EQ(run_tool({"pwait", "--json", "-i", t.write("json.bsm"), "ls"}).out,
            "{\"pid\":8,\"uid\":1000,\"seconds\":1700000000,\"path\":\"/bin/ls\",\"argv\":[\"ls\",\"-a\"],"
            "\"line\":\"/bin/ls -a\"}\n");
}

TEST(Pwait, BadTimeoutIsAUsageError) { EXPECT_EQ(run_tool({"pwait", "--timeout", "soon", "x"}).exit_code, 2); }

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
  const auto r = run_tool({"pwait", "--timeout", "12", name});
  done = true;
  runner.join();
  ::unlink(program.c_str());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(program + " 'hello world'"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace bullion::testing

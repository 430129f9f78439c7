// No tool goes live unless asked: with no input given, a tool whose stdin
// is not a terminal reads stdin (`cat trail | commands`); live capture
// needs --live, or no input while stdin is a terminal.
#include <gtest/gtest.h>
#include <unistd.h>

#include <thread>

#include "pipeline/pipeline_helpers.h"

namespace bullion::testing {
namespace {

using std::chrono::seconds;

std::string kernel_audit_state() {
  return run_tool({"/usr/bin/python3", shared_dir() + "/tools/audit_state.py", "--full"}).out;
}

class PipedStdin : public ::testing::TestWithParam<std::vector<std::string>> {};

// As root the old behaviour went live and waited for events: the deadline
// then fails the test (and stops the tool with SIGTERM, so the kernel is
// put back).
TEST_P(PipedStdin, IsReadInsteadOfGoingLive) {
  ScratchDir dir;
  const std::string trail = dir / "trail.bsm";
  generate_trail(trail, {"--seed", "5", "--records", "3000", "--clean"});
  std::vector<std::string> with_file = GetParam();
  with_file.push_back(trail);
  if (with_file[0] == "pwait" || with_file[0] == "paudit") with_file.insert(with_file.end() - 1, "-i");
  const RunResult want = run_tool(with_file);
  EXPECT_FALSE(want.out.empty()) << want.err;
  Child::Options o;
  o.stdin_path = trail;
  Child child(GetParam(), o);
  const RunResult got = child.wait(seconds(30));
  EXPECT_FALSE(got.timed_out) << "went live instead of reading stdin";
  EXPECT_EQ(got.out, want.out) << got.err;
  EXPECT_EQ(got.exit_code, want.exit_code) << got.err;
}

INSTANTIATE_TEST_SUITE_P(Tools, PipedStdin,
                         ::testing::Values(std::vector<std::string>{"commands"},
                                           std::vector<std::string>{"filewatcher", "--color=never"},
                                           std::vector<std::string>{"pwait", "ls"},
                                           std::vector<std::string>{"paudit", "--json", "ls"}));

TEST(PipedStdinBsmtrace, IsReadInsteadOfGoingLive) {
  ScratchDir dir;
  const std::string trail = dir / "trail.bsm";
  generate_trail(trail, {"--seed", "5", "--records", "3000", "--clean"});
  const std::string conf = shared_dir() + "/corpus/bsmtrace/bsmtrace.conf";
  const RunResult want = run_tool({"bsmtrace", "-f", conf, "-a", trail});
  Child::Options o;
  o.stdin_path = trail;
  Child child({"bsmtrace", "-f", conf}, o);
  const RunResult got = child.wait(seconds(30));
  EXPECT_FALSE(got.timed_out) << "went live instead of reading stdin";
  EXPECT_EQ(got.exit_code, want.exit_code) << got.err;
  auto alerts = [](const std::string& err) {
    size_t n = 0;
    for (size_t at = err.find("state machine:"); at != std::string::npos; at = err.find("state machine:", at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(alerts(got.err), alerts(want.err));
}

// Live-labelled: reads the kernel's audit state, which only the holder of
// the live lock may rely on. The state is checked while the tool runs: a
// tool that went live would have its rules in the kernel by then.
TEST(PipedStdinLive, LeavesKernelAuditRulesAlone) {
  ScratchDir dir;
  const std::string trail_path = dir / "trail.bsm";
  const std::string trail = generate_trail(trail_path, {"--seed", "5", "--records", "300", "--clean"});
  const std::string before = kernel_audit_state();
  ASSERT_NE(before.find("rules="), std::string::npos) << before;
  Child::Options o;
  o.stdin_pipe = true;
  Child child({"commands"}, o);
  std::this_thread::sleep_for(seconds(2));
  EXPECT_EQ(kernel_audit_state(), before);
  child.write_stdin(trail);
  const RunResult got = child.wait(seconds(30));
  EXPECT_EQ(got.out, run_tool({"commands", trail_path}).out);
  EXPECT_EQ(kernel_audit_state(), before);
}

}  // namespace
}  // namespace bullion::testing

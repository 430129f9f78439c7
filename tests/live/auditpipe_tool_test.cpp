// The auditpipe binary end to end: started as a separate process, it must
// capture the workload, stop cleanly on SIGTERM and leave the kernel as it
// found it. Its output is decoded with the library's reader.
#include <signal.h>
#include <stdlib.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "live_helpers.h"
#include "support/run.h"

namespace {

using namespace live_test;

TEST(AuditpipeTool, CapturesWorkloadAndStopsCleanlyOnSigterm) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;

  ScratchDir dir;
  const std::string out = dir.path + "/out.bsm", err = dir.path + "/err.txt";
  const uint32_t auid = unique_auid();
  const pid_t tool = spawn_auditpipe({"--auid", std::to_string(auid), "--timeout", "60", kClasses}, out, err);
  ASSERT_TRUE(wait_for_rules_of(*control, tool)) << slurp(err);

  Listener listener;
  Workload w{dir.path, "bullion-tool-marker-" + std::to_string(getpid()), listener.port};
  EXPECT_EQ(run_workload(w, auid), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(tool, SIGTERM);
  int status = 0;
  waitpid(tool, &status, 0);
  const std::string messages = slurp(err);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << messages;
  EXPECT_NE(messages.find("records written; 0 lost"), std::string::npos) << messages;

  expect_workload_records(read_records(slurp(out)), w, auid);
  unlink(out.c_str());
  unlink(err.c_str());
  expect_state_restored(*control, before);
}

TEST(AuditpipeTool, StopsAtTimeoutWhenNothingHappens) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;

  ScratchDir dir;
  const std::string out = dir.path + "/out.bsm", err = dir.path + "/err.txt";
  const uint32_t auid = unique_auid();
  // Nothing runs under this auid: only --timeout can end it.
  const auto started = std::chrono::steady_clock::now();
  const pid_t tool = spawn_auditpipe({"--auid", std::to_string(auid), "--timeout", "1", "pc"}, out, err);
  int status = 0;
  waitpid(tool, &status, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << slurp(err);
  EXPECT_TRUE(slurp(out).empty());
  unlink(out.c_str());
  unlink(err.c_str());
  expect_state_restored(*control, before);
}

TEST(AuditpipeTool, StopsByItselfAfterMaxRecords) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;

  ScratchDir dir;
  const std::string out = dir.path + "/out.bsm", err = dir.path + "/err.txt";
  const uint32_t auid = unique_auid();
  const pid_t tool =
      spawn_auditpipe({"--auid", std::to_string(auid), "--max-records", "3", "--timeout", "60", kClasses}, out, err);
  ASSERT_TRUE(wait_for_rules_of(*control, tool)) << slurp(err);
  Listener listener;
  Workload w{dir.path, "bullion-max-marker", listener.port};
  EXPECT_EQ(run_workload(w, auid), 0);
  int status = 0;
  waitpid(tool, &status, 0);  // no signal: it must end on its own
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << slurp(err);
  EXPECT_EQ(read_records(slurp(out)).records.size(), 3u);
  unlink(out.c_str());
  unlink(err.c_str());
  expect_state_restored(*control, before);
}

// --json: one object per record, offsets as in the raw stream, and the
// workload's exec marker among the arguments.
TEST(AuditpipeTool, JsonLinesCarryTheWorkload) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;

  ScratchDir dir;
  const std::string out = dir.path + "/out.jsonl", err = dir.path + "/err.txt";
  const uint32_t auid = unique_auid();
  const pid_t tool = spawn_auditpipe({"--json", "--auid", std::to_string(auid), "--timeout", "60", kClasses}, out, err);
  ASSERT_TRUE(wait_for_rules_of(*control, tool)) << slurp(err);
  Listener listener;
  Workload w{dir.path, "bullion-json-marker-" + std::to_string(getpid()), listener.port};
  EXPECT_EQ(run_workload(w, auid), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(tool, SIGTERM);
  int status = 0;
  waitpid(tool, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << slurp(err);
  const std::string json = slurp(out);
  EXPECT_NE(json.find("\"event_name\":\"AUE_EXECVE\""), std::string::npos);
  EXPECT_NE(json.find("\"" + w.marker + "\""), std::string::npos);
  // Offsets advance by each record's size, as in the raw stream.
  uint64_t expected = 0;
  size_t lines = 0;
  for (size_t pos = 0; pos < json.size();) {
    const size_t end = json.find('\n', pos);
    const std::string line = json.substr(pos, end - pos);
    pos = end == std::string::npos ? json.size() : end + 1;
    ASSERT_EQ(line.rfind("{\"offset\":" + std::to_string(expected) + ",\"size\":", 0), 0u) << line.substr(0, 80);
    const size_t size_at = line.find("\"size\":") + 7;
    expected += std::stoull(line.substr(size_at));
    ++lines;
  }
  EXPECT_GT(lines, 3u);
  // Strict JSON: no key twice (socket tokens once repeated "type"), UTF-8.
  const bullion::testing::RunResult strict = bullion::testing::run_tool(
      {"/usr/bin/python3", std::string(BULLION_SOURCE_DIR) + "/tests/support/strict_json.py", out});
  EXPECT_EQ(strict.exit_code, 0) << strict.err;
  EXPECT_EQ(strict.out, std::to_string(lines) + "\n");
  unlink(out.c_str());
  unlink(err.c_str());
  expect_state_restored(*control, before);
}

TEST(AuditpipeTool, RefusesATerminal) {
  const int master = posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(grantpt(master), 0);
  ASSERT_EQ(unlockpt(master), 0);
  ScratchDir dir;
  const std::string err = dir.path + "/err.txt";
  const pid_t tool = spawn_auditpipe({"pc"}, ptsname(master), err);
  int status = 0;
  waitpid(tool, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2);
  EXPECT_NE(slurp(err).find("pipe me into praudit"), std::string::npos) << slurp(err);
  close(master);
  unlink(err.c_str());
}

TEST(AuditpipeTool, RefusesBadClassFlags) {
  // Bad class flags are refused before anything privileged happens.
  ScratchDir dir;
  const std::string out = dir.path + "/out.bsm", err = dir.path + "/err.txt";
  const pid_t tool = spawn_auditpipe({"nosuchclass"}, out, err);
  int status = 0;
  waitpid(tool, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) << slurp(err);
  EXPECT_NE(slurp(err).find("bad class flags"), std::string::npos);
  unlink(out.c_str());
  unlink(err.c_str());
}

}  // namespace

// commands: one shell-safe line per exec, from trails (and live when root).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "bullion/tools/shell_quote.h"
#include "support/live_env.h"
#include "support/run.h"
#include "tools/trail_builder.h"

namespace bullion::testing {
namespace {

// Splits output into lines (the last newline ends the last line).
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(text.substr(start, nl - start));
  }
  return lines;
}

// What bash makes of a printed line: each word followed by a NUL. The line
// is our own quoting of test data, never audit data from this machine.
std::string words_by_bash(const std::string& line) {
  return run_tool({"/bin/bash", "-c", "printf '%s\\0' " + line}).out;
}

std::string nul_joined(const std::vector<std::string_view>& words) {
  std::string out;
  for (auto w : words) (out += w) += '\0';
  return out;
}

TEST(Commands, PrintsArgvAsRecordedAndThePathOnlyAsAColumn) {
  TrailBuilder t;
  t.exec(100, "/bin/busybox", {"ls", "-l", "/tmp"});  // a busybox applet
  t.exec(101, "/bin/zsh", {"-zsh"});                  // a login shell
  t.file_event(100, kAueOpenR, "/etc/passwd");        // not a command: no line
  const std::string trail = t.write("argv.bsm");
  const auto r = run_tool({"commands", trail});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ls -l /tmp\n-zsh\n");
  EXPECT_EQ(run_tool({"commands", "--pid", "--path", trail}).out, "100 /bin/busybox ls -l /tmp\n101 /bin/zsh -zsh\n");
}

TEST(Commands, EveryRecordWithExecArgumentsIsACommand) {
  TrailBuilder t;
  t.command(5, kAueSudo, "", {"sudo", "-u", "nobody", "id"});  // FreeBSD's sudo(1) record
  t.command(6, kAueDarwinSudo, "", {"sudo", "ls"});            // macOS's
  t.command(7, kAueSu, "", {"-sh"});                           // a login shell started by su
  t.exec(8, "/usr/bin/true", {});                              // an exec without arguments: its path
  const auto r = run_tool({"commands", "--pid", t.write("sudo.bsm")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "5 sudo -u nobody id\n6 sudo ls\n7 -sh\n8 /usr/bin/true\n");
}

TEST(Commands, FailedCommandSaysItsErrorInAShellComment) {
  TrailBuilder t;
  t.exec(9, "/bin/rm", {"rm", "-rf", "/"}, {}, 13);  // EACCES
  const auto r = run_tool({"commands", t.write("failed.bsm")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.out, "rm -rf / # failed: EACCES (Permission denied)\n");
  // Pasted, the comment is no argument.
  EXPECT_EQ(run_tool({"/bin/bash", "-c", "printf '%s\\0' " + r.out.substr(0, r.out.size() - 1).substr(3)}).out,
            std::string("-rf\0/\0", 6));
  const auto json = run_tool({"commands", "--json", t.write("failed_json.bsm")});
  EXPECT_NE(json.out.find("\"error\":\"EACCES (Permission denied)\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"line\":\"rm -rf /\""), std::string::npos) << json.out;
}

TEST(Commands, SpawnIsTheChildsCommand) {
  TrailBuilder t;
  t.spawn(1, 4242, "/usr/bin/helper", {"helper", "--run"});
  const auto r = run_tool({"commands", "--pid", t.write("spawn.bsm")});
  EXPECT_EQ(r.out, "4242 helper --run\n") << "the pid that runs it, not the spawner's";
  const auto json = run_tool({"commands", "--json", t.write("spawn_json.bsm")});
  EXPECT_NE(json.out.find("\"pid\":4242,\"spawned_by\":1,"), std::string::npos) << json.out;
}

TEST(Commands, RecordWithoutSubjectHasNoPidOrUser) {
  TrailBuilder t;
  t.without_subject_command(kAueExecve, "/bin/ls", {"ls"});
  const auto r = run_tool({"commands", "--pid", "--user", t.write("nosubject.bsm")});
  EXPECT_EQ(r.out, "- - ls\n");
}

TEST(Commands, DamagedTokenIsReportedNotSkipped) {
  TrailBuilder t;
  t.exec(1, "/bin/a", {"a", "b"});
  t.exec(2, "/bin/c", {"c"});
  std::vector<uint8_t> bytes = t.bytes();
  const size_t args_token = 18 + 3 + 7;  // after header32 and the path "/bin/a"
  ASSERT_EQ(bytes[args_token], 0x3c);
  bytes[args_token + 4] = 0x7f;  // the exec args claim 127 strings: the token overruns its record
  const auto r = run_tool({"commands", TrailBuilder::write_bytes("badtoken.bsm", bytes)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("commands: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(": offset "), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("c\n"), std::string::npos) << "the records after it still come out";
}

TEST(Commands, ExecveatIsACommand) {
  TrailBuilder t;
  t.command(100, kAueExecveat, "/usr/bin/env", {"env", "true"});
  const auto r = run_tool({"commands", t.write("execveat.bsm")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "env true\n");
}

TEST(Commands, HostileArgumentsRoundTripThroughBash) {
  const std::string marker = ::testing::TempDir() + "bullion_pwned_" + std::to_string(getpid());
  const std::string subst = "$(touch " + marker + ")";
  const std::string backtick = "`touch " + marker + "`";
  const std::vector<std::string_view> args = {"prog",
                                              "two words",
                                              "it's",
                                              "\"dq\"",
                                              subst,
                                              backtick,
                                              "a;b|c&d",
                                              "line1\nline2",
                                              "tab\there",
                                              "\x01\x1b[31m",
                                              "\xff\xfe bad utf8",
                                              "",
                                              "*",
                                              "~",
                                              "-n",
                                              "a=b",
                                              "日本語 x",
                                              "back\\slash",
                                              "$HOME",
                                              "!event",
                                              "'",
                                              "\x7f",
                                              "\\x41"};
  TrailBuilder t;
  t.exec(100, "/opt/my dir/prog's", args);
  const auto r = run_tool({"commands", t.write("hostile.bsm")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 1u) << "a newline in an argument must not split the line: " << r.out;
  EXPECT_EQ(words_by_bash(lines[0]), nul_joined(args)) << lines[0];
  const auto with_path = lines_of(run_tool({"commands", "--path", t.write("hostile_path.bsm")}).out);
  ASSERT_EQ(with_path.size(), 1u);
  std::vector<std::string_view> expected = args;
  expected.insert(expected.begin(), "/opt/my dir/prog's");
  EXPECT_EQ(words_by_bash(with_path[0]), nul_joined(expected)) << with_path[0];
  struct stat st;
  EXPECT_NE(stat(marker.c_str(), &st), 0) << "the printed line ran a command";
}

TEST(Commands, QuotesEachWordTheCheapestSafeWay) {
  auto quoted = [](std::string_view w) {
    std::string out;
    bullion::tools::append_shell_quoted(out, w);
    return out;
  };
  EXPECT_EQ(quoted("/usr/bin/ls"), "/usr/bin/ls");
  EXPECT_EQ(quoted("two words"), "'two words'");
  EXPECT_EQ(quoted("it's"), "'it'\\''s'");
  EXPECT_EQ(quoted("a\nb"), "$'a\\nb'");
  EXPECT_EQ(quoted("\xff"), "$'\\xff'");
  EXPECT_EQ(quoted(""), "''");
  std::string first;
  bullion::tools::append_shell_quoted_command(first, "A=b");
  EXPECT_EQ(first, "'A=b'") << "a bare A=b first word would be an assignment";
}

TEST(Commands, PrintsEveryArgumentBeyond128) {
  std::vector<std::string> storage;
  for (int i = 0; i < 300; ++i) storage.push_back("arg" + std::to_string(i));
  std::vector<std::string_view> args(storage.begin(), storage.end());
  TrailBuilder t;
  t.exec(7, "/bin/echo", args);
  const auto r = run_tool({"commands", t.write("many.bsm")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(" arg1 arg2 "), std::string::npos);
  EXPECT_NE(r.out.find(" arg298 arg299\n"), std::string::npos);
}

TEST(Commands, EnvOptionStartsWithRecordedEnvironment) {
  TrailBuilder t;
  t.exec(5, "/bin/id", {"id"}, {"HOME=/home/a b", "PATH=/bin", "NOEQUALS"});
  const std::string trail = t.write("env.bsm");
  EXPECT_EQ(run_tool({"commands", "--env", trail}).out, "env 'HOME=/home/a b' PATH=/bin id\n");
  EXPECT_EQ(run_tool({"commands", trail}).out, "id\n");
}

TEST(Commands, ColumnsShowTimePidAndUserOrUnknownUidNumber) {
  TrailBuilder t;
  t.exec(41, "/bin/true", {"true"});
  t.uid = 4242;  // not in the passwd file
  t.exec(42, "/bin/false", {"false"});
  const auto r = run_tool({"commands", "--time", "--pid", "--user", "--passwd", write_passwd(), t.write("cols.bsm")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "2023-11-14T22:13:20.000 41 alice true\n"
            "2023-11-14T22:13:21.000 42 4242 false\n");
}

TEST(Commands, JsonCarriesArgvExactlyAndMarksNonUtf8) {
  TrailBuilder t;
  t.exec(9, "/bin/cat", {"cat", "a\"b", "\xff"});
  const auto r = run_tool({"commands", "--json", "--passwd", write_passwd(), t.write("json.bsm")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"time\":\"2023-11-14T22:13:20.000\",\"seconds\":1700000000,\"event\":23,\"attributable\":true,\"pid\":9,"
            "\"uid\":1000,"
            "\"auid\":1000,\"user\":\"alice\",\"path\":\"/bin/cat\",\"argv\":[\"cat\",\"a\\\"b\",\"\\ufffd\"],"
            "\"argv_hex\":[\"636174\",\"612262\",\"ff\"],\"line\":\"cat 'a\\\"b' $'\\\\xff'\"}\n");
}

TEST(Commands, ReportsDamageWithOffsetAndKeepsGoing) {
  TrailBuilder t;
  t.exec(1, "/bin/a", {"a"});
  std::vector<uint8_t> bytes = t.bytes();
  const size_t damage_at = bytes.size();
  bytes.insert(bytes.end(), {0x14, 0x00, 0x00});  // a header cut short
  TrailBuilder after;
  after.exec(2, "/bin/b", {"b"});
  bytes.insert(bytes.end(), after.bytes().begin(), after.bytes().end());
  const auto r = run_tool({"commands", TrailBuilder::write_bytes("damaged.bsm", bytes)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "a\nb\n");
  EXPECT_NE(r.err.find("offset " + std::to_string(damage_at)), std::string::npos) << r.err;
}

// Live: the tool sees a command we run after it started.
TEST(Commands, LiveReportsAnExecutedMarker) {
  BULLION_REQUIRE_LIVE_AUDIT();
  const std::string marker = "bullion-commands-marker-" + std::to_string(getpid());
  // Every second, in case capture starts late on a busy machine.
  std::thread runner([&] {
    for (int i = 0; i < 6; ++i) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      run_tool({"/bin/echo", marker});
    }
  });
  const auto r = run_tool({"/usr/bin/timeout", "-s", "INT", "7", std::string(BULLION_BIN_DIR) + "/commands", "--live"});
  runner.join();
  EXPECT_NE(r.out.find("echo " + marker), std::string::npos) << r.err;
}

}  // namespace
}  // namespace bullion::testing

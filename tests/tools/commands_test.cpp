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

TEST(Commands, PrintsResolvedPathInPlaceOfArgv0) {
  TrailBuilder t;
  t.exec(100, "/usr/bin/ls", {"ls", "-l", "/tmp"});
  t.file_event(100, kAueOpenR, "/etc/passwd");  // not an exec: no line
  const auto r = run_tool({"commands", t.write("resolved.bsm")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "/usr/bin/ls -l /tmp\n");
}

TEST(Commands, ExecveatIsACommand) {
  TrailBuilder t;
  t.command(100, kAueExecveat, "/usr/bin/env", {"env", "true"});
  const auto r = run_tool({"commands", t.write("execveat.bsm")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "/usr/bin/env true\n");
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
  std::vector<std::string_view> expected = args;
  expected[0] = "/opt/my dir/prog's";
  EXPECT_EQ(words_by_bash(lines[0]), nul_joined(expected)) << lines[0];
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
  EXPECT_EQ(run_tool({"commands", "--env", trail}).out, "env 'HOME=/home/a b' PATH=/bin /bin/id\n");
  EXPECT_EQ(run_tool({"commands", trail}).out, "/bin/id\n");
}

TEST(Commands, ColumnsShowTimePidAndUserOrUnknownUidNumber) {
  TrailBuilder t;
  t.exec(41, "/bin/true", {"true"});
  t.uid = 4242;  // not in the passwd file
  t.exec(42, "/bin/false", {"false"});
  const auto r = run_tool({"commands", "--time", "--pid", "--user", "--passwd", write_passwd(), t.write("cols.bsm")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "2023-11-14T22:13:20.000 41 alice /bin/true\n"
            "2023-11-14T22:13:21.000 42 4242 /bin/false\n");
}

TEST(Commands, JsonCarriesArgvExactlyAndMarksNonUtf8) {
  TrailBuilder t;
  t.exec(9, "/bin/cat", {"cat", "a\"b", "\xff"});
  const auto r = run_tool({"commands", "--json", "--passwd", write_passwd(), t.write("json.bsm")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"time\":\"2023-11-14T22:13:20.000\",\"seconds\":1700000000,\"event\":23,\"pid\":9,\"uid\":1000,"
            "\"auid\":1000,\"user\":\"alice\",\"path\":\"/bin/cat\",\"argv\":[\"cat\",\"a\\\"b\",\"\\ufffd\"],"
            "\"argv_hex\":[\"636174\",\"612262\",\"ff\"],\"line\":\"/bin/cat 'a\\\"b' $'\\\\xff'\"}\n");
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
  EXPECT_EQ(r.out, "/bin/a\n/bin/b\n");
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
  const auto r = run_tool({"/usr/bin/timeout", "-s", "INT", "7", std::string(BULLION_BIN_DIR) + "/commands"});
  runner.join();
  EXPECT_NE(r.out.find("/bin/echo " + marker), std::string::npos) << r.err;
}

}  // namespace
}  // namespace bullion::testing

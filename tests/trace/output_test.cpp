#include "bullion/trace/output.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "trace_fixtures.h"

namespace bullion::trace {
namespace {

using ::testing::ElementsAre;

SequenceSpec spec(std::string label, uint32_t priority) {
  SequenceSpec s;
  s.label = std::move(label);
  s.priority = priority;
  return s;
}

TEST(TraceAlertLine, MatchesOriginalFormat) {
  auto s = spec("login.brute.force", 3);
  Alert a;
  a.sequence = &s;
  a.subject = 1001;
  a.seconds = 1176578111;
  a.msec = 66;
  a.duration = 12;
  EXPECT_EQ(format_alert_line(a, "trail.bsm"),
            "1176578111.66 state machine: login.brute.force subject: auid 1001 completed: "
            "duration 12 seconds priority: 3 source: trail.bsm\n");
  a.subject = 0xffffffffu;  // the original printed with %d
  EXPECT_NE(format_alert_line(a, "x").find("subject: auid -1 "), std::string::npos);
}

// A hostile path (quote, backslash, newline, control byte, invalid UTF-8)
// comes out as praudit --json would write it: escaped, U+FFFD for the bad
// bytes, and the exact bytes in "path_hex".
TEST(TraceJson, HostilePathIsEscapedWithItsExactBytesBeside) {
  auto s = spec("untrusted", 2);
  Alert a;
  a.sequence = &s;
  MatchedRecord r;
  r.path = std::string("/tmp/a\"b\\c\n\x01 \xc3\xa9 \xff", 17);
  a.records.push_back(r);
  const std::string json = format_alert_json(a, "t.bsm", nullptr, nullptr);
  EXPECT_NE(json.find("\"path\":\"/tmp/a\\\"b\\\\c\\n\\u0001 \xc3\xa9 \\ufffd\","
                      "\"path_hex\":\"2f746d702f6122625c630a0120c3a920ff\"}"),
            std::string::npos)
      << json;
}

TEST(TraceJson, AlertCarriesSequenceSubjectAndRecords) {
  auto s = spec("untrusted", 2);
  Alert a;
  a.sequence = &s;
  a.subject = 1001;
  a.seconds = 10;
  a.msec = 1;
  MatchedRecord r;
  r.event = 23;
  r.path = "/tmp/evil";
  r.has_subject = true;
  r.subject.auid = 1001;
  a.records.push_back(r);
  testing::FakeAccounts accounts;
  std::string json = format_alert_json(a, "t.bsm", &tables::EventTable::builtin(), &accounts);
  EXPECT_EQ(json,
            "{\"id\":\"0000000000000000\",\"time\":\"1970-01-01T00:00:10.001Z\",\"seconds\":10,\"msec\":1,"
            "\"sequence\":\"untrusted\",\"subject\":{\"type\":\"auid\",\"id\":1001,\"name\":\"csjp\"},\"priority\":2,"
            "\"duration\":0,\"source\":\"t.bsm\",\"records\":[{\"state\":0,\"time\":\"1970-01-01T00:00:00.000Z\","
            "\"seconds\":0,\"msec\":0,\"event\":23,\"event_name\":\"AUE_EXECVE\",\"status\":\"success\",\"errno\":0,"
            "\"return\":0,\"auid\":1001,\"auid_name\":\"csjp\",\"euid\":0,\"euid_name\":\"root\",\"ruid\":0,"
            "\"ruid_name\":\"root\",\"egid\":0,\"egid_name\":\"wheel\",\"rgid\":0,\"rgid_name\":\"wheel\",\"pid\":0,"
            "\"sid\":0,\"terminal\":{\"port\":0,\"address\":\"0.0.0.0\"},\"path\":\"/tmp/evil\"}]}");
}

TEST(TraceTrigger, ArgumentsSplitOnSpacesThenSubstituted) {
  EXPECT_THAT(
      trigger_arguments("/usr/bin/logger  x: $subject ran $object as $esubject", "csjp", "root", "/tmp/a b;rm -rf /"),
      ElementsAre("/usr/bin/logger", "x:", "--", "csjp", "ran", "/tmp/a b;rm -rf /", "as", "root"));
  // Values are not rescanned for variables.
  EXPECT_THAT(trigger_arguments("/bin/echo pre$object", "u", "e", "$subject"), ElementsAre("/bin/echo", "pre$subject"));
}

std::string read_file_when_ready(const std::string& path, size_t lines) {
  for (int i = 0; i < 200; ++i) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    if (static_cast<size_t>(std::count(s.begin(), s.end(), '\n')) >= lines) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return "<timeout>";
}

TEST(TraceTrigger, RunsWithoutShellAndEmptyEnvironment) {
  auto dir = std::filesystem::temp_directory_path() / ("bsmtrace_trig_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string out = (dir / "out.txt").string();
  // A helper that writes each argument on its own line, then its environment.
  std::string helper = (dir / "helper.sh").string();
  std::ofstream(helper) << "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > " << out << "\nenv | wc -l >> "
                        << out << "\n";
  std::filesystem::permissions(helper, std::filesystem::perms::owner_all);
  TriggerRunner runner;
  auto args = trigger_arguments(helper + " $subject $object", "csjp", "root", "/tmp/x y;echo hi");
  ASSERT_EQ(runner.run(args), "");
  runner.wait_all();
  std::string text = read_file_when_ready(out, 3);
  // sh itself may export PWD etc.; no variable of ours may reach it.
  EXPECT_EQ(text.substr(0, text.rfind('\n', text.size() - 2) + 1), "--\ncsjp\n/tmp/x y;echo hi\n");
  EXPECT_EQ(runner.running(), 0u);
  std::filesystem::remove_all(dir);
}

TEST(TraceTrigger, RefusesRelativeProgram) {
  TriggerRunner runner;
  EXPECT_NE(runner.run({"echo", "x"}), "");
}

TEST(TraceTrigger, EngineRunsTriggerOnStateMatch) {
  auto dir = std::filesystem::temp_directory_path() / ("bsmtrace_trig2_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string out = (dir / "out.txt").string();
  std::string helper = (dir / "helper.sh").string();
  std::ofstream(helper) << "#!/bin/sh\nprintf '%s|' \"$@\" > " << out << "\necho >> " << out << "\n";
  std::filesystem::permissions(helper, std::filesystem::perms::owner_all);
  auto policy = testing::parse_ok(
      "sequence t { subject any; state { event any; status any; "
      "trigger \"" +
      helper + " $subject $esubject $object\"; }; };");
  testing::FakeAccounts accounts;
  FILE* sink_stream = std::tmpfile();
  OutputOptions options;
  options.alert_stream = sink_stream;
  AlertWriter writer(options, nullptr, &accounts);
  ASSERT_TRUE(writer.open().ok());
  Engine engine(policy, tables::EventTable::builtin(), writer);
  bsm::RecordFacts f;
  f.event = 23;
  f.has_subject = true;
  f.subject.auid = 1001;
  f.subject.euid = 0;
  f.path_count = 1;
  f.last_path = "/home/a b/$(reboot)";
  engine.process(f);
  writer.triggers().wait_all();
  EXPECT_EQ(read_file_when_ready(out, 1), "--|csjp|root|/home/a b/$(reboot)|\n");
  std::fclose(sink_stream);
  std::filesystem::remove_all(dir);
}

// A value from the audit stream must never become an option of the
// triggered program: `--` goes before the first word that starts with one.
TEST(TraceTrigger, StreamValuesCannotBecomeOptions) {
  EXPECT_THAT(trigger_arguments("/usr/bin/touch $object", "u", "e", "--version"),
              ElementsAre("/usr/bin/touch", "--", "--version"));
  EXPECT_THAT(trigger_arguments("/usr/bin/logger bsmtrace: $subject ran $object", "-u", "e", "-x"),
              ElementsAre("/usr/bin/logger", "bsmtrace:", "--", "-u", "ran", "-x"));
  // A word that starts with fixed text is the policy writer's own option.
  EXPECT_THAT(trigger_arguments("/bin/prog --file=$object", "u", "e", "-x"), ElementsAre("/bin/prog", "--file=-x"));
  // No value, no `--`: the command is run exactly as written.
  EXPECT_THAT(trigger_arguments("/usr/bin/logger config file read", "u", "e", "/etc/x"),
              ElementsAre("/usr/bin/logger", "config", "file", "read"));
}

// More triggers than may run at once wait their turn instead of being
// dropped (the original forked one process per match; we bound the number
// running, not the number run).
TEST(TraceTrigger, TriggersBeyondTheRunningLimitQueueInsteadOfBeingDropped) {
  auto dir = std::filesystem::temp_directory_path() / ("bsmtrace_queue_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string out = (dir / "out.txt").string();
  const std::string helper = (dir / "helper.sh").string();
  std::ofstream(helper) << "#!/bin/sh\necho \"$1\" >> " << out << "\n";
  std::filesystem::permissions(helper, std::filesystem::perms::owner_all);
  TriggerRunner runner(2);
  for (int i = 0; i < 30; ++i) EXPECT_EQ(runner.run({helper, std::to_string(i)}), "") << i;
  runner.wait_all();
  const std::string text = read_file_when_ready(out, 30);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 30);
  EXPECT_EQ(runner.running(), 0u);
  std::filesystem::remove_all(dir);
}

// Past the queue's bound a trigger is dropped, and counted.
TEST(TraceTrigger, OverflowingTheQueueIsCounted) {
  TriggerRunner runner(1, 2);
  EXPECT_EQ(runner.run({"/bin/sleep", "0.2"}), "");
  EXPECT_EQ(runner.run({"/bin/true"}), "");
  EXPECT_EQ(runner.run({"/bin/true"}), "");
  EXPECT_NE(runner.run({"/bin/true"}), "");
  EXPECT_EQ(runner.dropped(), 1u);
  EXPECT_EQ(runner.queued(), 2u);
  runner.wait_all();
  EXPECT_EQ(runner.started(), 3u);
  EXPECT_EQ(runner.queued(), 0u);
}

TEST(TraceTrigger, ValuesAlsoComeAsEnvironmentVariables) {
  EXPECT_THAT(trigger_environment("seq", "csjp", "root", "/tmp/a b"),
              ElementsAre("BSMTRACE_SEQUENCE=seq", "BSMTRACE_SUBJECT=csjp", "BSMTRACE_ESUBJECT=root",
                          "BSMTRACE_OBJECT=/tmp/a b"));
}

}  // namespace
}  // namespace bullion::trace

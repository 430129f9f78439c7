// filewatcher: one line per file event, with the record's time and user.
#include <gtest/gtest.h>

#include <string>

#include "support/pty.h"
#include "support/run.h"
#include "tools/trail_builder.h"

namespace bullion::testing {
namespace {

RunResult watch(const TrailBuilder& t, const std::string& name, std::vector<std::string> flags = {}) {
  std::vector<std::string> argv = {"filewatcher", "--passwd", write_passwd()};
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.push_back(t.write(name));
  return run_tool(argv);
}

TEST(Filewatcher, ShowsRecordTimeUserProcessAndPath) {
  TrailBuilder t;
  t.exec(100, "/usr/bin/vim", {"vim"});
  t.file_event(100, kAueOpenR, "/etc/hosts");
  const auto r = watch(t, "basic.bsm");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "[2023-11-14 22:13:21] [alice] Detected open event from /usr/bin/vim -> /etc/hosts\n");
}

TEST(Filewatcher, UnknownUidIsPrintedAsNumber) {
  TrailBuilder t;
  t.uid = 31337;
  t.file_event(5, kAueUnlink, "/tmp/x");
  const auto r = watch(t, "uid.bsm");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "[2023-11-14 22:13:20] [31337] Detected delete event from 5 -> /tmp/x\n");
}

TEST(Filewatcher, ProcessIsPidUntilAnExecIsSeenAndAfterExit) {
  TrailBuilder t;
  t.file_event(7, kAueOpenR, "/a");  // no exec seen yet
  t.exec(7, "/bin/cat", {"cat"});
  t.file_event(7, kAueOpenR, "/b");
  t.exit(7);
  t.file_event(7, kAueOpenR, "/c");  // pid reused by an unknown program
  const auto r = watch(t, "names.bsm");
  EXPECT_EQ(r.out,
            "[2023-11-14 22:13:20] [alice] Detected open event from 7 -> /a\n"
            "[2023-11-14 22:13:22] [alice] Detected open event from /bin/cat -> /b\n"
            "[2023-11-14 22:13:23] [alice] Detected exit event from /bin/cat\n"
            "[2023-11-14 22:13:24] [alice] Detected open event from 7 -> /c\n");
}

TEST(Filewatcher, ForkChildInheritsTheParentsProgram) {
  TrailBuilder t;
  t.exec(10, "/usr/sbin/sshd", {"sshd"});
  t.fork(10, 11);
  t.file_event(11, kAueOpenR, "/etc/shadow");
  EXPECT_EQ(watch(t, "fork.bsm").out,
            "[2023-11-14 22:13:22] [alice] Detected open event from /usr/sbin/sshd -> /etc/shadow\n");
}

TEST(Filewatcher, ChildAuditedBeforeItsParentsCloneRecordKeepsItsOwnProgram) {
  // Linux writes the clone record when the parent returns from clone(); the
  // child may exec (and be audited) before that.
  TrailBuilder t;
  t.exec(100, "/bin/bash", {"bash"});
  const uint32_t clone_time = t.time++;
  t.exec(101, "/bin/ls", {"ls"});
  TrailBuilder clone;
  clone.time = clone_time;
  clone.fork_with_arg0(100, 101);
  TrailBuilder after;
  after.time = t.time;
  after.file_event(101, kAueOpenR, "/etc/after");
  std::vector<uint8_t> bytes = t.bytes();
  bytes.insert(bytes.end(), clone.bytes().begin(), clone.bytes().end());
  bytes.insert(bytes.end(), after.bytes().begin(), after.bytes().end());
  const auto r = run_tool({"filewatcher", "--passwd", write_passwd(), TrailBuilder::write_bytes("clone.bsm", bytes)});
  EXPECT_NE(r.out.find("from /bin/ls -> /etc/after"), std::string::npos) << r.out;
}

TEST(Filewatcher, FailureShowsItsError) {
  TrailBuilder t;
  t.file_event(3, kAueOpenR, "/root/secret", 13);  // BSM 13 = EACCES
  EXPECT_EQ(
      watch(t, "fail.bsm").out,
      "[2023-11-14 22:13:20] [alice] Detected open event from 3 -> /root/secret failed: EACCES (Permission denied)\n");
}

TEST(Filewatcher, RenameShowsBothPaths) {
  TrailBuilder t;
  t.file_event(3, kAueRename, "/tmp/old", 0, "/tmp/new");
  EXPECT_EQ(watch(t, "rename.bsm").out,
            "[2023-11-14 22:13:20] [alice] Detected rename event from 3 -> /tmp/old -> /tmp/new\n");
}

TEST(Filewatcher, FileFilterMatchesEveryPathOfARecord) {
  TrailBuilder t;
  t.file_event(3, kAueRename, "/tmp/evil", 0, "/etc/passwd");
  t.file_event(3, kAueLink, "/tmp/x", 0, "/etc/passwd");
  t.file_event(3, kAueOpenR, "/etc/hosts");
  const auto r = watch(t, "every_path.bsm", {"-f", "/etc/passwd"});
  EXPECT_EQ(r.out,
            "[2023-11-14 22:13:20] [alice] Detected rename event from 3 -> /tmp/evil -> /etc/passwd\n"
            "[2023-11-14 22:13:21] [alice] Detected create event from 3 -> /tmp/x -> /etc/passwd\n");
}

TEST(Filewatcher, RecordWithoutSubjectIsNotAttributable) {
  TrailBuilder t;
  t.without_subject(kAueOpenR, "/etc/hosts");
  const auto r = watch(t, "nosubject.bsm");
  EXPECT_EQ(r.out, "[2023-11-14 22:13:20] [-] Detected open event from (non-attributable) -> /etc/hosts\n");
  const auto json = watch(t, "nosubject_json.bsm", {"--json"});
  EXPECT_NE(json.out.find("\"attributable\":false,\"path\":\"/etc/hosts\""), std::string::npos) << json.out;
  EXPECT_EQ(json.out.find("\"pid\""), std::string::npos) << "no made-up pid 0";
  EXPECT_EQ(watch(t, "nosubject_p.bsm", {"-p", "0"}).out, "");
}

TEST(Filewatcher, LinesCarryTheDateOnTrailsThatSpanDays) {
  TrailBuilder t;
  t.file_event(3, kAueOpenR, "/monday");
  t.time += 86400;
  t.file_event(3, kAueOpenR, "/tuesday");
  EXPECT_EQ(watch(t, "days.bsm").out,
            "[2023-11-14 22:13:20] [alice] Detected open event from 3 -> /monday\n"
            "[2023-11-15 22:13:21] [alice] Detected open event from 3 -> /tuesday\n");
}

TEST(Filewatcher, ColoursAreSantorusUserCyanEventYellowProcessGreen) {
  TrailBuilder t;
  t.file_event(3, kAueOpenR, "/x", 13);
  EXPECT_EQ(watch(t, "santoru.bsm", {"--color=always"}).out,
            "[2023-11-14 22:13:20] [\033[36malice\033[0m] Detected \033[33mopen\033[0m event from \033[32m3\033[0m"
            " -> /x \033[31mfailed: EACCES (Permission denied)\033[0m\n");
}

TEST(Filewatcher, DamagedTokenIsReportedNotSkipped) {
  TrailBuilder t;
  t.file_event(3, kAueOpenR, "/first");
  std::vector<uint8_t> bytes = t.bytes();
  bytes[18] = 0x7e;  // the path token's id becomes in_addr_ex: its body runs past the record
  TrailBuilder after;
  after.time = t.time;
  after.file_event(3, kAueOpenR, "/second");
  bytes.insert(bytes.end(), after.bytes().begin(), after.bytes().end());
  const auto r = run_tool({"filewatcher", "--passwd", write_passwd(), TrailBuilder::write_bytes("fw_bad.bsm", bytes)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("filewatcher: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(": offset 23: address type"), std::string::npos) << r.err;  // in_addr_ex type field
  EXPECT_NE(r.out.find("/second"), std::string::npos) << r.out;
}

TEST(Filewatcher, FileFilterTakesPrefixOrGlob) {
  TrailBuilder t;
  t.file_event(3, kAueOpenR, "/tmp/a/x.txt");
  t.file_event(3, kAueOpenR, "/tmp/ab");
  t.file_event(3, kAueOpenR, "/etc/y.txt");
  EXPECT_EQ(watch(t, "prefix.bsm", {"-f", "/tmp/a"}).out,
            "[2023-11-14 22:13:20] [alice] Detected open event from 3 -> /tmp/a/x.txt\n");
  const auto glob = watch(t, "glob.bsm", {"--file", "*.txt"});
  EXPECT_NE(glob.out.find("/tmp/a/x.txt"), std::string::npos);
  EXPECT_NE(glob.out.find("/etc/y.txt"), std::string::npos);
  EXPECT_EQ(glob.out.find("/tmp/ab"), std::string::npos);
}

TEST(Filewatcher, ProcessFilterTakesBaseNameOrPath) {
  TrailBuilder t;
  t.exec(1, "/usr/bin/vim", {"vim"});
  t.exec(2, "/usr/bin/vimdiff", {"vimdiff"});
  t.file_event(1, kAueOpenR, "/one");
  t.file_event(2, kAueOpenR, "/two");
  const auto by_name = watch(t, "pname.bsm", {"-p", "vim"});
  EXPECT_NE(by_name.out.find("/one"), std::string::npos);
  EXPECT_EQ(by_name.out.find("/two"), std::string::npos);
  const auto by_path = watch(t, "ppath.bsm", {"--process", "/usr/bin/vimdiff"});
  EXPECT_EQ(by_path.out.find("/one"), std::string::npos);
  EXPECT_NE(by_path.out.find("/two"), std::string::npos);
}

TEST(Filewatcher, AllShowsEventsBeyondTheDefaultSet) {
  TrailBuilder t;
  t.file_event(3, kAueChmod, "/tmp/f");
  EXPECT_EQ(watch(t, "chmod.bsm").out, "");
  EXPECT_EQ(watch(t, "chmod_all.bsm", {"-a"}).out,
            "[2023-11-14 22:13:20] [alice] Detected chmod event from 3 -> /tmp/f\n");
}

TEST(Filewatcher, ColoursOnlyWhenAskedOrOnATerminal) {
  TrailBuilder t;
  t.file_event(3, kAueOpenR, "/x");
  EXPECT_EQ(watch(t, "nocolor.bsm").out.find('\033'), std::string::npos) << "piped output has no colours";
  EXPECT_NE(watch(t, "color.bsm", {"--color=always"}).out.find("\033["), std::string::npos);
}

TEST(Filewatcher, ColoursByDefaultOnATerminalOnly) {
  TrailBuilder t;
  t.file_event(3, kAueOpenR, "/x");
  const std::string trail = t.write("tty.bsm");
  const std::string tool = std::string(BULLION_BIN_DIR) + "/filewatcher";
  const std::string on_tty = run_on_pty({tool, "--passwd", write_passwd(), trail});
  EXPECT_NE(on_tty.find("[\033[36malice\033[0m] Detected \033[33mopen\033[0m"), std::string::npos) << on_tty;
  EXPECT_EQ(run_on_pty({tool, "--color=never", trail}).find('\033'), std::string::npos);
}

TEST(Filewatcher, HostilePathCannotForgeALine) {
  TrailBuilder t;
  t.file_event(3, kAueOpenR, "/tmp/x\n[00:00:00] [root] Detected open event from init -> /etc/shadow\033[2J");
  const auto r = watch(t, "forge.bsm");
  EXPECT_EQ(
      r.out,
      "[2023-11-14 22:13:20] [alice] Detected open event from 3 -> /tmp/x\\n[00:00:00] [root] Detected open event "
      "from init -> /etc/shadow\\x1b[2J\n");
}

TEST(Filewatcher, JsonLineAndDebugFile) {
  TrailBuilder t;
  t.file_event(3, kAueOpenR, "/x", 2);
  const std::string debug = ::testing::TempDir() + "bullion_fw_debug_" + std::to_string(getpid());
  std::remove(debug.c_str());
  const auto r = watch(t, "json.bsm", {"--json", "-d", debug});
  EXPECT_EQ(r.out,
            "{\"time\":\"2023-11-14T22:13:20.000\",\"seconds\":1700000000,\"event\":72,\"kind\":\"open\","
            "\"attributable\":true,\"pid\":3,"
            "\"uid\":1000,\"user\":\"alice\",\"process\":\"3\",\"path\":\"/x\",\"error\":\"ENOENT (No such file or "
            "directory)\"}\n");
  EXPECT_EQ(read_file(debug), r.out);
}

// An event's own name becomes the "kind"; it was pasted into the JSON
// unescaped, so a quote in the audit_event table broke the line.
TEST(Filewatcher, JsonEscapesEventNamesFromTheTable) {
  const std::string events_text = "43001:AUE_WE\"IRD\\ONE:an odd event:fr\n";
  const std::string events =
      TrailBuilder::write_bytes("audit_event", std::vector<uint8_t>(events_text.begin(), events_text.end()));
  TrailBuilder t;
  t.file_event(3, 43001, "/x");
  const auto r = watch(t, "odd_event.bsm", {"-a", "--json", "--audit-event", events});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(R"("kind":"we\"ird\\one",)"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace bullion::testing

// bsmauditd, audit and auditon as processes, without kernel audit
// (--no-kernel: the daemon logs the settings and rules it would apply and
// receives no records), so trails, triggers, signals, crash recovery and
// auditon's requests are tested anywhere. The live tests (tests/live) run
// the same daemon on the real kernel.
#include <gtest/gtest.h>

#include "bullion/bsm/facts.h"
#include "bullion/trail/names.h"
#include "bullion/trail/records.h"
#include "daemon_process.h"

namespace bullion::trail::testing {
namespace {

bool closed(const std::string& name) { return parse_trail_name(name)->state == TrailName::State::Closed; }

std::vector<bsm::RecordFacts> records_of(const std::string& path, std::vector<std::vector<uint8_t>>& keep) {
  std::vector<bsm::RecordFacts> facts;
  for (auto& item : read_trail(path)) {
    if (item.file_token) continue;
    keep.push_back(std::move(item.bytes));
    bsm::RecordFacts f;
    EXPECT_TRUE(bsm::extract_facts(keep.back(), f).ok());
    facts.push_back(f);
  }
  return facts;
}

TEST(Bsmauditd, KeepsOneTrailFromStartToStopWithItsOwnRecords) {
  DaemonRoot root;
  root.control(root.standard_control());
  DaemonProcess daemon(root);
  ASSERT_TRUE(daemon.started()) << daemon.log();
  ASSERT_EQ(root.trails(root.audit).size(), 1u);
  const std::string open = root.trails(root.audit)[0];
  EXPECT_TRUE(open.ends_with(".not_terminated"));
  char target[4096] = {};
  ASSERT_GT(readlink((root.audit + "/current").c_str(), target, sizeof target - 1), 0);
  EXPECT_EQ(std::string(target), root.audit + "/" + open);
  EXPECT_TRUE(std::filesystem::exists(root.root + "/var/run/bsmauditd.pid"));
  EXPECT_EQ(daemon.stop(SIGTERM), 0) << daemon.log();

  auto trails = root.trails(root.audit);
  ASSERT_EQ(trails.size(), 1u);
  EXPECT_TRUE(closed(trails[0]));
  EXPECT_FALSE(std::filesystem::exists(root.audit + "/current"));
  EXPECT_FALSE(std::filesystem::exists(root.root + "/var/run/bsmauditd.pid"));
  EXPECT_FALSE(std::filesystem::exists(root.root + "/var/run/bsmauditd.ctl"));
  std::vector<std::vector<uint8_t>> bytes;
  auto facts = records_of(root.audit + "/" + trails[0], bytes);
  ASSERT_EQ(facts.size(), 2u);
  EXPECT_EQ(facts[0].event, kAueAuditStartup);
  EXPECT_EQ(facts[0].text, "bsmauditd::Audit startup");
  EXPECT_EQ(facts[1].event, kAueAuditShutdown);
  EXPECT_NE(root.warnings().find("closefile\t" + root.audit + "/" + trails[0] + "\n"), std::string::npos)
      << root.warnings();
}

TEST(Bsmauditd, AuditNStartsANewTrail) {
  DaemonRoot root;
  root.control(root.standard_control());
  DaemonProcess daemon(root);
  ASSERT_TRUE(daemon.started()) << daemon.log();
  auto sent = run({"audit", "-n", "--root", root.root});
  EXPECT_EQ(sent.status, 0) << sent.err;
  EXPECT_EQ(sent.out, "Trigger sent.\n");
  ASSERT_TRUE(eventually([&] { return root.trails(root.audit).size() == 2; })) << daemon.log();
  EXPECT_EQ(daemon.stop(), 0);
  auto trails = root.trails(root.audit);
  ASSERT_EQ(trails.size(), 2u);
  EXPECT_TRUE(closed(trails[0]) && closed(trails[1]));
  EXPECT_LT(parse_trail_name(trails[0])->start, parse_trail_name(trails[1])->start);
}

TEST(Bsmauditd, AuditSRereadsAuditControlIntoANewTrailAndExpires) {
  DaemonRoot root;
  const std::string elsewhere = root.scratch.sub("elsewhere");
  root.control(root.standard_control());
  DaemonProcess daemon(root);
  ASSERT_TRUE(daemon.started()) << daemon.log();
  // Old trails of a previous life, 4 KiB each: expire-after 5K keeps one.
  for (const char* name : {"20200101000000.20200101010000", "20200102000000.20200102010000"}) {
    write_bytes(elsewhere + "/" + name, std::vector<uint8_t>(4096));
  }
  root.control("dir:" + elsewhere + "\nflags:lo\nminfree:0\nnaflags:lo\npolicy:cnt\nfilesz:2M\nexpire-after:5K\n");
  ASSERT_EQ(run({"audit", "-s", "--root", root.root}).status, 0);
  ASSERT_TRUE(eventually([&] { return !root.trails(elsewhere).empty() && root.trails(elsewhere).size() < 3; }))
      << daemon.log();
  EXPECT_EQ(daemon.stop(), 0);
  auto old_dir = root.trails(root.audit);
  ASSERT_EQ(old_dir.size(), 1u);
  EXPECT_TRUE(closed(old_dir[0]));
  auto new_dir = root.trails(elsewhere);
  // The oldest one went, the newer old one stays with the new trail.
  EXPECT_EQ(std::count(new_dir.begin(), new_dir.end(), "20200101000000.20200101010000"), 0);
  EXPECT_EQ(std::count(new_dir.begin(), new_dir.end(), "20200102000000.20200102010000"), 1);
  EXPECT_NE(root.warnings().find("expired\t" + elsewhere + "/20200101000000.20200101010000"), std::string::npos)
      << root.warnings();
}

TEST(Bsmauditd, AuditEExpiresNow) {
  DaemonRoot root;
  root.control(root.standard_control("expire-after:1d\n"));
  DaemonProcess daemon(root);
  ASSERT_TRUE(daemon.started()) << daemon.log();
  write_bytes(root.audit + "/20200101000000.20200101010000", std::vector<uint8_t>(100));
  ASSERT_EQ(run({"audit", "-e", "--root", root.root}).status, 0);
  ASSERT_TRUE(eventually([&] { return !std::filesystem::exists(root.audit + "/20200101000000.20200101010000"); }))
      << daemon.log();
  EXPECT_EQ(root.trails(root.audit).size(), 1u);  // the open trail stays
  EXPECT_EQ(daemon.stop(), 0);
}

TEST(Bsmauditd, AuditTStopsTheDaemon) {
  DaemonRoot root;
  root.control(root.standard_control());
  DaemonProcess daemon(root);
  ASSERT_TRUE(daemon.started()) << daemon.log();
  ASSERT_EQ(run({"audit", "-t", "--root", root.root}).status, 0);
  EXPECT_EQ(daemon.wait_exit(), 0) << daemon.log();
  EXPECT_TRUE(closed(root.trails(root.audit).at(0)));
}

TEST(Bsmauditd, SighupRereadsWithoutANewTrail) {
  DaemonRoot root;
  root.control(root.standard_control());
  DaemonProcess daemon(root);
  ASSERT_TRUE(daemon.started()) << daemon.log();
  root.control("dir:" + root.audit + "\nflags:lo,+pc\nminfree:0\nnaflags:lo\npolicy:cnt\nfilesz:2M\n");
  kill(daemon.pid(), SIGHUP);
  ASSERT_TRUE(daemon.wait_for_log("audit_control re-read")) << daemon.log();
  EXPECT_NE(daemon.log().find("-S "), std::string::npos) << daemon.log();  // now there are rules to apply
  EXPECT_EQ(root.trails(root.audit).size(), 1u);
  EXPECT_EQ(daemon.stop(), 0);
}

TEST(Bsmauditd, ABadAuditControlKeepsTheOldOneOnReread) {
  DaemonRoot root;
  root.control(root.standard_control());
  DaemonProcess daemon(root);
  ASSERT_TRUE(daemon.started()) << daemon.log();
  root.control("dir:" + root.audit + "\nflags:lo,zz\n");
  ASSERT_EQ(run({"audit", "-s", "--root", root.root}).status, 0);
  ASSERT_TRUE(daemon.wait_for_log("audit_control not applied, the old one stays")) << daemon.log();
  EXPECT_EQ(root.trails(root.audit).size(), 1u);
  EXPECT_EQ(daemon.stop(), 0);
}

TEST(Bsmauditd, ASecondDaemonIsRefusedWithEbusy) {
  DaemonRoot root;
  root.control(root.standard_control());
  DaemonProcess first(root);
  ASSERT_TRUE(first.started()) << first.log();
  DaemonProcess second(root);
  EXPECT_EQ(second.wait_exit(), 1);
  EXPECT_NE(root.warnings().find("ebusy\n"), std::string::npos) << root.warnings();
  EXPECT_EQ(first.stop(), 0);
}

TEST(Bsmauditd, ABrokenConfigurationDoesNotStartAndRunsNostart) {
  DaemonRoot root;
  root.control("dir:" + root.audit + "\nflags:lo,zz\n");
  DaemonProcess daemon(root);
  EXPECT_EQ(daemon.wait_exit(), 1);
  EXPECT_NE(daemon.log().find("unknown audit class 'zz'"), std::string::npos) << daemon.log();
  EXPECT_NE(root.warnings().find("nostart\n"), std::string::npos) << root.warnings();
  EXPECT_TRUE(root.trails(root.audit).empty());
}

TEST(Bsmauditd, AfterKillNineTheNextStartRecoversTheTrail) {
  DaemonRoot root;
  root.control(root.standard_control());
  std::string crashed;
  {
    DaemonProcess daemon(root);
    ASSERT_TRUE(daemon.started()) << daemon.log();
    crashed = root.trails(root.audit).at(0);
    EXPECT_EQ(daemon.stop(SIGKILL), 128 + SIGKILL);
  }
  // A torn record at the end, as a crash mid-write leaves it.
  {
    std::ofstream torn(root.audit + "/" + crashed, std::ios::binary | std::ios::app);
    torn.write("\x14\x00\x00\x01\x00\x0b", 6);
  }
  DaemonProcess again(root);
  ASSERT_TRUE(again.started()) << again.log();
  const std::string recovered = crashed.substr(0, 14) + ".crash_recovery";
  EXPECT_TRUE(std::filesystem::exists(root.audit + "/" + recovered)) << again.log();
  EXPECT_NE(again.log().find("6 torn bytes cut off"), std::string::npos) << again.log();
  EXPECT_EQ(again.stop(), 0);
  auto items = read_trail(root.audit + "/" + recovered);  // reads cleanly
  ASSERT_GE(items.size(), 3u);
  EXPECT_EQ(file_token_name(items.back().bytes), root.audit + "/" + recovered);
  // The new trail says what was recovered, as OpenBSM's auditd does.
  std::vector<std::vector<uint8_t>> bytes;
  bool noted = false;
  for (const std::string& name : root.trails(root.audit)) {
    if (!closed(name)) continue;
    for (const auto& f : records_of(root.audit + "/" + name, bytes)) {
      noted |= f.event == kAueAuditRecovery && f.first_path == root.audit + "/" + recovered;
    }
  }
  EXPECT_TRUE(noted);
}

TEST(Audit, WithoutADaemonSaysSoAndFails) {
  DaemonRoot root;
  auto r = run({"audit", "-n", "--root", root.root});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("bsmauditd is not running"), std::string::npos) << r.err;
  EXPECT_EQ(run({"audit", "--root", root.root}).status, 2);
  EXPECT_EQ(run({"audit", "-n", "-t"}).status, 2);
}

TEST(Audit, AStalePidFileNamesNoDaemon) {
  DaemonRoot root;
  std::filesystem::create_directories(root.root + "/var/run");
  std::ofstream(root.root + "/var/run/bsmauditd.pid") << getpid() << "\n";  // a live pid, but no lock
  auto r = run({"audit", "-n", "--root", root.root});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("stale"), std::string::npos) << r.err;
}

// Every auditon subcommand against a daemon that touches no kernel: the
// daemon's answer, and for changes the plan it logs.
TEST(Auditon, EverySubcommandActsOnTheDaemon) {
  DaemonRoot root;
  root.control(root.standard_control());
  DaemonProcess daemon(root);
  ASSERT_TRUE(daemon.started()) << daemon.log();
  auto auditon = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"auditon", "--root", root.root});
    return run(args);
  };
  EXPECT_EQ(auditon({"getpolicy"}).out, "cnt,argv\n");
  EXPECT_EQ(auditon({"setpolicy", "ahlt"}).status, 0);
  EXPECT_EQ(auditon({"getpolicy"}).out, "cnt,ahlt,argv\n");
  EXPECT_TRUE(daemon.wait_for_log("failure=2 (put back at stop)")) << daemon.log();
  EXPECT_EQ(auditon({"unsetpolicy", "ahlt,argv"}).status, 0);
  EXPECT_EQ(auditon({"getpolicy"}).out, "cnt\n");

  const std::string self = std::to_string(getpid());
  EXPECT_EQ(auditon({"getmask", self}).out, "lo,aa\n");
  EXPECT_EQ(auditon({"setmask", self, "-fr,pc"}).status, 0);
  EXPECT_EQ(auditon({"getmask", self}).out, "-fr,pc,lo,aa\n");
  EXPECT_TRUE(daemon.wait_for_log("-F pid=" + self)) << daemon.log();  // rules for that process
  EXPECT_EQ(auditon({"unsetmask", self, "pc"}).status, 0);
  EXPECT_EQ(auditon({"getmask", self}).out, "-fr,lo,aa\n");

  EXPECT_EQ(auditon({"getclass", "AUE_OPEN_R"}).out, "fr\n");
  EXPECT_EQ(auditon({"setclass", "AUE_OPEN_R", "fw"}).status, 0);
  EXPECT_EQ(auditon({"getclass", "AUE_OPEN_R"}).out, "fr,fw\n");
  EXPECT_EQ(auditon({"unsetclass", "AUE_OPEN_R", "fr"}).status, 0);
  EXPECT_EQ(auditon({"getclass", "AUE_OPEN_R"}).out, "fw\n");

  auto missing = auditon({"getclass", "AUE_NO_SUCH_EVENT"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("no event AUE_NO_SUCH_EVENT"), std::string::npos) << missing.err;
  EXPECT_EQ(auditon({"getmask", "999999999"}).status, 1);
  EXPECT_EQ(auditon({"setpolicy", "nonsense"}).status, 1);
  EXPECT_EQ(auditon({"frobnicate"}).status, 2);
  EXPECT_EQ(auditon({"setmask", self}).status, 2);
  EXPECT_EQ(daemon.stop(), 0);
}

TEST(Auditon, WithoutADaemonSaysSo) {
  DaemonRoot root;
  auto r = run({"auditon", "--root", root.root, "getpolicy"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("bsmauditd is not running"), std::string::npos) << r.err;
}

// Configurations that could suspend or halt the machine are checked
// through the plan, never applied in a test.
TEST(DryRun, AhltSetsThePanicFailureMode) {
  DaemonRoot root;
  root.control("dir:" + root.audit + "\nflags:lo,+pc\nminfree:5\nnaflags:lo\npolicy:ahlt,argv\nfilesz:100K\n");
  auto r = run({"bsmauditd", "--dry-run", "--root", root.root});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("# filesz 102400 is below 512K: 512K is used\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nfailure=2 (put back at stop)\n"), std::string::npos) << r.out;
  // ahlt without cnt: also the suspending reader.
  EXPECT_NE(r.out.find("\nbacklog_wait_time=60000 ticks\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("reader waits for the consumer"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("-S "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("execve"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("-F success=1"), std::string::npos) << r.out;
  EXPECT_TRUE(root.trails(root.audit).empty());  // a dry run writes nothing
}

TEST(DryRun, CntKeepsTheFailureModeAndDropsAndCounts) {
  DaemonRoot root;
  root.control(root.standard_control());
  auto r = run({"bsmauditd", "--dry-run", "--root", root.root});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\nfailure unchanged\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nbacklog_wait_time=1 ticks\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("reader drops and counts"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace bullion::trail::testing

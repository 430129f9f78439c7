// auditconf check and advise, run as a user runs them.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "bullion/bsm/encoder.h"
#include "bullion/version.h"
#include "support/run.h"

namespace bullion::testing {
namespace {

namespace fs = std::filesystem;

class AuditconfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/bullion-auditconf-XXXXXX";
    dir_ = mkdtemp(pattern);
    fs::create_directories(dir_ + "/audit");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::string good_control() const {
    return "dir:" + dir_ +
           "/audit\nflags:lo,aa\nminfree:5\nnaflags:lo,aa\npolicy:cnt,argv\nfilesz:2M\n"
           "expire-after:10M\n";
  }

  std::string dir_;
};

TEST_F(AuditconfTest, CleanFileExitsZero) {
  auto r = run_tool({"auditconf", "check", write("audit_control", good_control())});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "1 file checked: 0 errors, 0 warnings\n");
}

TEST_F(AuditconfTest, WarningsExitOneAndNameEachFindingWithItsLine) {
  const std::string path =
      write("audit_control", "dir:" + dir_ + "/audit\nflags:lo,fr\nminfree:0\npolicy:argv\nfilesz:2M\n");
  auto r = run_tool({"auditconf", "check", path});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find(path + ":2: warning: flags: fr audits"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[busy-class]"), std::string::npos);
  EXPECT_NE(r.out.find(path + ":3: warning: minfree: 0 "), std::string::npos);
  EXPECT_NE(r.out.find(path + ":4: warning: policy: without cnt"), std::string::npos);
  EXPECT_NE(r.out.find("[no-expiry]"), std::string::npos);
  EXPECT_NE(r.out.find("0 errors, 4 warnings"), std::string::npos) << r.out;
}

TEST_F(AuditconfTest, ErrorsExitTwo) {
  const std::string path = write("audit_control", "dir:relative\nflags:lo,zz\nnaflags:\npolicy:ahlt\n");
  auto r = run_tool({"auditconf", "check", path});
  EXPECT_EQ(r.exit_code, 2);
  for (const char* name : {"[dir-not-absolute]", "[unknown-class]", "[empty-naflags]", "[ahlt-without-cnt]"}) {
    EXPECT_NE(r.out.find(name), std::string::npos) << name << "\n" << r.out;
  }
}

TEST_F(AuditconfTest, ChecksTheOtherTablesUnderRoot) {
  write("root/etc/security/audit_control", good_control());
  write("root/etc/security/audit_user", "root:lo:no\nghost:lo:no\n");
  write("root/etc/security/audit_event", "1:AUE_EXIT:exit(2):pc\n2:AUE_FORK:fork(2):qq\n");
  write("root/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
  auto r = run_tool({"auditconf", "check", "--root", dir_ + "/root"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("audit_user:2: warning: no user 'ghost' on this host [unknown-user]"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("audit_event:2: warning: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3 files checked"), std::string::npos) << r.out;
}

TEST_F(AuditconfTest, MissingFileIsAnError) {
  auto r = run_tool({"auditconf", "check", dir_ + "/nope"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("[unreadable]"), std::string::npos);
}

TEST_F(AuditconfTest, EscapesTerminalControlsFromTheFile) {
  auto r = run_tool({"auditconf", "check", write("audit_control", "dir:/\x1b[31mred\nflags:lo\n")});
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\\x1b[31mred"), std::string::npos) << r.out;
}

TEST_F(AuditconfTest, JsonIsOneObjectWithEveryFinding) {
  auto r = run_tool({"auditconf", "check", "--json", write("audit_control", "dir:relative\nflags:lo\n")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out.rfind("{\"status\":2,\"files\":[{\"path\":", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("{\"name\":\"dir-not-absolute\",\"severity\":\"error\",\"line\":1,"), std::string::npos)
      << r.out;
}

TEST_F(AuditconfTest, UsageErrorsExitTwoAndSayWhich) {
  EXPECT_EQ(run_tool({"auditconf"}).exit_code, 2);
  auto unknown = run_tool({"auditconf", "frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(unknown.err.starts_with("auditconf: unknown subcommand 'frobnicate'")) << unknown.err;
  EXPECT_EQ(run_tool({"auditconf", "advise"}).exit_code, 2);
  auto missing = run_tool({"auditconf", "check", "--root"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_TRUE(missing.err.starts_with("auditconf check: missing argument to --root\n")) << missing.err;
  auto days = run_tool({"auditconf", "advise", "--days", "-1", "t"});
  EXPECT_EQ(days.exit_code, 2);
  EXPECT_NE(days.err.find("'-1' is not a number above 0"), std::string::npos) << days.err;
}

TEST_F(AuditconfTest, HelpAndVersionGoToStdout) {
  for (const std::vector<std::string>& argv : std::vector<std::vector<std::string>>{
           {"auditconf", "--help"}, {"auditconf", "check", "--help"}, {"auditconf", "advise", "-h"}}) {
    auto r = run_tool(argv);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_TRUE(r.out.starts_with("usage: auditconf")) << r.out;
    EXPECT_EQ(r.err, "");
  }
  EXPECT_EQ(run_tool({"auditconf", "--version"}).out, "auditconf (bullion) " BULLION_VERSION "\n");
}

// A sample trail with a known volume: over exactly two days, 100 logins
// (lo), 300 read opens (fr) and 50 write opens (fw).
class AdviseTest : public AuditconfTest {
 protected:
  void SetUp() override {
    AuditconfTest::SetUp();
    std::string bytes;
    auto add = [&](uint16_t event, uint32_t when) {
      bsm::RecordBuilder b;
      b.begin_header32(event, 0, when, 0);
      bsm::Subject subject;
      subject.auid = 1000;
      b.subject32_ex(subject);
      b.return32(0, 0);
      auto record = b.finish();
      record_size_ = record.size();
      bytes.append(reinterpret_cast<const char*>(record.data()), record.size());
    };
    constexpr uint32_t kStart = 1700000000;
    for (uint32_t i = 0; i < 100; ++i) add(6152, kStart + i);       // AUE_login: lo
    for (uint32_t i = 0; i < 300; ++i) add(72, kStart + 1000 + i);  // AUE_OPEN_R: fr
    for (uint32_t i = 0; i < 49; ++i) add(76, kStart + 5000 + i);   // AUE_OPEN_W: fw
    add(76, kStart + 2 * 86400);                                    // the 50th, two days in
    trail_ = write("sample.bsm", bytes);
  }
  std::string trail_;
  size_t record_size_ = 0;
};

TEST_F(AdviseTest, PrintsPerClassAndEventRatesAndTheProjection) {
  const std::string control = write("audit_control", good_control());
  auto r = run_tool({"auditconf", "advise", "--control", control, "--disk", "1G:512M", trail_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sample: 450 records,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("over 2.00 days"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fr     file read"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("150.0"), std::string::npos) << r.out;  // fr: 300 over 2 days
  EXPECT_NE(r.out.find("AUE_OPEN_R"), std::string::npos);
  // flags lo,aa keep the 100 logins: 50 a day.
  EXPECT_NE(r.out.find("(50.0 records/day)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("at filesz 2.0 MiB"), std::string::npos);
  EXPECT_NE(r.out.find("never reached"), std::string::npos) << r.out;  // 10M expiry, 512M free
}

TEST_F(AdviseTest, AddingAClassRaisesTheVolume) {
  const std::string control = write("audit_control", good_control());
  auto r = run_tool({"auditconf", "advise", "--json", "--control", control, "--add", "fw", trail_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"flags\":\"fw,lo,aa\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"records_per_day\":75.000"), std::string::npos) << r.out;  // 100 + 50 over 2 days
  const std::string bytes = "\"bytes_per_day\":" + std::to_string(75 * record_size_) + ".000";
  EXPECT_NE(r.out.find(bytes), std::string::npos) << bytes << "\n" << r.out;
}

TEST_F(AdviseTest, DaysUntilMinfreeOnTheGivenDisk) {
  // No expiry by size: 1 MiB disk, 200K free, minfree 5% (52428.8 bytes):
  // (204800 - 52428.8) / (50 * size) days.
  const std::string control =
      write("audit_control", "dir:" + dir_ + "/audit\nflags:lo\nminfree:5\npolicy:cnt\nfilesz:2M\nexpire-after:90d\n");
  auto r = run_tool({"auditconf", "advise", "--json", "--control", control, "--disk", "1M:200K", trail_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  char expected[64];
  std::snprintf(expected, sizeof expected, "\"days_to_minfree\":%.3f", (204800 - 52428.8) / (50.0 * record_size_));
  EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
  EXPECT_NE(r.out.find("\"days_kept\":90.000"), std::string::npos) << r.out;
}

TEST_F(AdviseTest, DaysOptionOverridesTheSampleSpan) {
  auto r = run_tool({"auditconf", "advise", "--days", "10", "--control", write("c", good_control()), trail_});
  EXPECT_NE(r.out.find("over 10.00 days"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(10.0 records/day)"), std::string::npos) << r.out;
}

TEST_F(AdviseTest, BadOptionsAndEmptySamples) {
  EXPECT_EQ(run_tool({"auditconf", "advise", "--add", "zz", trail_}).exit_code, 2);
  EXPECT_EQ(run_tool({"auditconf", "advise", "--disk", "1M:2M", trail_}).exit_code, 2);
  auto empty = run_tool({"auditconf", "advise", write("empty.bsm", "")});
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_NE(empty.err.find("no records"), std::string::npos);
}

}  // namespace
}  // namespace bullion::testing

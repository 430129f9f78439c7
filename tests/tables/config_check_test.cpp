#include "bullion/config_check.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "tables_test_support.h"

namespace bullion::tables {
namespace {

using Severity = Finding::Severity;

std::string good_control(const std::string& dir) {
  return "dir:" + dir + "\nflags:lo,aa,ad\nminfree:5\nnaflags:lo,aa\npolicy:cnt,argv\nfilesz:2M\nexpire-after:10M\n";
}

const Finding* find(const std::vector<Finding>& findings, std::string_view name) {
  for (const Finding& f : findings) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

TEST(CheckAuditControl, GoodFileHasNoFindings) {
  auto findings = check_audit_control(good_control("/tmp"), ClassTable::builtin());
  EXPECT_TRUE(findings.empty()) << findings.front().name;
  EXPECT_EQ(findings_status(findings), 0);
}

// One row per finding auditconf check names: a file with that one problem,
// where the finding must be, how bad, and nothing worse than it.
struct Case {
  std::string text;
  std::string name;
  int line;
  Severity severity;
};

class EachFinding : public ::testing::TestWithParam<Case> {};

TEST_P(EachFinding, IsNamedAtItsLine) {
  const Case& c = GetParam();
  auto findings = check_audit_control(c.text, ClassTable::builtin());
  const Finding* f = find(findings, c.name);
  ASSERT_NE(f, nullptr) << c.name << " not found in:\n" << c.text;
  EXPECT_EQ(f->line, c.line);
  EXPECT_EQ(f->severity, c.severity);
  EXPECT_EQ(findings_status(findings), c.severity == Severity::Error ? 2 : 1);
}

const std::string kBase = "flags:lo,aa\nminfree:5\nnaflags:lo,aa\npolicy:cnt,argv\nfilesz:2M\nexpire-after:10M\n";

INSTANTIATE_TEST_SUITE_P(
    CheckAuditControl, EachFinding,
    ::testing::Values(Case{"dir:/tmp\nflags:lo,zz\nminfree:5\npolicy:cnt\nfilesz:2M\nexpire-after:10M\n",
                           "unknown-class", 2, Severity::Error},
                      Case{"dir:/tmp\nflags:lo\nminfree:5\npolicy:cnt,bogus\nfilesz:2M\nexpire-after:10M\n",
                           "unknown-policy", 4, Severity::Error},
                      Case{"dir:/tmp\nflags:lo\nnaflags:\nminfree:5\npolicy:cnt\nfilesz:2M\nexpire-after:10M\n",
                           "empty-naflags", 3, Severity::Error},
                      Case{"dir:/tmp\nflags:lo\nminfree:5\npolicy:cnt\nfilesz:100K\nexpire-after:10M\n",
                           "filesz-below-minimum", 5, Severity::Warning},
                      Case{"dir:/tmp\nflags:lo\nminfree:5\npolicy:cnt\nfilesz:20M\nexpire-after:10M\n",
                           "expire-below-filesz", 6, Severity::Warning},
                      Case{"dir:/tmp\nflags:lo\nminfree:0\npolicy:cnt\nfilesz:2M\nexpire-after:10M\n", "minfree-zero",
                           3, Severity::Warning},
                      Case{"dir:/tmp\nflags:lo\nminfree:5\npolicy:ahlt,argv\nfilesz:2M\nexpire-after:10M\n",
                           "ahlt-without-cnt", 4, Severity::Warning},
                      Case{"dir:/tmp\nflags:all\nminfree:5\npolicy:cnt\nfilesz:2M\nexpire-after:10M\n", "all-classes",
                           2, Severity::Warning},
                      Case{"dir:/tmp\nflags:lo,+fr\nminfree:5\npolicy:cnt\nfilesz:2M\nexpire-after:10M\n", "busy-class",
                           2, Severity::Warning},
                      Case{"dir:/nonexistent/audit\n" + kBase, "dir-missing", 1, Severity::Error},
                      Case{"dir:var/audit\n" + kBase, "dir-not-absolute", 1, Severity::Error},
                      Case{kBase, "no-dir", 0, Severity::Error},
                      Case{"dir:/tmp\n" + kBase + "filesz:4M\n", "repeated-field", 8, Severity::Warning},
                      Case{"dir:/tmp\n" + kBase + "colour:blue\n", "unknown-field", 8, Severity::Warning},
                      Case{"dir:/tmp\n" + kBase + "just words\n", "bad-line", 8, Severity::Error},
                      Case{"dir:/tmp\nflags:lo\nminfree:5\npolicy:cnt\nfilesz:2Q\nexpire-after:10M\n", "bad-size", 5,
                           Severity::Error},
                      Case{"dir:/tmp\nflags:lo\nminfree:5\npolicy:cnt\nfilesz:2M\nexpire-after:10 fortnights\n",
                           "bad-expire-after", 6, Severity::Error},
                      Case{"dir:/tmp\nflags:lo\nminfree:500\npolicy:cnt\nfilesz:2M\nexpire-after:10M\n", "bad-value", 3,
                           Severity::Error}));

// The example shipped for administrators (dist/security/audit_control)
// must pass its own checker; only its directory may be missing here.
TEST(CheckAuditControl, TheShippedExampleIsClean) {
  auto findings = check_audit_control(
      testing::read_file(std::string(BULLION_SOURCE_DIR) + "/dist/security/audit_control"), ClassTable::builtin());
  for (const Finding& f : findings) EXPECT_EQ(f.name, "dir-missing") << f.message;
}

TEST(CheckAuditControl, ReportsEveryProblemNotJustTheFirst) {
  auto findings = check_audit_control("dir:/tmp\nflags:zz\nnaflags:\npolicy:nope\nfilesz:1X\n", ClassTable::builtin());
  for (const char* name : {"unknown-class", "empty-naflags", "unknown-policy", "bad-size"}) {
    EXPECT_NE(find(findings, name), nullptr) << name;
  }
}

TEST(CheckAuditClass, FindsBadLinesAndRepeats) {
  auto findings = check_audit_class("0x1:fr:file read\nzz:bad\n0x2:fr:again\n0x1:xx:same mask\n");
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].name, "bad-line");
  EXPECT_EQ(findings[0].line, 2);
  EXPECT_EQ(findings[1].name, "repeated-entry");
  EXPECT_EQ(findings[1].line, 3);
  EXPECT_EQ(findings[2].line, 4);
  EXPECT_TRUE(check_audit_class(std::string(builtin_audit_class_text())).empty());
}

TEST(CheckAuditEvent, FindsUnknownClassesAndRepeats) {
  auto findings = check_audit_event("1:AUE_EXIT:exit(2):pc\n2:AUE_FORK:fork(2):qq\nx:bad\n1:AUE_OTHER:x:pc\n",
                                    ClassTable::builtin());
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].name, "unknown-class");
  EXPECT_EQ(findings[0].severity, Severity::Warning);
  EXPECT_EQ(findings[0].line, 2);
  EXPECT_EQ(findings[1].name, "bad-line");
  EXPECT_EQ(findings[1].line, 3);
  EXPECT_EQ(findings[2].name, "repeated-entry");
  EXPECT_EQ(findings[2].line, 4);
}

TEST(CheckAuditUser, FindsUnknownUsersClassesAndRepeats) {
  auto accounts = Accounts::from_files(testing::shared_path("golden/root/etc/passwd"), "");
  ASSERT_TRUE(accounts.ok()) << accounts.error().message;
  auto findings = check_audit_user("root:lo:no\nnosuchuser:lo:no\nroot:aa:no\nroot:zz:no\nbad line\n",
                                   ClassTable::builtin(), **accounts);
  ASSERT_EQ(findings.size(), 4u);
  EXPECT_EQ(findings[0].name, "unknown-user");
  EXPECT_EQ(findings[0].line, 2);
  EXPECT_EQ(findings[1].name, "repeated-entry");
  EXPECT_EQ(findings[1].line, 3);
  EXPECT_EQ(findings[2].name, "unknown-class");
  EXPECT_EQ(findings[2].line, 4);
  EXPECT_EQ(findings[3].name, "bad-line");
  EXPECT_EQ(findings[3].line, 5);
}

}  // namespace
}  // namespace bullion::tables

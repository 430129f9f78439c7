#include <gtest/gtest.h>

#include <algorithm>

#include "tables_test_support.h"

namespace bullion::tables {
namespace {

using testing::corpus_etc;
using testing::read_file;

AuditControl control(std::string_view text) {
  auto parsed = parse_audit_control(text, ClassTable::builtin());
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  return parsed.ok() ? *parsed : AuditControl{};
}

// True when some finding's sentence contains every one of `words`.
bool mentions(const std::vector<Finding>& findings, std::initializer_list<std::string_view> words) {
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& finding) {
    return std::all_of(words.begin(), words.end(),
                       [&](std::string_view word) { return finding.message.find(word) != std::string::npos; });
  });
}

const Finding* named(const std::vector<Finding>& findings, std::string_view name) {
  for (const Finding& finding : findings) {
    if (finding.name == name) return &finding;
  }
  return nullptr;
}

constexpr std::string_view kGood =
    "dir:/var/audit\nflags:lo,aa\nminfree:5\nnaflags:lo,aa\npolicy:cnt,argv\nfilesz:2M\nexpire-after:10M\n";

TEST(Advise, ShippedConfigurationNeedsNoAdvice) {
  EXPECT_TRUE(advise(control(read_file(corpus_etc("audit_control")))).empty());
  EXPECT_TRUE(advise(control(kGood)).empty());
}

TEST(Advise, WarnsFileszBelowMinimum) {
  auto findings = advise(control("dir:/var/audit\nflags:lo\npolicy:cnt\nfilesz:100K\nexpire-after:10M\n"));
  EXPECT_TRUE(mentions(findings, {"filesz", "512K"}));
}

TEST(Advise, WarnsUnboundedGrowthWhenNeverRotatedNorExpired) {
  auto findings = advise(control("dir:/var/audit\nflags:lo\npolicy:cnt\nfilesz:0\n"));
  EXPECT_TRUE(mentions(findings, {"filesz", "without bound"}));
}

TEST(Advise, WarnsMissingExpiry) {
  auto findings = advise(control("dir:/var/audit\nflags:lo\npolicy:cnt\nfilesz:2M\n"));
  EXPECT_TRUE(mentions(findings, {"expire-after", "never removed"}));
}

TEST(Advise, WarnsMinfreeZero) {
  auto findings = advise(control(std::string(kGood) + "minfree:0\n"));  // first minfree (5) wins
  EXPECT_FALSE(mentions(findings, {"minfree"}));
  findings = advise(control("dir:/var/audit\nflags:lo\nminfree:0\npolicy:cnt\nfilesz:2M\nexpire-after:10M\n"));
  EXPECT_TRUE(mentions(findings, {"minfree", "0"}));
}

TEST(Advise, WarnsAhltWithoutCntHaltsTheSystem) {
  auto findings = advise(control("dir:/var/audit\nflags:lo\npolicy:ahlt,argv\nfilesz:2M\nexpire-after:10M\n"));
  EXPECT_TRUE(mentions(findings, {"ahlt", "halts the system"}));
}

TEST(Advise, WarnsWithoutCntProcessesSuspend) {
  auto findings = advise(control("dir:/var/audit\nflags:lo\npolicy:argv\nfilesz:2M\nexpire-after:10M\n"));
  EXPECT_TRUE(mentions(findings, {"cnt", "suspended"}));
}

TEST(Advise, WarnsFlagsAllVolume) {
  auto findings = advise(control("dir:/var/audit\nflags:all\npolicy:cnt\nfilesz:2M\nexpire-after:10M\n"));
  EXPECT_TRUE(mentions(findings, {"flags", "all"}));
}

TEST(Advise, MissingDirAndRelativeDirAreErrors) {
  auto none = advise(control("flags:lo\npolicy:cnt\nfilesz:2M\nexpire-after:10M\n"));
  EXPECT_TRUE(mentions(none, {"dir", "none"}));
  ASSERT_NE(named(none, "no-dir"), nullptr);
  EXPECT_EQ(named(none, "no-dir")->severity, Finding::Severity::Error);
  auto relative = advise(control("dir:/var/audit\ndir:audit\nflags:lo\npolicy:cnt\nfilesz:2M\nexpire-after:10M\n"));
  EXPECT_TRUE(mentions(relative, {"dir", "absolute"}));
  ASSERT_NE(named(relative, "dir-not-absolute"), nullptr);
  EXPECT_EQ(named(relative, "dir-not-absolute")->line, 2);
  EXPECT_EQ(named(relative, "dir-not-absolute")->severity, Finding::Severity::Error);
}

TEST(Advise, WarnsNoFlags) {
  auto findings = advise(control("dir:/var/audit\npolicy:cnt\nfilesz:2M\nexpire-after:10M\n"));
  EXPECT_TRUE(mentions(findings, {"flags", "no classes"}));
}

TEST(Advise, WarnsExpirySizeBelowFilesz) {
  auto findings = advise(control("dir:/var/audit\nflags:lo\npolicy:cnt\nfilesz:20M\nexpire-after:10M\n"));
  EXPECT_TRUE(mentions(findings, {"expire-after", "below filesz"}));
}

TEST(Advise, WarnsArgeRecordsEnvironment) {
  auto findings = advise(control("dir:/var/audit\nflags:lo\npolicy:cnt,arge\nfilesz:2M\nexpire-after:10M\n"));
  EXPECT_TRUE(mentions(findings, {"arge", "environment"}));
}

TEST(Advise, FindingsCarryTheLineOfTheirField) {
  auto findings = advise(control("dir:/var/audit\nflags:lo\n# comment\nfilesz:100K\npolicy:cnt\nexpire-after:10M\n"));
  ASSERT_NE(named(findings, "filesz-below-minimum"), nullptr);
  EXPECT_EQ(named(findings, "filesz-below-minimum")->line, 4);
  EXPECT_EQ(named(findings, "filesz-below-minimum")->severity, Finding::Severity::Warning);
}

TEST(Advise, WarnsBusyClassesOnSuccessButNotFailureOnly) {
  auto busy = advise(control("dir:/var/audit\nflags:lo,fr\nminfree:5\npolicy:cnt\nfilesz:2M\nexpire-after:10M\n"));
  ASSERT_NE(named(busy, "busy-class"), nullptr);
  EXPECT_EQ(named(busy, "busy-class")->line, 2);
  EXPECT_TRUE(mentions(busy, {"fr", "--add fr"}));
  auto failures = advise(control("dir:/var/audit\nflags:lo,-fr\nminfree:5\npolicy:cnt\nfilesz:2M\nexpire-after:10M\n"));
  EXPECT_EQ(named(failures, "busy-class"), nullptr);
}

TEST(Advise, WarnsMissingMinfree) {
  auto findings = advise(control("dir:/var/audit\nflags:lo\npolicy:cnt\nfilesz:2M\nexpire-after:10M\n"));
  EXPECT_NE(named(findings, "no-minfree"), nullptr);
}

TEST(Advise, NeverRotatingTrailGrowsWithoutBoundEvenWithExpiry) {
  auto findings = advise(control("dir:/var/audit\nflags:lo\nminfree:5\npolicy:cnt\nfilesz:0\nexpire-after:10M\n"));
  EXPECT_NE(named(findings, "unbounded-growth"), nullptr);
}

}  // namespace
}  // namespace bullion::tables

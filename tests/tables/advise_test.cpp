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

// True when some finding contains every one of `words`.
bool mentions(const std::vector<std::string>& findings, std::initializer_list<std::string_view> words) {
  return std::any_of(findings.begin(), findings.end(), [&](const std::string& finding) {
    return std::all_of(words.begin(), words.end(),
                       [&](std::string_view word) { return finding.find(word) != std::string::npos; });
  });
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

TEST(Advise, WarnsMissingDirAndRelativeDir) {
  EXPECT_TRUE(mentions(advise(control("flags:lo\npolicy:cnt\nfilesz:2M\nexpire-after:10M\n")), {"dir", "none"}));
  EXPECT_TRUE(
      mentions(advise(control("dir:audit\nflags:lo\npolicy:cnt\nfilesz:2M\nexpire-after:10M\n")), {"dir", "absolute"}));
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

}  // namespace
}  // namespace bullion::tables

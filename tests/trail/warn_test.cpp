#include "bullion/trail/warn.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "trail_test_support.h"

namespace bullion::trail {
namespace {

using testing::ScratchDir;

std::string recorder() { return std::string(BULLION_BIN_DIR) + "/audit_warn_recorder"; }

std::string read_log(const std::string& path) {
  auto bytes = testing::read_bytes(path);
  return std::string(bytes.begin(), bytes.end());
}

TEST(ProgramWarner, RunsTheProgramDirectlyWithOpenBsmArguments) {
  ScratchDir dir;
  const std::string program = dir.path + "/audit_warn";
  ASSERT_EQ(symlink(recorder().c_str(), program.c_str()), 0);
  ProgramWarner warner(program);
  ASSERT_TRUE(warner.warn("soft", "/var/audit").ok());
  ASSERT_TRUE(warner.warn("allhard", "").ok());
  // A file name a shell would expand or split arrives as one argument.
  ASSERT_TRUE(warner.warn("closefile", "/var/audit/$(id) *;x").ok());
  EXPECT_TRUE(warner.wait_all(5000).empty());
  // The runs are not waited for, so their lines may come in any order.
  std::vector<std::string> lines;
  std::istringstream log(read_log(dir.path + "/audit_warn.log"));
  for (std::string line; std::getline(log, line);) lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, (std::vector<std::string>{"allhard", "closefile\t/var/audit/$(id) *;x", "soft\t/var/audit"}));
}

TEST(ProgramWarner, MissingProgramIsNotFound) {
  ProgramWarner warner("/nonexistent/audit_warn");
  auto warned = warner.warn("soft", "/var/audit");
  ASSERT_FALSE(warned.ok());
  EXPECT_EQ(warned.error().code, Errc::NotFound);
}

TEST(ProgramWarner, ReportsAProgramThatFails) {
  ProgramWarner warner("/bin/false");
  ASSERT_TRUE(warner.warn("soft", "/var/audit").ok());
  auto failed = warner.wait_all(5000);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_FALSE(failed[0].signaled);
  EXPECT_EQ(failed[0].code, 1);
}

}  // namespace
}  // namespace bullion::trail

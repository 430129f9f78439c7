// praudit reading a Linux audit.log: the exit status says whether every
// line became a record (issue 10: non-zero when anything was skipped).
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "support/run.h"

namespace {

std::string write_log(const std::string& text) {
  char path[] = "/tmp/bullion-audit-log-XXXXXX";
  const int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << text;
  return path;
}

const char* kGood =
    "type=SYSCALL msg=audit(1700000000.100:5): arch=c000003e syscall=0 success=yes exit=0 a0=3 a1=0 a2=0 a3=0 "
    "items=0 ppid=1 pid=2 auid=7 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 "
    "comm=\"x\" exe=\"/x\" key=(null)\n"
    "type=EOE msg=audit(1700000000.100:5): \n";

TEST(LinuxLogExitStatus, EveryLineTranslatedExitsZero) {
  const std::string log = write_log(std::string("# a saved log\n") + kGood);
  auto r = bullion::testing::run_tool({"praudit", log});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("header"), std::string::npos);
  unlink(log.c_str());
}

TEST(LinuxLogExitStatus, ARejectedLineMakesTheExitStatusFail) {
  const std::string log = write_log(std::string(kGood) + "type=SYSCALL msg=audit(garbage\n");
  auto r = bullion::testing::run_tool({"praudit", log});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("header"), std::string::npos);  // records before it still come out
  EXPECT_NE(r.err.find("rejected"), std::string::npos) << r.err;
  unlink(log.c_str());
}

}  // namespace

#include <gtest/gtest.h>

#include "bullion/bsm/token.h"
#include "translate_helpers.h"

namespace bullion::linuxaudit {
namespace {

using testing::exec_args_of;
using testing::translate_lines;

const std::string kSyscallTail =
    " items=1 ppid=1 pid=4242 auid=1000 uid=1001 gid=1002 euid=1003 suid=0 fsuid=0 egid=1004 sgid=0 "
    "fsgid=0 tty=pts0 ses=7 comm=\"x\" exe=\"/bin/x\" key=(null)";

std::string syscall_line(uint64_t serial, int number, std::string_view result, std::string_view args) {
  return "type=SYSCALL msg=audit(1700000000.123:" + std::to_string(serial) +
         "): arch=c000003e syscall=" + std::to_string(number) + " " + std::string(result) + " " + std::string(args) +
         kSyscallTail;
}

std::string aux_line(std::string_view type, uint64_t serial, std::string_view fields) {
  return "type=" + std::string(type) + " msg=audit(1700000000.123:" + std::to_string(serial) +
         "): " + std::string(fields);
}

TEST(LinuxTranslate, GroupsInterleavedSerials) {
  auto out = translate_lines({
      syscall_line(10, 59, "success=yes exit=0", "a0=1 a1=2 a2=3 a3=4"),
      syscall_line(11, 87, "success=yes exit=0", "a0=1 a1=2 a2=3 a3=4"),
      aux_line("EXECVE", 10, "argc=2 a0=\"ls\" a1=\"-l\""),
      aux_line("PATH", 11,
               "item=0 name=\"/tmp/gone\" inode=5 dev=08:01 mode=0100644 ouid=0 ogid=0 "
               "rdev=00:00 nametype=DELETE"),
      aux_line("PATH", 10,
               "item=0 name=\"/bin/ls\" inode=9 dev=08:01 mode=0100755 ouid=0 ogid=0 "
               "rdev=00:00 nametype=NORMAL"),
      aux_line("EOE", 11, ""),
      aux_line("EOE", 10, ""),
  });
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.stats.records_in, 7u);
  EXPECT_EQ(out.stats.events_in, 2u);
  // Closed at their EOE: 11 first.
  auto unlink = out.facts(0), exec = out.facts(1);
  EXPECT_EQ(unlink.event, 6);  // AUE_UNLINK
  EXPECT_EQ(unlink.first_path, "/tmp/gone");
  EXPECT_EQ(exec.event, 23);  // AUE_EXECVE
  EXPECT_EQ(exec.first_path, "/bin/ls");
  EXPECT_EQ(exec_args_of(exec), (std::vector<std::string>{"ls", "-l"}));
}

TEST(LinuxTranslate, SubjectCarriesAllIds) {
  auto out =
      translate_lines({syscall_line(1, 87, "success=yes exit=0", "a0=0 a1=0 a2=0 a3=0"), aux_line("EOE", 1, "")});
  ASSERT_EQ(out.records.size(), 1u);
  auto f = out.facts(0);
  ASSERT_TRUE(f.has_subject);
  EXPECT_EQ(f.subject.auid, 1000u);
  EXPECT_EQ(f.subject.ruid, 1001u);
  EXPECT_EQ(f.subject.rgid, 1002u);
  EXPECT_EQ(f.subject.euid, 1003u);
  EXPECT_EQ(f.subject.egid, 1004u);
  EXPECT_EQ(f.subject.pid, 4242u);
  EXPECT_EQ(f.subject.sid, 7u);
  EXPECT_EQ(f.seconds, 1700000000u);
  EXPECT_EQ(f.msec, 123u);
  EXPECT_EQ(f.header_id, 0x14);  // header32 by default
}

TEST(LinuxTranslate, Header32ExCarriesHost) {
  TranslateOptions options;
  options.header = HeaderKind::Header32Ex;
  options.host = {192, 0, 2, 1};
  auto out = translate_lines({syscall_line(1, 87, "success=yes exit=0", "a0=0"), aux_line("EOE", 1, "")}, options);
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.facts(0).header_id, 0x15);
}

TEST(LinuxTranslate, ExecveWithManyHexAndSplitArgs) {
  std::string execve = "argc=300";
  std::vector<std::string> expected;
  for (int i = 0; i < 300; ++i) {
    expected.push_back("arg" + std::to_string(i));
    execve += " a" + std::to_string(i) + "=\"arg" + std::to_string(i) + "\"";
  }
  // Second EXECVE record continues the list, as the kernel does for long argv.
  std::string more = "a300=68656C6C6F20776F726C64 a301_len=10 a301[0]=\"abcde\" a301[1]=6667686970";
  expected.push_back("hello world");
  expected.push_back("abcdefghip");
  auto out = translate_lines({syscall_line(5, 59, "success=yes exit=0", "a0=1 a1=2 a2=3 a3=4"),
                              aux_line("EXECVE", 5, execve), aux_line("EXECVE", 5, more), aux_line("EOE", 5, "")});
  ASSERT_EQ(out.records.size(), 1u);
  auto f = out.facts(0);
  EXPECT_EQ(f.exec_argc, 302u);
  EXPECT_EQ(exec_args_of(f), expected);
}

TEST(LinuxTranslate, InvalidHexArgumentIsKeptAsText) {
  auto out = translate_lines({syscall_line(5, 59, "success=yes exit=0", "a0=1"),
                              aux_line("EXECVE", 5, "argc=2 a0=\"x\" a1=ZZ12"), aux_line("EOE", 5, "")});
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(exec_args_of(out.facts(0)), (std::vector<std::string>{"x", "ZZ12"}));
}

struct OpenCase {
  int syscall;
  const char* args;
  uint16_t event;
};

class LinuxOpenFlags : public ::testing::TestWithParam<OpenCase> {};

TEST_P(LinuxOpenFlags, ChoosesOpenEventByFlags) {
  const OpenCase& c = GetParam();
  auto out = translate_lines({syscall_line(3, c.syscall, "success=yes exit=3", c.args), aux_line("EOE", 3, "")});
  ASSERT_EQ(out.records.size(), 1u);
  auto f = out.facts(0);
  EXPECT_EQ(f.event, c.event);
  EXPECT_EQ(f.return_value, 3u);
}

INSTANTIATE_TEST_SUITE_P(All, LinuxOpenFlags,
                         ::testing::Values(OpenCase{2, "a0=1 a1=0 a2=0 a3=0", 72},      // open O_RDONLY -> AUE_OPEN_R
                                           OpenCase{2, "a0=1 a1=10800 a2=0 a3=0", 72},  // + O_DIRECTORY|O_NONBLOCK
                                           OpenCase{2, "a0=1 a1=1 a2=0 a3=0", 76},      // O_WRONLY -> AUE_OPEN_W
                                           OpenCase{2, "a0=1 a1=41 a2=1a4 a3=0", 77},   // O_WRONLY|O_CREAT -> _WC
                                           OpenCase{2, "a0=1 a1=241 a2=1a4 a3=0", 79},  // |O_TRUNC -> _WTC
                                           OpenCase{2, "a0=1 a1=2 a2=0 a3=0", 80},      // O_RDWR -> _RW
                                           OpenCase{2, "a0=1 a1=42 a2=1a4 a3=0", 81},   // O_RDWR|O_CREAT -> _RWC
                                           OpenCase{2, "a0=1 a1=242 a2=1a4 a3=0", 83},  // _RWTC
                                           OpenCase{2, "a0=1 a1=200 a2=0 a3=0", 74},    // O_RDONLY|O_TRUNC -> _RT
                                           OpenCase{257, "a0=ffffff9c a1=1 a2=0 a3=0", 270},  // openat -> AUE_OPENAT_R
                                           OpenCase{257, "a0=ffffff9c a1=1 a2=241 a3=1b6", 277},      // AUE_OPENAT_WTC
                                           OpenCase{257, "a0=ffffff9c a1=1 a2=80042 a3=1b6", 279}));  // AUE_OPENAT_RWC

TEST(LinuxTranslate, OpenWithCreateRecordsFlagsAndMode) {
  auto out =
      translate_lines({syscall_line(3, 2, "success=yes exit=3", "a0=1 a1=41 a2=1a4 a3=0"), aux_line("EOE", 3, "")});
  auto f = out.facts(0);
  EXPECT_EQ(f.arg_present & 0b110, 0b110);
  EXPECT_EQ(f.args[1], 0x41u);  // arg 2: flags
  EXPECT_EQ(f.args[2], 0644u);  // arg 3: mode
}

TEST(LinuxTranslate, FailedCallHasBsmErrno) {
  struct Case {
    int linux_errno;
    uint8_t bsm;
  };
  for (Case c : {Case{2, 2}, Case{13, 13}, Case{11, 11}, Case{39, 93}, Case{36, 78}, Case{115, 150}, Case{111, 146},
                 Case{4095, 250}}) {
    auto out =
        translate_lines({syscall_line(3, 2, "success=no exit=-" + std::to_string(c.linux_errno), "a0=1 a1=0 a2=0 a3=0"),
                         aux_line("EOE", 3, "")});
    ASSERT_EQ(out.records.size(), 1u);
    auto f = out.facts(0);
    ASSERT_TRUE(f.has_return);
    EXPECT_EQ(f.return_errno, c.bsm) << "linux errno " << c.linux_errno;
    EXPECT_EQ(f.return_value, 0xffffffffu);
  }
}

TEST(LinuxTranslate, ConnectToLoopbackGivesSockInet32) {
  auto out =
      translate_lines({syscall_line(8, 42, "success=yes exit=0", "a0=8 a1=5556eca10aa0 a2=10 a3=4"),
                       aux_line("SOCKADDR", 8, "saddr=02002BCB7F0000010000000000000000"), aux_line("EOE", 8, "")});
  ASSERT_EQ(out.records.size(), 1u);
  auto f = out.facts(0);
  EXPECT_EQ(f.event, 32);  // AUE_CONNECT
  ASSERT_TRUE(f.has_socket);
  EXPECT_EQ(f.socket.family, 2);
  EXPECT_EQ(f.socket.port, 11211);
  EXPECT_EQ(f.socket.addr_type, 4u);
  EXPECT_EQ(f.socket.addr[0], 127);
  EXPECT_EQ(f.socket.addr[3], 1);
  EXPECT_EQ(f.args[0], 8u);  // arg 1: fd
}

TEST(LinuxTranslate, ConnectInet6AndUnix) {
  auto out = translate_lines({syscall_line(8, 42, "success=no exit=-115", "a0=8 a1=1 a2=1c a3=0"),
                              aux_line("SOCKADDR", 8, "saddr=0A002BCB000000000000000000000000000000000000000100000000"),
                              aux_line("EOE", 8, ""), syscall_line(9, 42, "success=yes exit=0", "a0=3 a1=1 a2=6e a3=0"),
                              aux_line("SOCKADDR", 9, "saddr=01002F72756E2F782E736F636B00"), aux_line("EOE", 9, "")});
  ASSERT_EQ(out.records.size(), 2u);
  auto v6 = out.facts(0), local = out.facts(1);
  EXPECT_EQ(v6.socket.family, 26);
  EXPECT_EQ(v6.socket.port, 11211);
  EXPECT_EQ(v6.socket.addr_type, 16u);
  EXPECT_EQ(v6.socket.addr[15], 1);
  EXPECT_EQ(v6.return_errno, 150);  // EINPROGRESS
  EXPECT_EQ(local.socket.family, 1);
  EXPECT_EQ(local.socket.unix_path, "/run/x.sock");
}

TEST(LinuxTranslate, RelativePathIsJoinedWithCwdAndGetsAttributes) {
  auto out = translate_lines({syscall_line(4, 2, "success=no exit=-13", "a0=1 a1=10800 a2=0 a3=0"),
                              aux_line("CWD", 4, "cwd=\"/var/spool/postfix\""),
                              aux_line("PATH", 4,
                                       "item=0 name=\"./maildrop\" inode=14911367 dev=03:07 "
                                       "mode=040730 ouid=890 ogid=891 rdev=00:00"),
                              aux_line("EOE", 4, "")});
  ASSERT_EQ(out.records.size(), 1u);
  auto f = out.facts(0);
  EXPECT_EQ(f.first_path, "/var/spool/postfix/maildrop");
  ASSERT_TRUE(f.has_attr);
  EXPECT_EQ(f.attr_mode, 040730u);
  EXPECT_EQ(f.attr_uid, 890u);
  EXPECT_EQ(f.attr_gid, 891u);
  EXPECT_EQ(f.attr_inode, 14911367u);
  EXPECT_EQ(f.attr_fsid, (3u << 20) | 7u);
  EXPECT_EQ(f.return_errno, 13);
}

TEST(LinuxTranslate, AtCallWithDirectoryFdKeepsNameRelative) {
  auto out = translate_lines({syscall_line(4, 263, "success=yes exit=0", "a0=5 a1=1 a2=0 a3=0"),
                              aux_line("CWD", 4, "cwd=\"/home/u\""),
                              aux_line("PATH", 4,
                                       "item=0 name=\"f\" inode=1 dev=00:01 mode=0100644 ouid=0 "
                                       "ogid=0 rdev=00:00 nametype=DELETE"),
                              aux_line("EOE", 4, "")});
  auto f = out.facts(0);
  EXPECT_EQ(f.event, 286);  // AUE_UNLINKAT
  EXPECT_EQ(f.first_path, "f");
}

TEST(LinuxTranslate, RenameKeepsBothObjectsAndDropsParents) {
  const std::string pa = "inode=2 dev=00:01 mode=040755 ouid=0 ogid=0 rdev=00:00";
  auto out = translate_lines({syscall_line(6, 82, "success=yes exit=0", "a0=1 a1=2 a2=0 a3=0"),
                              aux_line("CWD", 6, "cwd=\"/tmp\""),
                              aux_line("PATH", 6, "item=0 name=\"/tmp/\" " + pa + " nametype=PARENT"),
                              aux_line("PATH", 6, "item=1 name=\"/tmp/\" " + pa + " nametype=PARENT"),
                              aux_line("PATH", 6,
                                       "item=2 name=\"a\" inode=7 dev=00:01 mode=0100644 ouid=0 "
                                       "ogid=0 rdev=00:00 nametype=DELETE"),
                              aux_line("PATH", 6,
                                       "item=3 name=\"b\" inode=7 dev=00:01 mode=0100644 ouid=0 "
                                       "ogid=0 rdev=00:00 nametype=CREATE"),
                              aux_line("EOE", 6, "")});
  auto f = out.facts(0);
  EXPECT_EQ(f.event, 42);  // AUE_RENAME
  EXPECT_EQ(f.path_count, 2u);
  EXPECT_EQ(f.first_path, "/tmp/a");
  EXPECT_EQ(f.last_path, "/tmp/b");
}

TEST(LinuxTranslate, ExitGroupHasExitToken) {
  auto out = translate_lines({syscall_line(7, 231, "", "a0=3 a1=0 a2=0 a3=0"), aux_line("EOE", 7, "")});
  auto f = out.facts(0);
  EXPECT_EQ(f.event, 1);  // AUE_EXIT
  ASSERT_TRUE(f.has_exit);
  EXPECT_EQ(f.exit_status, 3u);
}

TEST(LinuxTranslate, CloneRecordsChildPid) {
  auto out = translate_lines(
      {syscall_line(7, 56, "success=yes exit=71505", "a0=1200011 a1=0 a2=0 a3=0"), aux_line("EOE", 7, "")});
  auto f = out.facts(0);
  EXPECT_EQ(f.event, 43043);  // AUE_RFORK
  EXPECT_EQ(f.args[0], 0x1200011u);
  EXPECT_EQ(f.return_value, 71505u);
}

TEST(LinuxTranslate, KillAndSetuidArguments) {
  auto out =
      translate_lines({syscall_line(1, 62, "success=yes exit=0", "a0=1f4 a1=9 a2=0 a3=0"), aux_line("EOE", 1, ""),
                       syscall_line(2, 105, "success=no exit=-1", "a0=0 a1=0 a2=0 a3=0"), aux_line("EOE", 2, "")});
  ASSERT_EQ(out.records.size(), 2u);
  auto kill = out.facts(0), setuid = out.facts(1);
  EXPECT_EQ(kill.event, 15);
  EXPECT_EQ(kill.args[0], 500u);
  EXPECT_EQ(kill.args[1], 9u);
  EXPECT_EQ(setuid.event, 200);
  EXPECT_EQ(setuid.return_errno, 1);
}

TEST(LinuxTranslate, UnknownArchIsARecordNamingArchAndNumber) {
  auto out =
      translate_lines({"type=SYSCALL msg=audit(1.000:1): arch=deadbeef syscall=59 success=yes exit=0 pid=1 auid=0",
                       "type=EOE msg=audit(1.000:1): "});
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.facts(0).event, 48000);  // AUE_LINUX_UNKNOWN_SYSCALL
  EXPECT_EQ(out.stats.skipped_total(), 0u);
}

TEST(LinuxTranslate, UserLoginBySshdIsOpensshEvent) {
  auto out = translate_lines(
      {"type=USER_LOGIN msg=audit(1492810797.778:12651): pid=11396 uid=0 auid=1001 ses=36 msg='op=login "
       "id=1001 exe=\"/usr/sbin/sshd\" hostname=72.83.230.100 addr=72.83.230.100 terminal=/dev/pts/1 "
       "res=success'",
       "type=USER_LOGIN msg=audit(1492896301.818:19955): pid=12635 uid=0 auid=4294967295 ses=4294967295 "
       "msg='op=login acct=28696E76616C6964207573657229 exe=\"/bin/login\" hostname=? addr=? "
       "terminal=tty1 res=failed'"});
  ASSERT_EQ(out.records.size(), 2u);
  auto ssh = out.facts(0), login = out.facts(1);
  EXPECT_EQ(ssh.event, 32800);  // AUE_openssh
  EXPECT_EQ(ssh.subject.auid, 1001u);
  EXPECT_EQ(ssh.subject.pid, 11396u);
  EXPECT_EQ(ssh.subject.sid, 36u);
  EXPECT_EQ(ssh.subject.addr[0], 72);
  EXPECT_EQ(ssh.return_errno, 0);
  EXPECT_TRUE(ssh.text.starts_with("USER_LOGIN op=login id=1001"));
  EXPECT_EQ(login.event, 6152);  // AUE_login
  EXPECT_EQ(login.return_errno, 1);
}

TEST(LinuxTranslate, LoginRecordIsSetauid) {
  auto out =
      translate_lines({"type=LOGIN msg=audit(1170021601.343:296): pid=2288 uid=0 "
                       "subj=system_u:system_r:init_t:s0 old-auid=4294967295 auid=42 tty=(none) "
                       "old-ses=4294967295 ses=1 res=1"});
  ASSERT_EQ(out.records.size(), 1u);
  auto f = out.facts(0);
  EXPECT_EQ(f.event, 131);  // AUE_SETAUID
  EXPECT_EQ(f.args[0], 42u);
  EXPECT_EQ(f.subject.auid, 4294967295u);
  EXPECT_EQ(f.subject.pid, 2288u);
}

TEST(LinuxTranslate, EventWithoutEoeClosesWhenTimeAndRecordsMoveOn) {
  std::vector<std::uint8_t> seen;
  Translator t([&](std::span<const uint8_t>) { seen.push_back(1); });
  t.feed_log_line(syscall_line(1, 87, "success=yes exit=0", "a0=0"));
  EXPECT_TRUE(seen.empty());
  t.feed_log_line("type=SYSCALL msg=audit(1700000005.000:2): arch=c000003e syscall=87 success=yes exit=0");
  EXPECT_TRUE(seen.empty());  // 5 s later, but a late record of serial 1 may still come
  for (int i = 0; i < 64; ++i) t.feed_log_line("type=PATH msg=audit(1700000005.000:3): item=0 name=\"/x\"");
  EXPECT_EQ(seen.size(), 1u);  // serial 1: 5 s older and 64 records ago
  t.flush();
  EXPECT_EQ(seen.size(), 3u);
}

TEST(LinuxTranslate, NetlinkPayloadsTranslateLikeLogLines) {
  std::vector<std::vector<uint8_t>> records;
  Translator t([&](std::span<const uint8_t> r) { records.emplace_back(r.begin(), r.end()); });
  t.feed_netlink(1300, "audit(1700000000.123:77): arch=c000003e syscall=59 success=yes exit=0 a0=1 pid=9 auid=5");
  t.feed_netlink(1309, "audit(1700000000.123:77): argc=1 a0=\"true\"");
  t.feed_netlink(1320, "audit(1700000000.123:77): ");
  ASSERT_EQ(records.size(), 1u);
  bsm::RecordFacts f;
  ASSERT_TRUE(bsm::extract_facts(records[0], f).ok());
  EXPECT_EQ(f.event, 23);
  EXPECT_EQ(f.subject.pid, 9u);
  EXPECT_EQ(f.subject.auid, 5u);
}

TEST(LinuxTranslate, HostileLinesAreRejectedNotFatal) {
  std::vector<std::string> lines = {
      "garbage",
      "type=",
      "type=SYSCALL",
      "type=SYSCALL msg=audit(",
      "type=SYSCALL msg=audit(1.2)",
      "type=SYSCALL msg=audit(99999999999999999999.1:1): x",
      "type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=99999999999999999999 success=yes",
      "type=EXECVE msg=audit(1.000:2): argc=4294967295 a4294967294=\"x\" a5[99999999999]=41",
      "type=SOCKADDR msg=audit(1.000:3): saddr=0",
      "type=SYSCALL msg=audit(1.000:4): arch=c000003e syscall=42 success=yes exit=0 a0=1",
      "type=SOCKADDR msg=audit(1.000:4): saddr=0200",
      "type=PATH msg=audit(1.000:4): item=0 name=\"/x\" inode=1 dev=zz mode=99 'unclosed",
      "type=USER_LOGIN msg=audit(1.000:5): msg='msg='msg='",
      std::string(100000, 'a'),
  };
  auto out = translate_lines(lines);
  EXPECT_GE(out.stats.rejected.size(), 1u);
  EXPECT_EQ(out.stats.events_in, out.stats.events_out + out.stats.skipped_total());
  for (size_t i = 0; i < out.records.size(); ++i) out.facts(i);
}

}  // namespace
}  // namespace bullion::linuxaudit

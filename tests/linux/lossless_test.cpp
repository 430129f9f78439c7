// Issue 10: every Linux audit event becomes a BSM record, nothing in it is
// dropped, and every syscall of x86_64 and aarch64 has an event.
#include <gtest/gtest.h>
#include <libaudit.h>

#include <string>

#include "bullion/bsm/facts.h"
#include "bullion/bsm/reader.h"
#include "bullion/bsm/token.h"
#include "bullion/tables.h"
#include "linux/mapping.h"
#include "translate_helpers.h"

namespace bullion::linuxaudit {
namespace {

using testing::translate_lines;

// Every text token of record `i`, in order.
std::vector<std::string> texts_of(const testing::Translated& out, size_t i) {
  std::vector<std::string> texts;
  bsm::TokenCursor cursor(out.records.at(i), 0, bsm::Dialect::OpenBsm);
  bsm::DecodedToken token;
  while (cursor.next(token)) {
    if (token.kind != bsm::TokenKind::Text) continue;
    auto bytes = token.fields[1].bytes;
    std::string text(bytes.begin(), bytes.end());
    while (!text.empty() && text.back() == '\0') text.pop_back();
    texts.push_back(std::move(text));
  }
  return texts;
}

bool has_text(const std::vector<std::string>& texts, std::string_view want) {
  for (const auto& t : texts)
    if (t == want) return true;
  return false;
}

std::string syscall(uint64_t serial, int nr, std::string_view rest = "success=yes exit=0 a0=3 a1=0 a2=0 a3=0") {
  return "type=SYSCALL msg=audit(1700000000.100:" + std::to_string(serial) +
         "): arch=c000003e syscall=" + std::to_string(nr) + " " + std::string(rest) +
         " items=0 ppid=10 pid=11 auid=1000 uid=1000 gid=1000 euid=1000 suid=1001 fsuid=1002 egid=1000 sgid=1000 "
         "fsgid=1000 tty=pts0 ses=3 comm=\"cat\" exe=\"/usr/bin/cat\" subj=unconfined key=\"watch-etc\"";
}
std::string eoe(uint64_t serial) { return "type=EOE msg=audit(1700000000.100:" + std::to_string(serial) + "): "; }

TEST(LinuxLossless, EverySyscallOfX86_64AndAarch64HasATableRow) {
  for (int machine : {MACH_86_64, MACH_AARCH64}) {
    for (int nr = 0; nr <= 469; ++nr) {
      const std::optional<std::string_view> name = syscall_name(machine, static_cast<uint64_t>(nr));
      if (!name) continue;  // a hole in the table (x86_64 335-423, aarch64 244-259 ...)
      EXPECT_NE(find_syscall(*name), nullptr) << "machine " << machine << " syscall " << nr << " " << *name;
    }
  }
  // Names newer than libaudit 3.0.9 come from our own table.
  EXPECT_EQ(syscall_name(MACH_86_64, 452), "fchmodat2");
  EXPECT_EQ(syscall_name(MACH_AARCH64, 462), "mseal");
  EXPECT_EQ(syscall_name(MACH_86_64, 469), "file_setattr");
}

TEST(LinuxLossless, LinuxOnlyEventsAreInTheBuiltInEventTableWithClasses) {
  const auto& events = tables::EventTable::builtin();
  for (std::string_view name :
       {"AUE_LINUX_BPF", "AUE_LINUX_MEMFD_CREATE", "AUE_LINUX_SETNS", "AUE_LINUX_IO_URING_SETUP",
        "AUE_LINUX_USER_START", "AUE_LINUX_AVC", "AUE_LINUX_LOST"}) {
    const tables::EventEntry* e = events.find(name);
    ASSERT_NE(e, nullptr) << name;
    EXPECT_NE(e->class_mask, 0u) << name;
    EXPECT_GE(e->number, 48000) << name;
  }
  // A site's audit_event overrides ours by number.
  auto site = tables::EventTable::parse(tables::with_linux_events("48002:AUE_SITE_LOST:lost:lo\n"),
                                        tables::ClassTable::builtin());
  ASSERT_TRUE(site.ok());
  EXPECT_EQ(site->find(uint16_t{48002})->name, "AUE_SITE_LOST");
  EXPECT_NE(site->find(std::string_view("AUE_LINUX_BPF")), nullptr);
}

TEST(LinuxLossless, CommonCallsTranslateToBsdEvents) {
  // read 0, stat 4, mmap 9, rt_sigaction 13, fcntl 72, pipe 22, memfd_create 319, bpf 321
  auto out = translate_lines({syscall(1, 0), eoe(1), syscall(2, 4), eoe(2), syscall(3, 9), eoe(3), syscall(4, 13),
                              eoe(4), syscall(5, 72), eoe(5), syscall(6, 22), eoe(6), syscall(7, 319), eoe(7),
                              syscall(8, 321), eoe(8), syscall(9, 452), eoe(9)});
  ASSERT_EQ(out.records.size(), 9u) << out.stats.skipped_total();
  EXPECT_EQ(out.facts(0).event, 192);  // AUE_READ
  EXPECT_EQ(out.facts(1).event, 16);   // AUE_STAT
  EXPECT_EQ(out.facts(2).event, 210);  // AUE_MMAP
  EXPECT_EQ(out.facts(3).event, tables::EventTable::builtin().find(std::string_view("AUE_LINUX_RT_SIGACTION"))->number);
  EXPECT_EQ(out.facts(4).event, 30);   // AUE_FCNTL
  EXPECT_EQ(out.facts(5).event, 185);  // AUE_PIPE
  EXPECT_EQ(out.facts(6).event, tables::EventTable::builtin().find(std::string_view("AUE_LINUX_MEMFD_CREATE"))->number);
  EXPECT_EQ(out.facts(7).event, tables::EventTable::builtin().find(std::string_view("AUE_LINUX_BPF"))->number);
  EXPECT_EQ(out.facts(8).event, 43146);  // fchmodat2 -> AUE_FCHMODAT
}

TEST(LinuxLossless, UnknownSyscallNumberStillBecomesARecord) {
  auto out = translate_lines({syscall(1, 9999), eoe(1)});
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.facts(0).event, 48000);
  EXPECT_TRUE(has_text(texts_of(out, 0), "syscall=9999"));
}

TEST(LinuxLossless, SyscallFieldsDroppedBeforeAreKept) {
  auto out = translate_lines({syscall(77, 0), eoe(77)});
  ASSERT_EQ(out.records.size(), 1u);
  const auto texts = texts_of(out, 0);
  for (std::string_view want : {"key=watch-etc", "ppid=10", "tty=pts0", "comm=cat", "exe=/usr/bin/cat",
                                "subj=unconfined", "suid=1001", "fsuid=1002"}) {
    EXPECT_TRUE(has_text(texts, want)) << want;
  }
  // The Linux serial rides in a seq token, to match records back to audit.log.
  bsm::TokenCursor cursor(out.records[0], 0, bsm::Dialect::OpenBsm);
  bsm::DecodedToken token;
  bool seq = false;
  while (cursor.next(token)) seq |= token.kind == bsm::TokenKind::Seq && token.fields[0].number == 77;
  EXPECT_TRUE(seq);
}

TEST(LinuxLossless, AuxiliaryRecordsOfAnEventAreCarried) {
  auto out = translate_lines({
      syscall(5, 62, "success=yes exit=0 a0=1234 a1=9 a2=0 a3=0"),
      "type=OBJ_PID msg=audit(1700000000.100:5): opid=1234 oauid=1000 ouid=1000 oses=3 obj=unconfined ocomm=\"sleep\"",
      "type=PROCTITLE msg=audit(1700000000.100:5): proctitle=6B696C6C002D390031323334",
      eoe(5),
      syscall(6, 313, "success=yes exit=0 a0=3 a1=0 a2=0 a3=0"),
      "type=KERN_MODULE msg=audit(1700000000.100:6): name=\"dummy\"",
      eoe(6),
      syscall(7, 437, "success=yes exit=4 a0=ffffff9c a1=7ffd a2=7ffe a3=18"),
      "type=OPENAT2 msg=audit(1700000000.100:7): oflag=0101 mode=0600 resolve=0x0",
      eoe(7),
      syscall(8, 44, "success=yes exit=40 a0=3 a1=7ffd a2=28 a3=0"),
      "type=SOCKADDR msg=audit(1700000000.100:8): saddr=100000000000000000000000",
      eoe(8),
      syscall(9, 59, "success=yes exit=0 a0=1 a1=2 a2=3 a3=0"),
      "type=BPRM_FCAPS msg=audit(1700000000.100:9): fver=2 fp=0000000000002000 fi=0 fe=1 old_pp=0 old_pi=0 "
      "old_pe=0 old_pa=0 pp=0000000000002000 pi=0 pe=0000000000002000 pa=0",
      eoe(9),
  });
  ASSERT_EQ(out.records.size(), 5u);
  EXPECT_TRUE(out.stats.unused_records.empty());
  auto kill = out.facts(0);
  EXPECT_TRUE(kill.has_process);
  EXPECT_EQ(kill.process.pid, 1234u);
  EXPECT_TRUE(has_text(texts_of(out, 0), "proctitle=kill -9 1234"));
  EXPECT_TRUE(has_text(texts_of(out, 1), "module=dummy"));
  EXPECT_EQ(out.facts(2).event, 275);  // openat2 O_WRONLY|O_CREAT -> AUE_OPENAT_WC (270 + 5)
  bool netlink = false;
  for (const auto& t : texts_of(out, 3)) netlink |= t.starts_with("netlink");
  EXPECT_TRUE(netlink);
  bool fcaps = false;
  for (const auto& t : texts_of(out, 4)) fcaps |= t.starts_with("BPRM_FCAPS");
  EXPECT_TRUE(fcaps);
}

TEST(LinuxLossless, EveryStandaloneRecordTypeBecomesARecord) {
  auto out = translate_lines({
      "type=CRED_ACQ msg=audit(1.000:5): pid=1 uid=0 auid=0 ses=1 msg='op=PAM:setcred acct=\"root\" res=success'",
      "type=USER_START msg=audit(1.000:6): pid=1 uid=0 auid=0 ses=1 msg='op=PAM:session_open res=success'",
      "type=AVC msg=audit(2.000:7): avc:  denied  { read } for  pid=1 comm=\"x\"",
      "type=ANOM_ABEND msg=audit(2.000:8): auid=0 uid=0 gid=0 ses=1 pid=5 comm=\"crash\" exe=\"/bin/crash\" sig=11 "
      "res=1",
      "type=SECCOMP msg=audit(2.000:9): auid=0 uid=0 gid=0 ses=1 pid=5 comm=\"x\" sig=31 arch=c000003e syscall=2 "
      "compat=0 ip=0x0 code=0x0",
      "type=EXECVE msg=audit(3.000:10): argc=2 a0=\"ls\" a1=\"-l\"",
      "type=PATH msg=audit(3.000:11): item=0 name=\"/etc/passwd\" inode=5 dev=08:01 mode=0100644 ouid=0 ogid=0 "
      "rdev=00:00",
      "type=URINGOP msg=audit(3.000:12): uring_op=18 success=yes exit=0 items=0 ppid=1 pid=2 uid=0 gid=0 euid=0 "
      "suid=0 fsuid=0 egid=0 sgid=0 fsgid=0",
      "type=SERVICE_START msg=audit(4.000:13): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='unit=cron "
      "comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res=success'",
  });
  EXPECT_EQ(out.stats.events_in, 9u);
  EXPECT_EQ(out.stats.events_out, 9u);
  EXPECT_EQ(out.stats.skipped_total(), 0u);
  ASSERT_EQ(out.records.size(), 9u);
  const auto& events = tables::EventTable::builtin();
  auto named = [&](size_t i) { return std::string(events.find(out.facts(i).event)->name); };
  EXPECT_EQ(named(0), "AUE_LINUX_CRED_ACQ");
  EXPECT_EQ(named(1), "AUE_LINUX_USER_START");
  EXPECT_EQ(named(2), "AUE_LINUX_AVC");
  EXPECT_EQ(named(3), "AUE_LINUX_ANOM_ABEND");
  EXPECT_EQ(named(4), "AUE_LINUX_SECCOMP_RECORD");  // AUE_LINUX_SECCOMP is the syscall
  EXPECT_EQ(named(5), "AUE_LINUX_EXECVE");
  EXPECT_EQ(testing::exec_args_of(out.facts(5)), (std::vector<std::string>{"ls", "-l"}));
  EXPECT_EQ(named(6), "AUE_LINUX_PATH");
  EXPECT_EQ(out.facts(6).first_path, "/etc/passwd");
  EXPECT_EQ(named(7), "AUE_LINUX_URINGOP");
  EXPECT_EQ(named(8), "AUE_LINUX_SERVICE_START");
}

TEST(LinuxLossless, OneSerialIsOneEventWhateverItsRecordTypes) {
  // systemd's sendto of SERVICE_START is audited too: same serial, one event.
  auto out = translate_lines({
      "type=SERVICE_START msg=audit(4.000:13): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='unit=cron "
      "res=success'",
      "type=SYSCALL msg=audit(4.000:13): arch=c000003e syscall=44 success=yes exit=100 a0=3 a1=0 a2=0 a3=0 items=0 "
      "ppid=0 pid=1 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 "
      "comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" key=(null)",
      "type=EOE msg=audit(4.000:13): ",
  });
  EXPECT_EQ(out.stats.events_in, 1u);
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(tables::EventTable::builtin().find(out.facts(0).event)->name, "AUE_LINUX_SERVICE_START");
}

TEST(LinuxLossless, LateAuxiliaryRecordJoinsItsEvent) {
  // go-libaudit's out_of_order.log: no EOE, PATH item 1 of serial 60 comes 7 s late.
  auto out = translate_lines({
      "type=SYSCALL msg=audit(1492037291.038:60): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 "
      "items=2 ppid=1 pid=2 auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 "
      "fsgid=1000 tty=pts1 ses=8 comm=\"cat\" exe=\"/usr/bin/cat\" key=(null)",
      "type=EXECVE msg=audit(1492037291.038:60): argc=2 a0=\"cat\" a1=\"x\"",
      "type=PATH msg=audit(1492037291.038:60): item=0 name=\"/usr/bin/cat\" inode=3904 dev=08:01 mode=0100755 ouid=0 "
      "ogid=0 rdev=00:00",
      "type=SYSCALL msg=audit(1492037298.883:61): arch=c000003e syscall=42 success=yes exit=0 a0=15 a1=0 a2=6e a3=0 "
      "items=1 ppid=1 pid=3 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) "
      "ses=4294967295 comm=\"master\" exe=\"/usr/libexec/postfix/master\" key=(null)",
      "type=PATH msg=audit(1492037291.038:60): item=1 name=\"/lib64/ld-linux-x86-64.so.2\" inode=19161168 dev=08:01 "
      "mode=0100755 ouid=0 ogid=0 rdev=00:00",
  });
  EXPECT_EQ(out.stats.events_in, 2u);
  ASSERT_EQ(out.records.size(), 2u);
  auto exec = out.facts(0);
  EXPECT_EQ(exec.event, 23);
  EXPECT_EQ(exec.last_path, "/lib64/ld-linux-x86-64.so.2");
}

TEST(LinuxLossless, KernelLogLinesAreReadLikeAuditLogLines) {
  auto out = translate_lines({
      "[  123.456789] audit: type=1300 audit(1700000000.100:5): arch=c000003e syscall=0 success=yes exit=0 a0=3 "
      "a1=0 a2=0 a3=0 items=0 ppid=1 pid=2 auid=7 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 "
      "tty=(none) ses=1 comm=\"x\" exe=\"/x\" key=(null)",
      "Dec 02 07:00:00 host kernel: audit: type=1320 audit(1700000000.100:5): ",
      "audit: type=1006 audit(1700000001.000:6): pid=2 uid=0 old-auid=4294967295 auid=7 tty=(none) old-ses=1 "
      "ses=2 res=1",
  });
  EXPECT_TRUE(out.stats.rejected.empty());
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.facts(0).event, 192);
  EXPECT_EQ(out.facts(0).subject.auid, 7u);
  EXPECT_EQ(out.facts(1).event, 131);
}

}  // namespace
}  // namespace bullion::linuxaudit

// Self-tests of the hand-written tables: order, uniqueness, and agreement
// with the independent sources we can reach (OpenBSM's event table as built
// into bullion, libaudit's syscall and errno names, the host's errno.h).
#include "linux/mapping.h"

#include <gtest/gtest.h>
#include <libaudit.h>

#include <cerrno>
#include <set>
#include <string>

#include "bullion/tables.h"

namespace bullion::linuxaudit {
namespace {

TEST(LinuxMapping, SyscallRowsAreSortedAndUnique) {
  auto rows = syscall_rows();
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_LT(rows[i - 1].name, rows[i].name) << rows[i].name;
}

TEST(LinuxMapping, EveryAueNumberMatchesItsNameInTheEventTable) {
  const auto& events = tables::EventTable::builtin();
  auto check = [&](uint16_t number, std::string_view name) {
    const tables::EventEntry* by_name = events.find(name);
    ASSERT_NE(by_name, nullptr) << name;
    EXPECT_EQ(by_name->number, number) << name;
  };
  for (const SyscallRow& row : syscall_rows()) check(row.event, row.event_name);
  for (const RecordTypeRow& row : record_type_rows())
    if (row.event) check(row.event, row.event_name);
  check(32800, "AUE_openssh");
}

TEST(LinuxMapping, EverySyscallRowNamesACallOfSomeArchitecture) {
  // A row no architecture has would be a typo that no record ever matches.
  std::set<std::string_view> known;
  for (int machine : {MACH_86_64, MACH_AARCH64, MACH_X86}) {
    for (uint64_t nr = 0; nr < 1000; ++nr) {
      if (auto name = syscall_name(machine, nr)) known.insert(*name);
    }
  }
  for (const SyscallRow& row : syscall_rows()) EXPECT_TRUE(known.count(row.name)) << row.name;
}

TEST(LinuxMapping, X86_64NumbersResolveToTheExpectedRows) {
  const int machine = audit_elf_to_machine(0xc000003e);
  struct Case {
    int number;
    uint16_t event;
  };
  for (Case c :
       {Case{59, 23}, Case{2, 72},  Case{257, 270},   Case{87, 6},  Case{263, 286}, Case{82, 42},     Case{264, 282},
        Case{42, 32}, Case{43, 33}, Case{49, 34},     Case{60, 1},  Case{231, 1},   Case{57, 2},      Case{58, 25},
        Case{90, 10}, Case{91, 39}, Case{268, 43146}, Case{92, 11}, Case{105, 200}, Case{117, 43057}, Case{83, 47},
        Case{84, 48}, Case{86, 5},  Case{88, 21},     Case{76, 43}, Case{62, 15},   Case{101, 43002}, Case{41, 183}}) {
    const char* name = audit_syscall_to_name(c.number, machine);
    ASSERT_NE(name, nullptr) << c.number;
    const SyscallRow* row = find_syscall(name);
    ASSERT_NE(row, nullptr) << name;
    EXPECT_EQ(row->event, c.event) << name;
  }
}

TEST(LinuxMapping, OpenEventFollowsOpenBsmOrder) {
  EXPECT_EQ(open_event(72, 0), 72);          // R
  EXPECT_EQ(open_event(72, 0100), 73);       // RC
  EXPECT_EQ(open_event(72, 01000), 74);      // RT
  EXPECT_EQ(open_event(72, 01100), 75);      // RTC
  EXPECT_EQ(open_event(72, 1), 76);          // W
  EXPECT_EQ(open_event(72, 2 | 01100), 83);  // RWTC
  EXPECT_EQ(open_event(270, 2), 278);        // OPENAT_RW
}

TEST(LinuxMapping, LinuxErrnoNumbersMatchTheHost) {
  // The left column is Linux's generic numbering; this host is Linux, so
  // libaudit's names for the numbers must agree.
  for (const ErrnoRow& row : errno_rows()) {
    if (row.linux_errno >= 512) continue;  // kernel-internal, no libc name
    const char* name = audit_errno_to_name(row.linux_errno);
    if (!name) continue;  // libaudit lacks some rare ones
    EXPECT_EQ(std::string(name), std::string(row.name)) << row.linux_errno;
  }
  EXPECT_EQ(bsm_errno(EAGAIN), 11);
  EXPECT_EQ(bsm_errno(ENOTEMPTY), 93);
  EXPECT_EQ(bsm_errno(EINPROGRESS), 150);
  EXPECT_EQ(bsm_errno(ENAMETOOLONG), 78);
  EXPECT_EQ(bsm_errno(EDQUOT), 49);
  EXPECT_EQ(bsm_errno(99999), kBsmErrnoUnknown);
}

TEST(LinuxMapping, ErrnoRowsAreUnique) {
  std::set<uint16_t> seen;
  for (const ErrnoRow& row : errno_rows()) EXPECT_TRUE(seen.insert(row.linux_errno).second) << row.name;
}

TEST(LinuxMapping, RecordTypeNamesRoundTrip) {
  for (const RecordTypeRow& row : record_type_rows()) {
    EXPECT_EQ(record_type_number(row.name), row.type) << row.name;
    // Types newer than the installed libaudit carry our own names.
    const char* libaudit_name = audit_msg_type_to_name(row.type);
    if (libaudit_name) {
      EXPECT_EQ(std::string(libaudit_name), std::string(row.name));
    }
  }
  EXPECT_EQ(record_type_number("UNKNOWN[1334]"), 1334);
  EXPECT_EQ(record_type_number("UNKNOWN[x]"), -1);
  EXPECT_EQ(record_type(1400).role, RecordRole::Other);
  EXPECT_EQ(record_type(1124).role, RecordRole::UserMessage);
}

}  // namespace
}  // namespace bullion::linuxaudit

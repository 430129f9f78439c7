// Inputs that used to crash, hang or eat memory: a file that shrinks while
// it is read, endless garbage, a huge audit.log line, a trail larger than
// the address space the tool may use. Each ends with a report naming the
// file and offset, never a signal, a hang or memory that follows input size.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "pipeline/pipeline_helpers.h"

#if defined(__SANITIZE_ADDRESS__)
#define BULLION_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BULLION_TEST_ASAN 1
#endif
#endif

namespace bullion::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A trail of `copies` times one generated trail (whole records, so still a trail).
std::string repeated_trail(const std::string& path, const std::string& one, size_t copies) {
  std::ofstream out(path, std::ios::binary);
  for (size_t i = 0; i < copies; ++i) out.write(one.data(), static_cast<std::streamsize>(one.size()));
  return path;
}

TEST(Robustness, FileThatShrinksWhileReadIsDamageAtTheCutRecordNotACrash) {
  ScratchDir dir;
  const std::string one = generate_trail(dir / "one.bsm", {"--seed", "12", "--records", "12000", "--clean"});
  const std::string path = repeated_trail(dir / "shrinks.bsm", one, 6);
  const std::string whole = read_file(path);
  const std::vector<size_t> offsets = record_offsets(whole);
  ASSERT_GT(whole.size(), size_t{6} << 20);
  // The file will end on a page boundary inside a record: with the file
  // mapped, touching the record's bytes past the end raised SIGBUS.
  size_t cut = (5000000 / 4096 + 1) * 4096, cut_index = 0;  // cut_index: the record the cut falls in
  for (;; cut += 4096) {
    cut_index = 0;
    while (offsets[cut_index + 1] < cut) ++cut_index;
    if (offsets[cut_index] < cut && offsets[cut_index + 1] > cut) break;
  }
  const size_t record = offsets[cut_index];

  Child child({"praudit", "-l", path}, {});
  // Once output has come, praudit is at the start of the trail and soon
  // blocked on the full pipe: far from byte 5,000,000.
  ASSERT_TRUE(child.read_until("\n", 100, seconds(30))) << child.err();
  ASSERT_EQ(truncate(path.c_str(), static_cast<off_t>(cut)), 0);
  const RunResult got = child.wait(seconds(60));
  EXPECT_EQ(got.exit_code, 1) << "a signal is 128+N: " << got.err;
  // Every record before the cut, as praudit prints the trail that ends there.
  write_file(dir / "before_cut.bsm", whole.substr(0, record));
  EXPECT_EQ(got.out, run_tool({"praudit", "-l", dir / "before_cut.bsm"}).out);
  EXPECT_NE(got.err.find(path + ": offset " + std::to_string(record) + ":"), std::string::npos) << got.err;
}

class EndlessZeros : public ::testing::TestWithParam<std::vector<std::string>> {};

TEST_P(EndlessZeros, EndAfterABoundedScanWithAnError) {
  Child child(GetParam(), {});
  const RunResult got = child.wait(seconds(60));  // a bounded scan takes a few seconds at most
  EXPECT_FALSE(got.timed_out);
  EXPECT_EQ(got.exit_code, 1) << got.err;
  EXPECT_NE(got.err.find("/dev/zero: offset 0:"), std::string::npos) << got.err;
}

INSTANTIATE_TEST_SUITE_P(Tools, EndlessZeros,
                         ::testing::Values(std::vector<std::string>{"commands", "/dev/zero"},
                                           std::vector<std::string>{"filewatcher", "/dev/zero"},
                                           std::vector<std::string>{"praudit", "/dev/zero"},
                                           std::vector<std::string>{"praudit", "-p", "/dev/zero"},
                                           std::vector<std::string>{"auditreduce", "--resync", "/dev/zero"}));

TEST(Robustness, OverlongAuditLogLineIsDamageAndMemoryStaysSmall) {
  ScratchDir dir;
  std::string good = read_file(shared_dir() + "/corpus/linux/golibaudit_audit-rhel7.log");
  if (!good.ends_with('\n')) good += '\n';  // the long line must start a line of its own
  const std::string path = dir / "audit.log";
  {
    std::ofstream out(path, std::ios::binary);
    out << good << "type=SYSCALL msg=audit(1700000000.000:99999): comm=\"";
    const std::string block(1 << 20, 'a');
    for (int i = 0; i < 100; ++i) out << block;  // one line of 100 MiB
    out << "\"\n";
  }
  const RunResult want = run_tool({"praudit", "-l", shared_dir() + "/corpus/linux/golibaudit_audit-rhel7.log"});
  const RunResult got = run_tool({"praudit", "-l", path});
  EXPECT_EQ(got.exit_code, 1);
  EXPECT_EQ(got.out, want.out);
  EXPECT_NE(got.err.find(path + ": offset " + std::to_string(good.size()) + ":"), std::string::npos) << got.err;
  EXPECT_LT(got.max_rss_kb, 48 * 1024) << "a 100 MiB line must not be held in memory";
}

// Labelled "big" (name *Big*): writes a 500 MB trail to the temp directory
// and deletes it afterwards. Runs in `make test` (ctest -LE live).
TEST(BigInput, Trail500MBUnder300MBAddressSpace) {
#ifdef BULLION_TEST_ASAN
  GTEST_SKIP() << "ASan reserves terabytes of address space: an address-space limit cannot be tested under it";
#endif
  ScratchDir dir;
  const std::string one = generate_trail(dir / "one.bsm", {"--seed", "31", "--target-bytes", "5000000", "--clean"});
  const std::string path = repeated_trail(dir / "big.bsm", one, 100);
  ASSERT_GE(one.size() * 100, size_t{500} * 1000 * 1000);
  Child::Options limited;
  limited.address_space_limit = uint64_t{300000} * 1024;  // ulimit -v 300000
  limited.stdout_to_null = true;
  Child praudit({"praudit", "-l", path}, limited);
  const RunResult printed = praudit.wait(std::chrono::minutes(3));
  EXPECT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_EQ(printed.err, "");

  limited.stdout_to_null = false;
  const RunResult one_reduced = run_tool({"auditreduce", "-m", "AUE_EXECVE", dir / "one.bsm"});
  Child reduce({"auditreduce", "-m", "AUE_EXECVE", path}, limited);
  const RunResult reduced = reduce.wait(std::chrono::minutes(3));
  EXPECT_EQ(reduced.exit_code, 0) << reduced.err;
  EXPECT_EQ(reduced.out.size(), one_reduced.out.size() * 100);
}

}  // namespace
}  // namespace bullion::testing

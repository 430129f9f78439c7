// The auditreduce tool end to end: inputs (files, stdin, "-", audit
// directories), damage and --resync, exit statuses and messages.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "bullion/bsm/encoder.h"
#include "bullion/input/paths.h"
#include "support/run.h"

namespace bullion::testing {
namespace {

namespace fs = std::filesystem;

std::string record(uint16_t event, uint32_t sec) {
  bsm::RecordBuilder b;
  b.begin_header32(event, 0, sec, 0);
  b.text("t");
  b.return32(0, 0);
  auto bytes = b.finish();
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

class ToolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("reduce_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  std::string write(const std::string& name, const std::string& bytes) {
    const std::string p = (dir_ / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  RunResult reduce(std::vector<std::string> args, const std::string& stdin_path = "") {
    args.insert(args.begin(), "auditreduce");
    return run_tool(args, stdin_path);
  }
  fs::path dir_;
};

TEST_F(ToolTest, DamageWritesWhatCameBeforeNamesFileAndOffsetAndFails) {
  const std::string a = record(23, 1), b = record(23, 2);
  const std::string path = write("t.bsm", a + "\xff\xff\xff" + b);
  const RunResult r = reduce({path});
  EXPECT_EQ(r.out, a);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("auditreduce: " + path + ": offset " + std::to_string(a.size()) + ": "), std::string::npos)
      << r.err;
}

TEST_F(ToolTest, ResyncGoesOnAfterDamage) {
  const std::string a = record(23, 1), b = record(23, 2);
  const RunResult r = reduce({"--resync", write("t.bsm", a + "\xff\xff\xff" + b)});
  EXPECT_EQ(r.out, a + b);
  EXPECT_EQ(r.exit_code, 1);  // still damaged input
}

TEST_F(ToolTest, UndecodableTokenIsDamageWhenTheSelectionReadsIt) {
  std::string a = record(23, 1);
  a[19] = '\xff';  // the text token's length now overruns the record
  const std::string b = record(23, 2);
  const std::string path = write("t.bsm", a + b);
  const RunResult strict = reduce({"-u", "0", path});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.err.find("offset "), std::string::npos);
  const RunResult go_on = reduce({"--resync", "-v", "-u", "0", path});
  EXPECT_EQ(go_on.out, b);  // the damaged record is dropped, the next one judged
}

TEST_F(ToolTest, ReadsStdinWithoutFilesAndForDash) {
  const std::string a = record(23, 1);
  const std::string path = write("t.bsm", a);
  EXPECT_EQ(reduce({}, path).out, a);
  EXPECT_EQ(reduce({"-"}, path).out, a);
  EXPECT_EQ(reduce({"-m", "23", "-"}, path).exit_code, 0);
}

TEST_F(ToolTest, MissingFileSaysCouldntOpenAndExits1) {
  const RunResult r = reduce({(dir_ / "nope.bsm").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("auditreduce: Couldn't open "), std::string::npos) << r.err;
}

TEST_F(ToolTest, BadClassEventUserOrOptionIsAUsageErrorWithExit2) {
  const std::string path = write("t.bsm", record(23, 1));
  for (std::vector<std::string> args : {std::vector<std::string>{"-c", "nosuchclass"},
                                        {"-m", "AUE_NOPE"},
                                        {"-u", "no_such_user_xyz"},
                                        {"-e", "no_such_user_xyz"},
                                        {"-f", "no_such_group_xyz"},
                                        {"-o", "bogus=1"},
                                        {"-o", "sock=host:x"},
                                        {"-a", "yesterday"},
                                        {"-a", "2024-01-01T00:00:00"},
                                        {"-d", "20240101", "-a", "20240101"},
                                        {"-o", "file=(unclosed"},
                                        {"-j", "abc"}}) {
    args.push_back(path);
    const RunResult r = reduce(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[1];
    EXPECT_TRUE(r.out.empty());
    EXPECT_NE(r.err.find("auditreduce:"), std::string::npos);
  }
}

TEST_F(ToolTest, HelpSaysWhichDateFormIsLocalTime) {
  const RunResult r = reduce({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("LOCAL time"), std::string::npos);
  EXPECT_NE(r.out.find("zone"), std::string::npos);
}

TEST_F(ToolTest, DatesInBothFormsSelectTheSameRecords) {
  const std::string path = write("t.bsm", record(23, 1707863843) + record(23, 1707863844));
  const RunResult compact = reduce({"-a", "20240213223724", path});  // run_tool sets TZ=UTC
  const RunResult iso = reduce({"-a", "2024-02-13T23:37:24+01:00", path});
  EXPECT_EQ(compact.out, record(23, 1707863844));
  EXPECT_EQ(iso.out, compact.out);
  const RunResult day = reduce({"-d", "20240213", path});
  EXPECT_EQ(day.out.size(), 2 * compact.out.size());
}

TEST_F(ToolTest, DirectoryIsReadInTimeOrderSkippingWhatIsNotATrail) {
  const std::string r1 = record(1, 1), r2 = record(2, 2), r3 = record(3, 3), r4 = record(4, 4);
  write("20240102000000.20240103000000", r2);
  write("20240101000000.20240102000000", r1);
  write("20240103000000.crash_recovery", r3);
  write("20240104000000.not_terminated", r4);
  write("notes.txt", "not a trail");
  fs::create_directory(dir_ / "20240105000000.20240106000000");  // a directory with a trail's name
  fs::create_symlink("20240104000000.not_terminated", dir_ / "current");
  const RunResult r = reduce({dir_.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, r1 + r2 + r3 + r4);  // `current` is not read twice
}

TEST_F(ToolTest, CurrentLinkToATrailElsewhereIsReadLast) {
  const std::string r1 = record(1, 1), r2 = record(2, 2);
  write("20240101000000.20240102000000", r1);
  const fs::path elsewhere = dir_ / "live";
  fs::create_directory(elsewhere);
  std::ofstream(elsewhere / "trail", std::ios::binary) << r2;
  fs::create_symlink(elsewhere / "trail", dir_ / "current");
  fs::create_symlink(dir_ / "gone", dir_ / "dangling");
  auto paths = input::expand_trail_paths(dir_.string());
  ASSERT_TRUE(paths.ok());
  ASSERT_EQ(paths->size(), 2u);
  EXPECT_EQ(fs::path((*paths)[1]).filename(), "current");
  EXPECT_EQ(reduce({dir_.string()}).out, r1 + r2);
}

TEST_F(ToolTest, DanglingCurrentLinkIsIgnored) {
  const std::string r1 = record(1, 1);
  write("20240101000000.not_terminated", r1);
  fs::create_symlink(dir_ / "gone", dir_ / "current");
  const RunResult r = reduce({dir_.string()});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, r1);
}

TEST_F(ToolTest, SeveralEventsAndInvert) {
  const std::string a = record(23, 1), b = record(72, 2), c = record(6152, 3);
  const std::string path = write("t.bsm", a + b + c);
  EXPECT_EQ(reduce({"-m", "AUE_EXECVE", "-m", "6152", path}).out, a + c);
  EXPECT_EQ(reduce({"-v", "-m", "23", path}).out, b + c);
}

}  // namespace
}  // namespace bullion::testing

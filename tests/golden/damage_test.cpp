// Damaged trails (gen_trails.py --corrupt KIND): every complete record before
// the damage is printed, stderr names the file and the byte offset, the exit
// status is 1; with -p everything after the damage is printed too.
#include <gtest/gtest.h>
#include <unistd.h>

#include "support/run.h"

namespace bullion::testing {
namespace {

struct Trail {
  std::string path;
  std::string bytes;
};

Trail make_trail(const std::string& name, const std::vector<std::string>& args) {
  Trail t;
  t.path = ::testing::TempDir() + "/bullion_" + name + "_" + std::to_string(getpid()) + ".bsm";
  std::vector<std::string> argv = {"/usr/bin/python3", shared_dir() + "/tools/gen_trails.py", "-o", t.path};
  argv.insert(argv.end(), args.begin(), args.end());
  const RunResult r = run_tool(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  t.bytes = read_file(t.path);
  return t;
}

uint32_t be32(const std::string& b, size_t at) {
  return uint32_t(uint8_t(b[at])) << 24 | uint32_t(uint8_t(b[at + 1])) << 16 | uint32_t(uint8_t(b[at + 2])) << 8 |
         uint8_t(b[at + 3]);
}

// Independent of the library: walks whole records and file tokens and
// returns the offset of the first byte that does not start a whole one.
size_t first_damage(const std::string& b) {
  size_t pos = 0;
  while (pos < b.size()) {
    const uint8_t id = uint8_t(b[pos]);
    size_t size = 0;
    if ((id == 0x14 || id == 0x15 || id == 0x74 || id == 0x79) && pos + 5 <= b.size())
      size = be32(b, pos + 1);
    else if (id == 0x11 && pos + 11 <= b.size())
      size = 11 + (uint8_t(b[pos + 9]) << 8 | uint8_t(b[pos + 10]));
    if (size < 5 || pos + size > b.size()) return pos;
    pos += size;
  }
  return pos;
}

class TailDamage : public ::testing::TestWithParam<std::string> {};

TEST_P(TailDamage, PrintsRecordsBeforeAndNamesFileAndOffset) {
  const Trail bad = make_trail(GetParam(), {"--seed", "9", "--records", "40", "--corrupt", GetParam()});
  const size_t damage = first_damage(bad.bytes);
  ASSERT_LT(damage, bad.bytes.size()) << "generator made no damage";
  // The same trail cut right before the damage is the clean reference.
  const std::string clean_path = bad.path + ".clean";
  {
    FILE* f = fopen(clean_path.c_str(), "wb");
    fwrite(bad.bytes.data(), 1, damage, f);
    fclose(f);
  }
  const RunResult want = run_tool({"praudit", "-l", clean_path});
  const RunResult got = run_tool({"praudit", "-l", bad.path});
  EXPECT_EQ(want.exit_code, 0) << want.err;
  EXPECT_EQ(got.out, want.out);
  EXPECT_EQ(got.exit_code, 1);
  EXPECT_NE(got.err.find(bad.path + ": offset " + std::to_string(damage) + ":"), std::string::npos) << got.err;
  // Reading the same bytes from a pipe gives the same result.
  const RunResult piped = run_tool({"praudit", "-l"}, bad.path);
  EXPECT_EQ(piped.out, want.out);
  EXPECT_EQ(piped.exit_code, 1);
  EXPECT_NE(piped.err.find("stdin: offset " + std::to_string(damage) + ":"), std::string::npos) << piped.err;
  unlink(clean_path.c_str());
  unlink(bad.path.c_str());
}

INSTANTIATE_TEST_SUITE_P(Kinds, TailDamage, ::testing::Values("truncated", "garbage", "shortheader", "tinysize"));

class MidDamage : public ::testing::TestWithParam<std::string> {};

TEST_P(MidDamage, BadTokenLosesOnlyItsOwnRecordTail) {
  const Trail bad = make_trail(GetParam(), {"--seed", "11", "--records", "60", "--corrupt", GetParam()});
  const RunResult got = run_tool({"praudit", "-l", bad.path});
  EXPECT_EQ(got.exit_code, 1);
  EXPECT_NE(got.err.find(": offset "), std::string::npos) << got.err;
  // Every framed record still gets its line: 60 records + the bad one + 2 file tokens.
  EXPECT_EQ(std::count(got.out.begin(), got.out.end(), '\n') >= 63, true) << got.out.size();
  unlink(bad.path.c_str());
}

INSTANTIATE_TEST_SUITE_P(Kinds, MidDamage, ::testing::Values("badtoken", "badunit"));

TEST(Resync, GarbageInTheMiddleIsSkippedWithP) {
  const Trail a = make_trail("resync_a", {"--seed", "21", "--records", "30", "--no-file-tokens"});
  const Trail b = make_trail("resync_b", {"--seed", "22", "--records", "30", "--no-file-tokens"});
  const std::string joined_path = a.path + ".joined";
  const std::string garbage = "\xff\x00\x13garbage-bytes\x14\x00";
  {
    FILE* f = fopen(joined_path.c_str(), "wb");
    fwrite(a.bytes.data(), 1, a.bytes.size(), f);
    fwrite(garbage.data(), 1, garbage.size(), f);
    fwrite(b.bytes.data(), 1, b.bytes.size(), f);
    fclose(f);
  }
  const RunResult want_a = run_tool({"praudit", "-l", a.path});
  const RunResult want_b = run_tool({"praudit", "-l", b.path});
  const RunResult stop = run_tool({"praudit", "-l", joined_path});
  EXPECT_EQ(stop.out, want_a.out);
  EXPECT_EQ(stop.exit_code, 1);
  EXPECT_NE(stop.err.find("offset " + std::to_string(a.bytes.size()) + ":"), std::string::npos) << stop.err;
  const RunResult go_on = run_tool({"praudit", "-l", "-p", joined_path});
  EXPECT_EQ(go_on.out, want_a.out + want_b.out);
  EXPECT_EQ(go_on.exit_code, 1);
  const RunResult go_on_pipe = run_tool({"praudit", "-l", "-p"}, joined_path);
  EXPECT_EQ(go_on_pipe.out, want_a.out + want_b.out);
  for (const auto& p : {a.path, b.path, joined_path}) unlink(p.c_str());
}

TEST(Inputs, MissingFileIsReportedAndOthersStillPrint) {
  const Trail a = make_trail("missing_a", {"--seed", "5", "--records", "5"});
  const RunResult got = run_tool({"praudit", "/nonexistent/trail", a.path});
  EXPECT_EQ(got.exit_code, 1);
  EXPECT_NE(got.err.find("/nonexistent/trail: No such file or directory"), std::string::npos) << got.err;
  EXPECT_EQ(got.out, run_tool({"praudit", a.path}).out);
  unlink(a.path.c_str());
}

TEST(Inputs, StdinOfACleanTrailExitsZeroAndClosesTheXml) {
  const Trail a = make_trail("stdin_a", {"--seed", "6", "--records", "25"});
  const RunResult file = run_tool({"praudit", "-x", a.path});
  const RunResult piped = run_tool({"praudit", "-x"}, a.path);
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.out, file.out);
  EXPECT_EQ(piped.out.substr(piped.out.size() - 9), "</audit>\n");
  unlink(a.path.c_str());
}

}  // namespace
}  // namespace bullion::testing

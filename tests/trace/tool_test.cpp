// End to end: records built with RecordBuilder, run through the bsmtrace
// binary (skipped when it has not been built in this build tree).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bullion/bsm/encoder.h"
#include "trace_fixtures.h"

namespace bullion::trace {
namespace {

namespace fs = std::filesystem;
const std::string kTool = std::string(BULLION_BIN_DIR) + "/bsmtrace";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ToolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kTool)) GTEST_SKIP() << "build the bsmtrace tool first";
    dir_ = fs::temp_directory_path() / ("bsmtrace_tool_" + std::to_string(getpid()));
    fs::create_directories(dir_ / "log");
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  int run(const std::string& args) {
    return std::system((kTool + " " + args + " 2>" + (dir_ / "err").string()).c_str());
  }
  fs::path dir_;
};

TEST_F(ToolTest, BruteForceAlertLineAndEvidenceFile) {
  std::ofstream(dir_ / "p.conf") << "sequence brute { subject any;\n"
                                    "  state { event <auditevent> { AUE_openssh; }; status failure; multiplier 2; };\n"
                                    "  state { event <auditevent> { AUE_openssh; }; status success; }; };\n";
  bsm::RecordBuilder b;
  bsm::Subject s;
  s.auid = 1001;
  s.euid = 1001;
  s.pid = 42;
  std::string trail, expected_evidence;
  uint8_t host[4] = {10, 0, 0, 1};
  for (int i = 0; i < 3; ++i) {
    b.begin_header32_ex(testing::event_number("AUE_openssh"), 0, 1000 + i, 250, host);
    b.subject32_ex(s);
    b.return32(i < 2 ? 1 : 0, 0);
    auto rec = b.finish();
    trail.append(reinterpret_cast<const char*>(rec.data()), rec.size());
  }
  expected_evidence = trail;
  std::ofstream(dir_ / "t.bsm", std::ios::binary) << trail;
  ASSERT_EQ(run("-f " + (dir_ / "p.conf").string() + " -l " + (dir_ / "log").string() + " -B -a " +
                (dir_ / "t.bsm").string()),
            0)
      << slurp(dir_ / "err");
  EXPECT_EQ(slurp(dir_ / "log" / "bsmtrace.log"),
            "1002.250 state machine: brute subject: auid 1001 completed: duration 2 seconds "
            "priority: 0 source: t.bsm\n");
  std::vector<fs::path> evidence;
  for (auto& e : fs::directory_iterator(dir_ / "log" / "brute")) evidence.push_back(e.path());
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0].filename().string().rfind("1002.250.", 0), 0u);
  EXPECT_EQ(slurp(evidence[0]), expected_evidence);
}

TEST_F(ToolTest, CheckModeExitCodes) {
  std::string corpus = std::string(BULLION_SHARED_DIR) + "/corpus/bsmtrace/";
  EXPECT_EQ(run("-n -f " + corpus + "bsmtrace.conf"), 0);
  EXPECT_NE(run("-n -f " + corpus + "bsmtrace.conf.pre2018"), 0);
  EXPECT_NE(slurp(dir_ / "err").find("bsmtrace.conf.pre2018:4:1: unsupported statement 'log-channel'"),
            std::string::npos);
  EXPECT_NE(run("-f " + corpus + "bsmtrace.conf -a /nonexistent/trail"), 0);
  EXPECT_NE(slurp(dir_ / "err").find("/nonexistent/trail"), std::string::npos);
}

}  // namespace
}  // namespace bullion::trace

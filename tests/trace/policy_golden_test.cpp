// Original policies keep their meaning: the shipped bsmtrace.conf and the
// sequences of the pre-2018 example (its log channels taken out) give, over
// the golden trails, the alert lines recorded in tests/trace/data, which
// bsmtrace gave before the language extensions and the new index.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "support/run.h"

namespace bullion::trace {
namespace {

namespace fs = std::filesystem;
using bullion::testing::read_file;
using bullion::testing::run_tool;
using bullion::testing::shared_dir;

const std::string kData = std::string(BULLION_SOURCE_DIR) + "/tests/trace/data/";
const char* const kTrails[] = {"g01_s101_n20", "g02_s102_n50", "g03_s103_n100", "g05_s105_n500", "g07_s107_n2000"};

// The pre-2018 example without what today's grammar rejects (log-channel
// statements, the logchannel set, per-sequence `log` lines); its triggers
// run /bin/true instead of logger, so tests write nothing to syslog.
std::string pre2018_sequences() {
  std::string text = read_file(shared_dir() + "/corpus/bsmtrace/bsmtrace.conf.pre2018");
  text = std::regex_replace(text, std::regex(R"(log-channel \$\w+ <\w+> \{[^}]*\};\n)"), "");
  text = std::regex_replace(text, std::regex(R"(define set \$my_log_channels <logchannel> \{[^}]*\};\n)"), "");
  text = std::regex_replace(text, std::regex(R"(\n\tlog <logchannel> \{[^}]*\};)"), "");
  return std::regex_replace(text, std::regex("/usr/bin/logger"), "/bin/true");
}

std::string alerts_of(const std::string& policy, const std::string& trail) {
  auto r = run_tool({"bsmtrace", "--passwd", kData + "passwd", "--group", kData + "group", "-f", policy, "-a",
                     shared_dir() + "/golden/trails/" + trail + ".bsm"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.err;
}

TEST(PolicyGolden, ShippedConfigGivesTheSameAlertsAsBefore) {
  for (const char* trail : kTrails)
    EXPECT_EQ(alerts_of(shared_dir() + "/corpus/bsmtrace/bsmtrace.conf", trail),
              read_file(kData + "shipped_conf." + trail + ".txt"))
        << trail;
}

TEST(PolicyGolden, Pre2018SequencesGiveTheSameAlertsAsBefore) {
  const fs::path policy = fs::temp_directory_path() / ("bsmtrace_pre2018_" + std::to_string(getpid()) + ".conf");
  std::ofstream(policy) << pre2018_sequences();
  for (const char* trail : kTrails)
    EXPECT_EQ(alerts_of(policy.string(), trail), read_file(kData + "pre2018_conf." + trail + ".txt")) << trail;
  fs::remove(policy);
}

}  // namespace
}  // namespace bullion::trace

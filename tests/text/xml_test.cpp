// praudit -x --strict-xml: well-formed XML for every golden trail (hostile
// paths, text, zone names, non-UTF-8 bytes), judged by python3's parser.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "support/run.h"

namespace bullion::testing {
namespace {

constexpr const char* kParser =
    "import sys, xml.etree.ElementTree as ET\n"
    "root = ET.parse(sys.argv[1]).getroot()\n"
    "print(sum(1 for r in root if r.tag == 'record'))\n";

TEST(StrictXml, EveryGoldenTrailIsWellFormed) {
  const std::pair<const char*, size_t> trails[] = {
      {"g01_s101_n20", 20}, {"g03_s103_n100", 100}, {"g07_s107_n2000", 2000}};
  for (const auto& [trail, records] : trails) {
    const std::string path = shared_dir() + "/golden/trails/" + trail + ".bsm";
    const RunResult xml = run_tool({"praudit", "-x", "--strict-xml", path});
    ASSERT_EQ(xml.exit_code, 0) << xml.err;
    const std::string file = ::testing::TempDir() + "/bullion_xml_" + std::to_string(getpid()) + ".xml";
    std::ofstream(file, std::ios::binary) << xml.out;
    const RunResult parsed = run_tool({"/usr/bin/python3", "-c", kParser, file});
    unlink(file.c_str());
    ASSERT_EQ(parsed.exit_code, 0) << trail << ": " << parsed.err.substr(0, 1500);
    EXPECT_EQ(std::stoul(parsed.out), records) << trail;  // every record is one <record>
  }
}

TEST(StrictXml, CompatibleXmlIsNotWellFormedOnHostileStrings) {
  // The reason --strict-xml exists: OpenBSM's layout leaves paths raw.
  const std::string path = shared_dir() + "/golden/trails/g07_s107_n2000.bsm";
  const RunResult xml = run_tool({"praudit", "-x", path});
  const std::string file = ::testing::TempDir() + "/bullion_xml_compat_" + std::to_string(getpid()) + ".xml";
  std::ofstream(file, std::ios::binary) << xml.out;
  const RunResult parsed = run_tool({"/usr/bin/python3", "-c", kParser, file});
  unlink(file.c_str());
  EXPECT_NE(parsed.exit_code, 0);
}

}  // namespace
}  // namespace bullion::testing

// Every praudit row of ../shared/golden/MANIFEST.tsv: our stdout must be
// byte-identical to OpenBSM's. Exit status is ours by design (we exit 1 on
// damage and 0 on a clean stdin read; COMPAT.md), so it is checked against
// our rule, not OpenBSM's.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/run.h"

namespace bullion::testing {
namespace {

using Row = ManifestRow;

std::vector<Row> praudit_rows() {
  return manifest_rows([](const std::string& tool) { return tool.rfind("praudit", 0) == 0; });
}

std::string test_name(const Row& r) {
  std::string name = r.output;
  for (char& c : name)
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

class PrauditGolden : public ::testing::TestWithParam<Row> {};

TEST_P(PrauditGolden, StdoutMatchesOpenBsmByteForByte) {
  const Row& r = GetParam();
  const std::string golden = shared_dir() + "/golden";
  std::vector<std::string> argv = {"praudit", "--root", golden + "/root"};
  std::string stdin_path;
  if (r.tool == "praudit(stdin)") {
    stdin_path = golden + "/" + r.input;
  } else {
    for (const std::string& w : split_words(r.flags)) argv.push_back(w);
    argv.push_back(golden + "/" + r.input);
  }
  const RunResult got = run_tool(argv, stdin_path);
  const std::string want = read_file(golden + "/" + r.output);
  ASSERT_EQ(got.out.size(), want.size()) << r.output << "\nstderr: " << got.err;
  EXPECT_TRUE(got.out == want) << r.output;
  // Our exit rule: 0 when every byte was a whole record, 1 on damage.
  const bool damaged = r.input.find("/c0") != std::string::npos;
  EXPECT_EQ(got.exit_code, damaged ? 1 : 0) << got.err;
  if (damaged) {
    EXPECT_NE(got.err.find("offset "), std::string::npos) << got.err;
  }
}

INSTANTIATE_TEST_SUITE_P(Manifest, PrauditGolden, ::testing::ValuesIn(praudit_rows()),
                         [](const auto& info) { return test_name(info.param); });

TEST(PrauditGoldenManifest, HasRows) { EXPECT_GE(praudit_rows().size(), 60u); }

}  // namespace
}  // namespace bullion::testing

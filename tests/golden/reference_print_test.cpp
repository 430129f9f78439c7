// Every OpenBSM reference record printed in every mode OpenBSM's praudit was
// run in (../shared/corpus/openbsm-reference/praudit/<record>.<mode>.txt).
#include <dirent.h>
#include <gtest/gtest.h>

#include "support/run.h"

namespace bullion::testing {
namespace {

struct Case {
  std::string record, mode;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.record << "." << c.mode; }

std::string ref_dir() { return shared_dir() + "/corpus/openbsm-reference"; }

std::vector<Case> cases() {
  std::vector<Case> out;
  if (DIR* d = opendir((ref_dir() + "/praudit").c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string n = e->d_name;
      const size_t dot = n.find('.');
      if (dot == std::string::npos || n.size() < 4 || n.substr(n.size() - 4) != ".txt") continue;
      out.push_back({n.substr(0, dot), n.substr(dot + 1, n.size() - dot - 5)});
    }
    closedir(d);
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.record + a.mode < b.record + b.mode; });
  return out;
}

class ReferencePrint : public ::testing::TestWithParam<Case> {};

TEST_P(ReferencePrint, MatchesOpenBsm) {
  const Case& c = GetParam();
  std::vector<std::string> argv = {"praudit", "--root", shared_dir() + "/golden/root"};
  if (c.mode != "default") argv.push_back("-" + c.mode);
  argv.push_back(ref_dir() + "/" + c.record);
  const RunResult got = run_tool(argv);
  EXPECT_EQ(got.out, read_file(ref_dir() + "/praudit/" + c.record + "." + c.mode + ".txt"));
  EXPECT_EQ(got.exit_code, 0) << got.err;
}

INSTANTIATE_TEST_SUITE_P(OpenBsm, ReferencePrint, ::testing::ValuesIn(cases()), [](const auto& info) {
  std::string n = info.param.record + "_" + info.param.mode;
  for (char& ch : n)
    if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
});

TEST(ReferencePrintCorpus, CoversEveryRecordInSixModes) { EXPECT_EQ(cases().size(), 56u * 6u); }

}  // namespace
}  // namespace bullion::testing

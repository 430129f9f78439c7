// Every tool that writes JSON writes strict JSON on every trail we have:
// the golden trails, the corpus trails and OpenBSM's reference records, and
// samples/hostile.bsm. The judge is tests/support/strict_json.py (Python's
// json with a hook that rejects duplicate keys, and strict UTF-8 decoding),
// independent of our writer.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/run.h"

namespace bullion::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> every_trail() {
  std::vector<std::string> files;
  const auto add_dir = [&](const fs::path& dir, auto&& keep) {
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file() && keep(e.path().filename().string())) files.push_back(e.path().string());
  };
  add_dir(shared_dir() + "/golden/trails", [](const std::string& n) { return n.ends_with(".bsm"); });
  add_dir(shared_dir() + "/corpus/trails", [](const std::string& n) { return n != "PROVENANCE.txt"; });
  add_dir(shared_dir() + "/corpus/openbsm-reference", [](const std::string& n) { return n.ends_with("_record"); });
  add_dir(std::string(BULLION_SOURCE_DIR) + "/samples", [](const std::string& n) { return n.ends_with(".bsm"); });
  std::sort(files.begin(), files.end());
  return files;
}

// Names of programs that the trails run, hostile ones included, for the
// tools that select by name.
const std::vector<std::string> kNames = {
    "shadow", "semi;colon", "tab\tname", "space name  two", "\xd1\x84\xd0\xb0\xd0\xb9\xd0\xbb.txt", "sh", "ls"};

struct ToolRun {
  std::string name;
  std::vector<std::string> (*argv)(const std::string& trail);
};

std::vector<std::string> with_names(std::vector<std::string> argv) {
  argv.insert(argv.end(), kNames.begin(), kNames.end());
  return argv;
}

const ToolRun kTools[] = {
    {"praudit",
     [](const std::string& t) {
       return std::vector<std::string>{"praudit", "--json", t};
     }},
    {"commands",
     [](const std::string& t) {
       return std::vector<std::string>{"commands", "--json", "--env", t};
     }},
    {"filewatcher",
     [](const std::string& t) {
       return std::vector<std::string>{"filewatcher", "-a", "--json", t};
     }},
    {"paudit",
     [](const std::string& t) {
       return with_names({"paudit", "--json", "-i", t});
     }},
    {"pwait",
     [](const std::string& t) {
       return with_names({"pwait", "--json", "-i", t});
     }},
    {"auditconf",
     [](const std::string& t) {
       return std::vector<std::string>{"auditconf", "advise", "--json", "--root", shared_dir() + "/golden/root", t};
     }},
    {"bsmtrace",
     [](const std::string& t) {
       return std::vector<std::string>{"bsmtrace", "-f", shared_dir() + "/corpus/bsmtrace/bsmtrace.conf",
                                       "--json",   "-F", t};
     }},
};

class StrictJson : public ::testing::TestWithParam<ToolRun> {};

TEST_P(StrictJson, OnEveryTrail) {
  const ToolRun& tool = GetParam();
  const std::string out_path =
      ::testing::TempDir() + "/bullion_strict_" + tool.name + "_" + std::to_string(getpid()) + ".jsonl";
  {
    std::ofstream out(out_path, std::ios::binary);
    for (const std::string& trail : every_trail()) {
      const RunResult r = run_tool(tool.argv(trail));
      // Damaged reference records may fail; whatever came out must still be JSON.
      EXPECT_NE(r.exit_code, -1) << trail;
      EXPECT_LT(r.exit_code, 2) << trail << ": " << r.err;
      out << r.out;
    }
  }
  const RunResult judge =
      run_tool({"/usr/bin/python3", std::string(BULLION_SOURCE_DIR) + "/tests/support/strict_json.py", out_path});
  unlink(out_path.c_str());
  EXPECT_EQ(judge.exit_code, 0) << judge.err;
  // Not vacuous: each tool wrote objects.
  EXPECT_GT(std::stoul(judge.out.empty() ? "0" : judge.out), 0u) << tool.name;
}

INSTANTIATE_TEST_SUITE_P(EveryJsonTool, StrictJson, ::testing::ValuesIn(kTools),
                         [](const ::testing::TestParamInfo<ToolRun>& info) { return info.param.name; });

}  // namespace
}  // namespace bullion::testing

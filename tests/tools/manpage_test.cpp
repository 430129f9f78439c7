// Every tool has a man page (docs/man/NAME.1, or NAME.8 for system tools)
// that mandoc's linter accepts and that mentions every long option the
// tool's own help lists. See docs/manpages.md.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "support/run.h"

namespace bullion::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> tool_names() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(std::string(BULLION_SOURCE_DIR) + "/tools"))
    if (fs::exists(e.path() / "main.cpp")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string page_of(const std::string& tool) {
  for (const char* section : {".1", ".8"}) {
    const std::string path = std::string(BULLION_SOURCE_DIR) + "/docs/man/" + tool + section;
    if (fs::exists(path)) return path;
  }
  return "";
}

// The page as a reader sees it, without the overstrike that marks bold.
std::string rendered(const std::string& page) {
  const RunResult r = run_tool({"/usr/bin/mandoc", "-T", "ascii", "-O", "width=400", page});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string text;
  for (char c : r.out) {
    if (c == '\b') {
      if (!text.empty()) text.pop_back();
      continue;
    }
    text += c;
  }
  return text;
}

TEST(ManPages, EveryToolHasOneThatLintsClean) {
  const auto tools = tool_names();
  ASSERT_GE(tools.size(), 8u);
  for (const std::string& tool : tools) {
    const std::string page = page_of(tool);
    ASSERT_FALSE(page.empty()) << "docs/man/" << tool << ".1 (or .8) is missing";
    const RunResult lint = run_tool({"/usr/bin/mandoc", "-T", "lint", "-W", "warning", page});
    EXPECT_EQ(lint.exit_code, 0) << tool;
    EXPECT_EQ(lint.out + lint.err, "") << tool;
  }
}

TEST(ManPages, MentionEveryLongOptionOfTheToolsHelp) {
  const std::regex long_option("--[a-z][a-z-]*");
  for (const std::string& tool : tool_names()) {
    const std::string page = page_of(tool);
    if (page.empty()) continue;  // the test above fails for it
    const RunResult help = run_tool({tool, "-h"});
    ASSERT_EQ(help.exit_code, 0) << tool;
    std::set<std::string> options;
    for (auto it = std::sregex_iterator(help.out.begin(), help.out.end(), long_option); it != std::sregex_iterator();
         ++it)
      options.insert(it->str());
    EXPECT_FALSE(options.empty()) << tool;
    const std::string text = rendered(page);
    for (const std::string& option : options) EXPECT_NE(text.find(option), std::string::npos) << tool << " " << option;
  }
}

}  // namespace
}  // namespace bullion::testing

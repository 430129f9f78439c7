// docs/json.md's examples are run as written: each "$ praudit ... | jq ..."
// (or "| python3 -c ...") line of a sh block runs on the sample trail it
// names, and what follows it in the block is the output it must give.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/run.h"

namespace bullion::testing {
namespace {

struct Example {
  std::string command;
  std::string expected;  // the lines after the command, each ending in '\n'
};

std::vector<Example> doc_examples(const std::string& path) {
  std::istringstream doc(read_file(path));
  std::vector<Example> examples;
  bool in_sh = false;
  for (std::string line; std::getline(doc, line);) {
    if (!in_sh) {
      in_sh = line == "```sh";
      continue;
    }
    if (line == "```") {
      in_sh = false;
    } else if (line.starts_with("$ ")) {
      examples.push_back({line.substr(2), {}});
    } else if (!examples.empty()) {
      examples.back().expected += line + "\n";
    }
  }
  return examples;
}

// The command's two sides of its first '|' outside single quotes.
std::pair<std::string, std::string> split_pipe(const std::string& command) {
  bool quoted = false;
  for (size_t i = 0; i < command.size(); ++i) {
    if (command[i] == '\'') quoted = !quoted;
    if (command[i] == '|' && !quoted) return {command.substr(0, i), command.substr(i + 1)};
  }
  return {command, ""};
}

TEST(JsonDoc, EveryExampleGivesTheOutputShown) {
  const std::vector<Example> examples = doc_examples(std::string(BULLION_SOURCE_DIR) + "/docs/json.md");
  ASSERT_GE(examples.size(), 5u) << "docs/json.md lost its examples";
  const std::string trail_json = ::testing::TempDir() + "/bullion_doc_" + std::to_string(getpid()) + ".jsonl";
  for (const Example& e : examples) {
    SCOPED_TRACE(e.command);
    const auto [producer, consumer] = split_pipe(e.command);
    std::vector<std::string> praudit = split_words(producer);
    ASSERT_FALSE(praudit.empty());
    ASSERT_EQ(praudit[0], "praudit");
    // The doc's names are those of the test tables.
    praudit.insert(praudit.begin() + 1, {"--root", shared_dir() + "/golden/root"});
    const RunResult produced = run_tool(praudit, "", BULLION_SOURCE_DIR);
    ASSERT_EQ(produced.exit_code, 0) << produced.err;
    std::ofstream(trail_json, std::ios::binary) << produced.out;
    std::vector<std::string> filter = split_words(consumer);
    ASSERT_FALSE(filter.empty());
    ASSERT_TRUE(filter[0] == "jq" || filter[0] == "python3") << filter[0];
    filter[0] = "/usr/bin/" + filter[0];
    const RunResult r = run_tool(filter, trail_json);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out, e.expected);
  }
  unlink(trail_json.c_str());
}

}  // namespace
}  // namespace bullion::testing

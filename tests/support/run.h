// Runs a built tool as a child process and captures its output: the golden
// and end-to-end tests compare what users would see.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace bullion::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// argv[0] is a tool name under BULLION_BIN_DIR or an absolute path.
// stdin_path: file to connect to standard input ("" = /dev/null).
// env: extra NAME=VALUE entries (TZ=UTC LC_ALL=C are always set).
RunResult run_tool(const std::vector<std::string>& argv, const std::string& stdin_path = "",
                   const std::string& cwd = "", const std::vector<std::string>& env = {});

// Splits a command-line fragment as /bin/sh would for plain words and
// single-quoted strings (enough for the manifest's flag column).
std::vector<std::string> split_words(const std::string& s);

std::string read_file(const std::string& path);

// A row of ../shared/golden/MANIFEST.tsv.
struct ManifestRow {
  std::string input, tool, flags, output;
};
// Rows whose tool column passes `keep` (e.g. starts with "praudit").
std::vector<ManifestRow> manifest_rows(const std::function<bool(const std::string& tool)>& keep);
void PrintTo(const ManifestRow& r, std::ostream* os);  // gtest: name the output file
std::string shared_dir();                              // ../shared beside the checkout

}  // namespace bullion::testing

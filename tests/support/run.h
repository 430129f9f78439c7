// Runs a built tool as a child process and captures its output: the golden
// and end-to-end tests compare what users would see. Every run has a
// deadline, so a tool that hangs fails its test instead of blocking CI.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bullion::testing {

struct RunResult {
  int exit_code = -1;  // 128 + signal when killed by one; -1 when it did not end in time
  std::string out;
  std::string err;
  long max_rss_kb = 0;  // the child's peak resident memory (getrusage)
  bool timed_out = false;
};

// argv[0] is a tool name under BULLION_BIN_DIR or an absolute path.
// stdin_path: file to connect to standard input ("" = /dev/null).
// env: extra NAME=VALUE entries (TZ=UTC LC_ALL=C are always set).
// The tool is killed after 5 minutes (then timed_out is set).
RunResult run_tool(const std::vector<std::string>& argv, const std::string& stdin_path = "",
                   const std::string& cwd = "", const std::vector<std::string>& env = {});

// A tool started in the background, for tests that feed its input piece by
// piece, read its output while it runs, or hand it extra descriptors.
class Child {
 public:
  struct Options {
    bool stdin_pipe = false;  // stdin is a pipe the test writes (write_stdin)
    std::string stdin_path;   // otherwise this file ("" = /dev/null)
    bool stdout_to_null = false;
    // Extra descriptors: {descriptor in the child, descriptor of the test}.
    std::vector<std::pair<int, int>> fds;
    std::vector<std::string> env;  // added to TZ=UTC LC_ALL=C PATH=...
    std::string cwd;
    uint64_t address_space_limit = 0;  // RLIMIT_AS in bytes (ulimit -v), 0 = none
  };

  Child(const std::vector<std::string>& argv, const Options& options);
  ~Child();  // kills the child if it still runs
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  bool write_stdin(std::string_view bytes);
  void close_stdin();
  // Reads stdout (and stderr, kept apart) until stdout holds `count`
  // occurrences of `needle` or the deadline passes; false then.
  bool read_until(std::string_view needle, size_t count, std::chrono::milliseconds deadline);
  const std::string& out() const { return result_.out; }
  const std::string& err() const { return result_.err; }
  void signal(int sig);
  // Closes stdin (unless `close_input` is false: another thread still
  // writes it), reads everything until the child exits or the deadline
  // passes (then stops it: timed_out).
  RunResult wait(std::chrono::milliseconds deadline = std::chrono::minutes(5), bool close_input = true);

 private:
  bool pump(std::chrono::steady_clock::time_point until);
  void stop_late(int& status, ::rusage& usage);
  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;
  RunResult result_;
  bool reaped_ = false;
};

// Splits a command-line fragment as /bin/sh would for plain words and
// single-quoted strings (enough for the manifest's flag column).
std::vector<std::string> split_words(const std::string& s);

std::string read_file(const std::string& path);
void write_file(const std::string& path, std::string_view bytes);

// A row of ../shared/golden/MANIFEST.tsv.
struct ManifestRow {
  std::string input, tool, flags, output;
};
// Rows whose tool column passes `keep` (e.g. starts with "praudit").
std::vector<ManifestRow> manifest_rows(const std::function<bool(const std::string& tool)>& keep);
void PrintTo(const ManifestRow& r, std::ostream* os);  // gtest: name the output file
std::string shared_dir();                              // ../shared beside the checkout

}  // namespace bullion::testing

// Pieces the pipeline's end-to-end tests share: a scratch directory per
// test, generated trails, and record framing done without the library (so
// a test does not trust the code it checks).
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/run.h"

namespace bullion::testing {

namespace fs = std::filesystem;

// A fresh directory for one test, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "bullion_" + std::string(info->test_suite_name()) + "_" + info->name();
    std::replace(name.begin(), name.end(), '/', '_');  // parameterised tests
    path_ = fs::path(::testing::TempDir()) / (name + "_" + std::to_string(getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// gen_trails.py with these arguments into `path`; returns the bytes.
inline std::string generate_trail(const std::string& path, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/python3", shared_dir() + "/tools/gen_trails.py", "-o", path};
  argv.insert(argv.end(), args.begin(), args.end());
  const RunResult r = run_tool(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return read_file(path);
}

inline uint32_t be32_of(const std::string& b, size_t at) {
  return uint32_t(uint8_t(b[at])) << 24 | uint32_t(uint8_t(b[at + 1])) << 16 | uint32_t(uint8_t(b[at + 2])) << 8 |
         uint8_t(b[at + 3]);
}

// Offsets of the whole records and file tokens of a trail, walked without
// the library; stops at the first byte that does not start a whole one.
inline std::vector<size_t> record_offsets(const std::string& b) {
  std::vector<size_t> offsets;
  size_t pos = 0;
  while (pos < b.size()) {
    const uint8_t id = uint8_t(b[pos]);
    size_t size = 0;
    if ((id == 0x14 || id == 0x15 || id == 0x74 || id == 0x79) && pos + 5 <= b.size())
      size = be32_of(b, pos + 1);
    else if (id == 0x11 && pos + 11 <= b.size())
      size = 11 + (uint8_t(b[pos + 9]) << 8 | uint8_t(b[pos + 10]));
    if (size < 5 || pos + size > b.size()) break;
    offsets.push_back(pos);
    pos += size;
  }
  return offsets;
}

// The records of a trail (file tokens included), each as its bytes.
inline std::vector<std::string> split_records(const std::string& b) {
  std::vector<std::string> records;
  const auto offsets = record_offsets(b);
  for (size_t i = 0; i < offsets.size(); ++i) {
    const size_t end = i + 1 < offsets.size() ? offsets[i + 1] : offsets[i] + be32_of(b, offsets[i] + 1);
    records.push_back(b.substr(offsets[i], end - offsets[i]));
  }
  return records;
}

// Opens a FIFO for writing once a reader has it open, waiting at most
// `deadline`; -1 when no reader came (so the test cannot hang on open()).
inline int open_fifo_writer(const std::string& path, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    const int fd = open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
      fcntl(fd, F_SETFL, 0);  // blocking writes from here on
      return fd;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

// Writes all of `bytes` to fd, giving up when the reader goes away.
inline void write_all(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

inline size_t count_lines(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace bullion::testing

// Pieces the trail tests share: scratch directories, reading a trail back,
// and fakes for time, free space and audit_warn.
#pragma once

#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bullion/bsm/encoder.h"
#include "bullion/bsm/reader.h"
#include "bullion/trail/keeper.h"

namespace bullion::trail::testing {

// A directory under /tmp removed with everything in it at the end.
struct ScratchDir {
  std::string path;
  ScratchDir() {
    char pattern[] = "/tmp/bullion-trail-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  std::string sub(const std::string& name) const {
    std::string p = path + "/" + name;
    mkdir(p.c_str(), 0755);
    return p;
  }
};

inline std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> names;
  DIR* stream = opendir(dir.c_str());
  if (stream == nullptr) return names;
  while (const dirent* e = readdir(stream)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(stream);
  std::sort(names.begin(), names.end());
  return names;
}

inline std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

struct Item {
  bool file_token = false;
  std::vector<uint8_t> bytes;
};

// Every record and file token of a trail, in order; the trail must read
// cleanly to its end.
inline std::vector<Item> read_trail(const std::string& path) {
  std::vector<Item> items;
  auto reader = bsm::RecordReader::open(path);
  EXPECT_TRUE(reader.ok()) << path;
  if (!reader) return items;
  bsm::RecordView view;
  for (;;) {
    auto next = (*reader)->next(view);
    if (next == bsm::RecordReader::Next::End) break;
    if (next == bsm::RecordReader::Next::Damage) {
      ADD_FAILURE() << path << ": " << (*reader)->error().describe();
      break;
    }
    items.push_back(Item{view.is_file_token, std::vector<uint8_t>(view.bytes.begin(), view.bytes.end())});
  }
  return items;
}

// The name in a stand-alone file token.
inline std::string file_token_name(const std::vector<uint8_t>& token) {
  if (token.size() < 12) return {};
  std::string name(token.begin() + 11, token.end());
  while (!name.empty() && name.back() == '\0') name.pop_back();
  return name;
}

// A record whose path token carries `tag`, `padding` bytes of text to size it.
inline std::vector<uint8_t> tagged_record(uint32_t tag, size_t padding = 0, uint16_t event = 23) {
  bsm::RecordBuilder builder;
  builder.begin_header32(event, 0, 1700000000 + tag, 0);
  builder.path("/tag/" + std::to_string(tag));
  if (padding > 0) builder.text(std::string(padding, 'x'));
  builder.return32(0, 0);
  auto bytes = builder.finish();
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

class FakeClock final : public Clock {
 public:
  Timestamp time{1700000000, 0};
  Timestamp now() override { return time; }
  void sleep_for(std::chrono::milliseconds duration) override { advance(duration.count()); }
  void advance(int64_t ms) {
    const int64_t total = time.seconds * 1000 + time.msec + ms;
    time = Timestamp{total / 1000, static_cast<uint32_t>(total % 1000)};
  }
};

// Free space per directory, set by the test; unknown directories are roomy.
class FakeSpace final : public SpaceProbe {
 public:
  std::map<std::string, SpaceInfo> dirs;
  Result<SpaceInfo> probe(const std::string& dir) override {
    auto it = dirs.find(dir);
    if (it != dirs.end()) return it->second;
    return SpaceInfo{4096, 1000000, 900000};
  }
  void set_free_percent(const std::string& dir, int percent) {
    dirs[dir] = SpaceInfo{4096, 1000000, static_cast<uint64_t>(percent) * 10000};
  }
  void set_full(const std::string& dir) { dirs[dir] = SpaceInfo{4096, 1000000, 0}; }
};

class RecordingWarner final : public Warner {
 public:
  std::vector<std::string> calls;  // "reason" or "reason file"
  Status warn(std::string_view reason, std::string_view file) override {
    calls.push_back(file.empty() ? std::string(reason) : std::string(reason) + " " + std::string(file));
    return Ok{};
  }
  bool saw(const std::string& call) const { return std::find(calls.begin(), calls.end(), call) != calls.end(); }
  size_t count(std::string_view reason) const {
    return std::count_if(calls.begin(), calls.end(),
                         [&](const std::string& c) { return c == reason || c.starts_with(std::string(reason) + " "); });
  }
};

}  // namespace bullion::trail::testing

#include "bullion/bsm/reader.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "bullion/bsm/encoder.h"
#include "bullion/bsm/facts.h"
#include "bullion/input/open.h"

namespace bullion::bsm {
namespace {

std::vector<uint8_t> record_with_path(const std::string& path, uint16_t event = 23) {
  RecordBuilder b;
  b.begin_header32(event, 0, 1700000000, 7);
  b.path(path);
  b.return32(0, 0);
  auto r = b.finish();
  return {r.begin(), r.end()};
}

std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(RecordReader, FramesRecordsAndFileTokensWithOffsets) {
  const auto file = RecordBuilder::file_token(1, 0, "/var/audit/x");
  const auto a = record_with_path("/a"), b = record_with_path("/bb");
  const auto bytes = concat({file, a, b});
  auto reader = RecordReader::from_memory(bytes, "mem");
  RecordView v;
  ASSERT_EQ(reader->next(v), RecordReader::Next::Record);
  EXPECT_TRUE(v.is_file_token);
  EXPECT_EQ(v.offset, 0u);
  ASSERT_EQ(reader->next(v), RecordReader::Next::Record);
  EXPECT_EQ(v.offset, file.size());
  EXPECT_EQ(v.bytes.size(), a.size());
  ASSERT_EQ(reader->next(v), RecordReader::Next::Record);
  EXPECT_EQ(v.offset, file.size() + a.size());
  EXPECT_EQ(reader->next(v), RecordReader::Next::End);
}

TEST(RecordReader, TruncatedRecordIsDamageAtItsStart) {
  const auto a = record_with_path("/a"), b = record_with_path("/bb");
  auto bytes = concat({a, b});
  bytes.resize(bytes.size() - 3);
  auto reader = RecordReader::from_memory(bytes, "mem");
  RecordView v;
  ASSERT_EQ(reader->next(v), RecordReader::Next::Record);
  ASSERT_EQ(reader->next(v), RecordReader::Next::Damage);
  EXPECT_EQ(reader->error().code, Errc::Truncated);
  EXPECT_EQ(reader->error().offset, a.size());
  EXPECT_FALSE(reader->resync());
}

TEST(RecordReader, TinyRecordSizeIsBadRecordSize) {
  const uint8_t bytes[] = {0x14, 0, 0, 0, 3, 0, 0, 0};
  auto reader = RecordReader::from_memory(bytes, "mem");
  RecordView v;
  ASSERT_EQ(reader->next(v), RecordReader::Next::Damage);
  EXPECT_EQ(reader->error().code, Errc::BadRecordSize);
  EXPECT_EQ(reader->error().offset, 0u);
}

TEST(RecordReader, ResyncFindsTheNextWellFramedRecord) {
  const auto a = record_with_path("/a"), b = record_with_path("/bb");
  // Garbage that even contains a header id with a size that does not frame.
  const std::vector<uint8_t> junk = {0xff, 0x14, 0x00, 0x00, 0x00, 0x30, 0x13, 0x77};
  const auto bytes = concat({a, junk, b});
  auto reader = RecordReader::from_memory(bytes, "mem");
  RecordView v;
  ASSERT_EQ(reader->next(v), RecordReader::Next::Record);
  ASSERT_EQ(reader->next(v), RecordReader::Next::Damage);
  EXPECT_EQ(reader->error().offset, a.size());
  ASSERT_TRUE(reader->resync());
  ASSERT_EQ(reader->next(v), RecordReader::Next::Record);
  EXPECT_EQ(v.offset, a.size() + junk.size());
  EXPECT_EQ(reader->next(v), RecordReader::Next::End);
}

// A pipe delivers bytes in small pieces; records larger than one read (and
// than the 1 MiB chunk) must still come out whole, with exact offsets.
TEST(RecordReader, PipeWithRecordsLargerThanTheReadChunk) {
  const auto small = record_with_path("/s");
  const auto big = record_with_path(std::string(3 << 20, 'x'));
  const auto bytes = concat({small, big, small});
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::thread writer([&] {
    for (size_t off = 0; off < bytes.size();) {
      const size_t n = std::min<size_t>(4093, bytes.size() - off);
      const ssize_t w = write(fds[1], bytes.data() + off, n);
      if (w <= 0) break;
      off += static_cast<size_t>(w);
    }
    close(fds[1]);
  });
  RecordReader reader(input::descriptor_source(fds[0], false), "pipe");
  RecordView v;
  std::vector<std::pair<uint64_t, size_t>> got;
  while (reader.next(v) == RecordReader::Next::Record) got.emplace_back(v.offset, v.bytes.size());
  writer.join();
  close(fds[0]);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[1], std::make_pair(uint64_t{small.size()}, big.size()));
  EXPECT_EQ(got[2].first, small.size() + big.size());
}

TEST(Facts, GathersEveryWidthAlike) {
  RecordBuilder b;
  b.begin_header64(72, 0, uint64_t{1} << 33, 5);
  b.path("/etc/passwd");
  b.attr64(0100644, 1, 2, 3, 4, 5);
  Subject s;
  s.auid = 1000;
  s.euid = 0;
  s.pid = 4242;
  s.sid = 7;
  s.addr_type = 16;
  s.addr[15] = 1;
  b.subject32_ex(s);
  b.return64(13, ~uint64_t{0});
  const auto rec = b.finish();
  RecordFacts f;
  ASSERT_TRUE(extract_facts(rec, f).ok());
  EXPECT_EQ(f.event, 72);
  EXPECT_EQ(f.seconds, uint64_t{1} << 33);
  EXPECT_TRUE(f.has_subject);
  EXPECT_EQ(f.subject.auid, 1000u);
  EXPECT_EQ(f.subject.pid, 4242u);
  EXPECT_EQ(f.subject.addr_type, 16u);
  EXPECT_EQ(f.return_errno, 13);
  EXPECT_EQ(f.last_path, "/etc/passwd");
  EXPECT_TRUE(f.has_attr);
  EXPECT_EQ(f.attr_inode, 4u);
}

}  // namespace
}  // namespace bullion::bsm

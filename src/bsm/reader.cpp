// Record framing over mmap'ed files, file descriptors and memory.
#include "bullion/bsm/reader.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "bsm/byte_source.h"
#include "bsm/wire.h"

namespace bullion::bsm {
namespace {

constexpr uint8_t kFileId = 0x11;
constexpr uint8_t kTrailerId = 0x13;
constexpr uint16_t kTrailerMagic = 0xb105;
constexpr size_t kTrailerSize = 7;
constexpr size_t kFileTokenFixed = 11;  // id, sec, msec, name length
constexpr size_t kMinHeaderPrefix = 5;  // id + size

bool is_header_id(uint8_t id) { return id == 0x14 || id == 0x15 || id == 0x74 || id == 0x79; }

Error damage(Errc code, uint64_t offset, uint8_t id, std::string why) {
  return Error{code, offset, id, std::move(why)};
}

}  // namespace

Result<size_t> frame_record(std::span<const uint8_t> bytes, uint64_t offset) {
  if (bytes.empty()) return damage(Errc::Truncated, offset, 0, "end of input inside a record");
  const uint8_t id = bytes[0];
  if (is_header_id(id)) {
    if (bytes.size() < kMinHeaderPrefix)
      return damage(Errc::Truncated, offset, id, fmt::format("record header cut short ({} of 5 bytes)", bytes.size()));
    const uint32_t size = load_be32(bytes.data() + 1);
    if (size < kMinHeaderPrefix)
      return damage(Errc::BadRecordSize, offset, id, fmt::format("record size {} is smaller than a header", size));
    if (size > bytes.size())
      return damage(Errc::Truncated, offset, id,
                    fmt::format("record declares {} bytes but only {} remain", size, bytes.size()));
    return size_t{size};
  }
  if (id == kFileId) {
    if (bytes.size() < kFileTokenFixed) return damage(Errc::Truncated, offset, id, "file token cut short");
    const size_t size = kFileTokenFixed + load_be16(bytes.data() + 9);
    if (size > bytes.size())
      return damage(Errc::Truncated, offset, id,
                    fmt::format("file token declares {} bytes but only {} remain", size, bytes.size()));
    return size;
  }
  return damage(Errc::NotARecord, offset, id,
                fmt::format("byte 0x{:02x} does not start a record (expected a header or file token)", id));
}

bool looks_like_record_start(std::span<const uint8_t> bytes) {
  Result<size_t> framed = frame_record(bytes, 0);
  if (!framed) return false;
  const size_t size = *framed;
  if (bytes[0] == kFileId) return size > kFileTokenFixed && bytes[size - 1] == 0;
  if (size < kMinHeaderPrefix + kTrailerSize) return false;
  const uint8_t* t = bytes.data() + size - kTrailerSize;
  return t[0] == kTrailerId && load_be16(t + 1) == kTrailerMagic && load_be32(t + 3) == size;
}

namespace {

// One reader for every source: framing over a ByteSource window.
class FramingReader final : public RecordReader {
 public:
  FramingReader(std::unique_ptr<ByteSource> source, std::string name)
      : RecordReader(std::move(name)), src_(std::move(source)) {}

  Next next(RecordView& out) override {
    src_->consume(pending_consume_);
    pending_consume_ = 0;
    std::span<const uint8_t> window = src_->ensure(kFileTokenFixed);
    if (window.empty()) return src_->io_error() ? io_damage() : Next::End;
    Result<size_t> framed = frame_record(window, src_->offset());
    while (!framed && framed.error().code == Errc::Truncated && !src_->at_eof()) {
      const size_t want = wanted_size(window);
      if (want > kMaxRecord) return set_damage(too_big(want));
      window = src_->ensure(std::max(want, window.size() + 1));
      framed = frame_record(window, src_->offset());
    }
    if (!framed) return set_damage(framed.error());
    out.bytes = window.first(*framed);
    out.offset = src_->offset();
    out.is_file_token = window[0] == kFileId;
    out.source = name_;
    pending_consume_ = *framed;
    return Next::Record;
  }

  bool resync() override {
    src_->consume(pending_consume_ ? pending_consume_ : 1);
    pending_consume_ = 0;
    for (;;) {
      std::span<const uint8_t> window = src_->ensure(kFileTokenFixed);
      if (window.empty()) return false;
      if (candidate_at_start(window)) return true;
      src_->consume(1);
    }
  }

 private:
  static constexpr size_t kMaxRecord = size_t{128} << 20;  // bounds stream buffering

  // Whether a whole well-framed record starts here; reads more as needed.
  bool candidate_at_start(std::span<const uint8_t> window) {
    if (!is_header_id(window[0]) && window[0] != kFileId) return false;
    Result<size_t> framed = frame_record(window, 0);
    while (!framed && framed.error().code == Errc::Truncated && !src_->at_eof()) {
      const size_t want = wanted_size(window);
      if (want > kMaxRecord) return false;
      window = src_->ensure(std::max(want, window.size() + 1));
      framed = frame_record(window, 0);
    }
    return framed && looks_like_record_start(window);
  }

  static size_t wanted_size(std::span<const uint8_t> w) {
    if (w.size() >= kMinHeaderPrefix && is_header_id(w[0])) return load_be32(w.data() + 1);
    if (w.size() >= kFileTokenFixed && w[0] == kFileId) return kFileTokenFixed + load_be16(w.data() + 9);
    return kFileTokenFixed;
  }
  Error too_big(size_t want) const {
    return damage(Errc::BadRecordSize, src_->offset(), 0,
                  fmt::format("record size {} exceeds the {} MiB limit", want, kMaxRecord >> 20));
  }
  Next set_damage(Error e) {
    error_ = std::move(e);
    return Next::Damage;
  }
  Next io_damage() { return set_damage(damage(Errc::Io, src_->offset(), 0, src_->io_error_text())); }

  std::unique_ptr<ByteSource> src_;
  size_t pending_consume_ = 0;
};

}  // namespace

Result<std::unique_ptr<RecordReader>> RecordReader::open(const std::string& path) {
  if (path == "-") return from_fd(STDIN_FILENO, "stdin");
  Result<std::unique_ptr<ByteSource>> src = open_byte_source(path);
  if (!src) return src.error();
  return std::unique_ptr<RecordReader>(std::make_unique<FramingReader>(std::move(*src), path));
}

std::unique_ptr<RecordReader> RecordReader::from_fd(int fd, std::string name) {
  return std::make_unique<FramingReader>(fd_byte_source(fd), std::move(name));
}

std::unique_ptr<RecordReader> RecordReader::from_source(std::unique_ptr<ByteSource> source, std::string name) {
  return std::make_unique<FramingReader>(std::move(source), std::move(name));
}

std::unique_ptr<RecordReader> RecordReader::from_memory(std::span<const uint8_t> bytes, std::string name) {
  return std::make_unique<FramingReader>(memory_byte_source(bytes), std::move(name));
}

}  // namespace bullion::bsm

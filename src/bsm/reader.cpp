// Record framing over a byte source.
#include "bullion/bsm/reader.h"

#include <fmt/format.h>

#include <algorithm>

#include "bullion/bsm/big_endian.h"
#include "bullion/input/open.h"

namespace bullion::bsm {
namespace {

constexpr uint8_t kFileId = 0x11;
constexpr uint8_t kTrailerId = 0x13;
constexpr uint16_t kTrailerMagic = 0xb105;
constexpr size_t kTrailerSize = 7;
constexpr size_t kFileTokenFixed = 11;  // id, sec, msec, name length
constexpr size_t kMinHeaderPrefix = 5;  // id + size
// Past damage, a header claiming more than this is taken for garbage rather
// than read ahead (garbage is full of header ids with huge sizes).
constexpr size_t kMaxResyncCandidate = size_t{16} << 20;

bool is_header_id(uint8_t id) { return id == 0x14 || id == 0x15 || id == 0x74 || id == 0x79; }

Error framing_error(Errc code, uint64_t offset, uint8_t id, std::string why) {
  return Error{code, offset, id, std::move(why)};
}

// How many bytes the record or file token at w[0] says it has (or the
// fixed prefix, when that is not known yet).
size_t wanted_size(std::span<const uint8_t> w) {
  if (w.size() >= kMinHeaderPrefix && is_header_id(w[0])) return load_be32(w.data() + 1);
  if (w.size() >= kFileTokenFixed && w[0] == kFileId) return kFileTokenFixed + load_be16(w.data() + 9);
  return kFileTokenFixed;
}

}  // namespace

Result<size_t> frame_record(std::span<const uint8_t> bytes, uint64_t offset) {
  if (bytes.empty()) return framing_error(Errc::Truncated, offset, 0, "end of input inside a record");
  const uint8_t id = bytes[0];
  if (is_header_id(id)) {
    if (bytes.size() < kMinHeaderPrefix)
      return framing_error(Errc::Truncated, offset, id,
                           fmt::format("record header cut short ({} of 5 bytes)", bytes.size()));
    const uint32_t size = load_be32(bytes.data() + 1);
    if (size < kMinHeaderPrefix)
      return framing_error(Errc::BadRecordSize, offset, id,
                           fmt::format("record size {} is smaller than a header", size));
    if (size > bytes.size())
      return framing_error(Errc::Truncated, offset, id,
                           fmt::format("record declares {} bytes but only {} remain", size, bytes.size()));
    return size_t{size};
  }
  if (id == kFileId) {
    if (bytes.size() < kFileTokenFixed) return framing_error(Errc::Truncated, offset, id, "file token cut short");
    const size_t size = kFileTokenFixed + load_be16(bytes.data() + 9);
    if (size > bytes.size())
      return framing_error(Errc::Truncated, offset, id,
                           fmt::format("file token declares {} bytes but only {} remain", size, bytes.size()));
    return size;
  }
  return framing_error(Errc::NotARecord, offset, id,
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

RecordReader::RecordReader(input::ByteSource& source, std::string name) : source_(source), name_(std::move(name)) {}

RecordReader::RecordReader(std::unique_ptr<input::ByteSource> source, std::string name)
    : owned_(std::move(source)), source_(*owned_), name_(std::move(name)) {}

std::unique_ptr<RecordReader> RecordReader::from_memory(std::span<const uint8_t> bytes, std::string name) {
  return std::make_unique<RecordReader>(input::ByteSource::over_memory(bytes), std::move(name));
}

Result<std::unique_ptr<RecordReader>> RecordReader::open(const std::string& path) {
  Result<input::OpenedInput> opened = input::open_input(path);
  if (!opened) return opened.error();
  return std::make_unique<RecordReader>(std::move(opened->bytes), path == "-" ? "stdin" : path);
}

RecordReader::Next RecordReader::next(RecordView& out) {
  source_.consume(pending_consume_);
  pending_consume_ = 0;
  std::span<const uint8_t> window = source_.ensure(kFileTokenFixed);
  if (window.empty()) return Next::End;
  Result<size_t> framed = frame_record(window, source_.offset());
  while (!framed && framed.error().code == Errc::Truncated && !source_.at_end()) {
    const size_t want = wanted_size(window);
    if (want > kMaxRecord)
      return damage(framing_error(Errc::BadRecordSize, source_.offset(), window[0],
                                  fmt::format("record size {} exceeds the {} MiB limit", want, kMaxRecord >> 20)));
    window = source_.ensure(std::max(want, window.size() + 1));
    framed = frame_record(window, source_.offset());
  }
  if (!framed) return damage(framed.error());
  out.bytes = window.first(*framed);
  out.offset = source_.offset();
  out.is_file_token = window[0] == kFileId;
  out.source = name_;
  pending_consume_ = *framed;
  return Next::Record;
}

bool RecordReader::resync() {
  source_.consume(pending_consume_ ? pending_consume_ : 1);
  pending_consume_ = 0;
  const uint64_t start = source_.offset();
  for (;;) {
    std::span<const uint8_t> window = source_.ensure(kFileTokenFixed);
    if (window.empty()) return false;
    // Only a header or file token id can start a record: skip the rest in one step.
    const auto* hit = std::find_if(window.data(), window.data() + window.size(),
                                   [](uint8_t b) { return is_header_id(b) || b == kFileId; });
    const size_t skip = static_cast<size_t>(hit - window.data());
    if (skip == 0 && candidate_at_start(window)) return true;
    source_.consume(std::max<size_t>(skip, 1));
    if (source_.offset() - start > resync_limit_) {
      error_ = framing_error(
          Errc::NotARecord, start, 0,
          fmt::format("no record starts in the {} MiB after the damage: giving up on this input", resync_limit_ >> 20));
      error_.source = name_;
      gave_up_ = true;
      return false;
    }
  }
}

// Whether a whole well-framed record starts here; reads more as needed.
bool RecordReader::candidate_at_start(std::span<const uint8_t> window) {
  Result<size_t> framed = frame_record(window, 0);
  while (!framed && framed.error().code == Errc::Truncated && !source_.at_end()) {
    const size_t want = wanted_size(window);
    if (want > kMaxResyncCandidate) return false;
    window = source_.ensure(std::max(want, window.size() + 1));
    framed = frame_record(window, 0);
  }
  return framed && looks_like_record_start(window);
}

RecordReader::Next RecordReader::damage(Error e) {
  e.source = name_;
  error_ = std::move(e);
  return Next::Damage;
}

}  // namespace bullion::bsm

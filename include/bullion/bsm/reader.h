// The record framer: splits a byte stream (input/byte_source.h) into whole
// BSM records (header .. trailer) and stand-alone file tokens, with exact
// byte offsets. Records are views into the source's bounded buffer.
//
// Damage is a value: next() returns Next::Damage and error() names the
// offset and reason. resync() then skips to the next offset where a whole,
// well-framed record starts (header whose trailer agrees on the size), so a
// caller can go on past the damage; it gives up after a bounded scan, so
// endless garbage (/dev/zero) ends with an error instead of running forever.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "bullion/error.h"
#include "bullion/input/byte_source.h"

namespace bullion::bsm {

struct RecordView {
  std::span<const uint8_t> bytes;  // valid until the next call to next()/resync()
  uint64_t offset = 0;             // of the first byte, in the input
  bool is_file_token = false;      // a stand-alone file token (0x11), not a record
  std::string_view source;         // the input's name, for messages
};

class RecordReader {
 public:
  enum class Next { Record, End, Damage };

  // Records larger than this are damage (it bounds the buffer).
  static constexpr size_t kMaxRecord = size_t{128} << 20;
  // resync() gives up when no record starts within this many bytes.
  static constexpr uint64_t kDefaultResyncLimit = uint64_t{64} << 20;

  RecordReader(input::ByteSource& source, std::string name);
  // Owns its source.
  RecordReader(std::unique_ptr<input::ByteSource> source, std::string name);
  // The memory must outlive the reader.
  static std::unique_ptr<RecordReader> from_memory(std::span<const uint8_t> bytes, std::string name);
  // A BSM trail file ("-": stdin), opened once through the input layer (a
  // gzip copy is inflated). For a path that may also be a directory or a
  // Linux audit.log, read it with pipeline::read_inputs instead.
  static Result<std::unique_ptr<RecordReader>> open(const std::string& path);

  Next next(RecordView& out);
  // After Damage: skips to the next well-framed record. False at the end of
  // the input, or when the scan limit is reached (error() then says so:
  // report it as damage).
  bool resync();
  const Error& error() const { return error_; }
  bool gave_up() const { return gave_up_; }  // resync() reached its scan limit
  const std::string& name() const { return name_; }
  input::ByteSource& source() { return source_; }
  void set_resync_limit(uint64_t bytes) { resync_limit_ = bytes; }

 private:
  bool candidate_at_start(std::span<const uint8_t> window);
  Next damage(Error e);

  std::unique_ptr<input::ByteSource> owned_;
  input::ByteSource& source_;
  std::string name_;
  Error error_;
  size_t pending_consume_ = 0;
  uint64_t resync_limit_ = kDefaultResyncLimit;
  bool gave_up_ = false;
};

// Framing of one record at the start of `bytes` (which starts at stream
// offset `offset`). Returns the record length, or an error; Truncated means
// "need more bytes" for a streaming caller.
Result<size_t> frame_record(std::span<const uint8_t> bytes, uint64_t offset);

// True when a complete, self-consistent record (header size == trailer
// count, trailer magic right) or a plausible file token starts at bytes[0].
bool looks_like_record_start(std::span<const uint8_t> bytes);

}  // namespace bullion::bsm

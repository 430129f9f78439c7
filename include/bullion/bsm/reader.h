// The record framer: splits a byte stream into whole BSM records (header ..
// trailer) and stand-alone file tokens, with exact byte offsets. Files are
// mmap'ed; stdin and pipes are read through a buffer that holds at most the
// record being returned plus one read chunk, so memory stays bounded.
//
// Damage is a value: next() returns Next::Damage and error() names the
// offset and reason. resync() then skips to the next offset where a whole,
// well-framed record starts (header whose trailer agrees on the size), so a
// caller can go on past the damage.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "bullion/error.h"

namespace bullion::bsm {

class ByteSource;  // src/bsm/byte_source.h

struct RecordView {
  std::span<const uint8_t> bytes;  // valid until the next call to next()/resync()
  uint64_t offset = 0;             // of the first byte, in the input
  bool is_file_token = false;      // a stand-alone file token (0x11), not a record
  std::string_view source;         // the input's name, for messages
};

class RecordReader {
 public:
  enum class Next { Record, End, Damage };

  virtual ~RecordReader() = default;

  // "-" opens standard input.
  static Result<std::unique_ptr<RecordReader>> open(const std::string& path);
  static std::unique_ptr<RecordReader> from_fd(int fd, std::string name);
  // Over any byte source (src/bsm/byte_source.h).
  static std::unique_ptr<RecordReader> from_source(std::unique_ptr<ByteSource> source, std::string name);
  // The memory must outlive the reader.
  static std::unique_ptr<RecordReader> from_memory(std::span<const uint8_t> bytes, std::string name);

  virtual Next next(RecordView& out) = 0;
  // What the input was, when that is worth telling at the end (a Linux
  // audit.log: events translated and skipped, with reasons). Empty for BSM.
  virtual std::string summary() const { return {}; }
  // True when part of the input did not become records (a Linux audit.log
  // line rejected or an event skipped): the tool's exit status must say so.
  virtual bool lost_anything() const { return false; }
  // After Damage: skips to the next well-framed record. Returns false at end
  // of input (nothing more to read).
  virtual bool resync() = 0;
  const Error& error() const { return error_; }
  const std::string& name() const { return name_; }

 protected:
  explicit RecordReader(std::string name) : name_(std::move(name)) {}
  Error error_;
  std::string name_;
};

// Framing of one record at the start of `bytes` (which starts at stream
// offset `offset`). Returns the record length, or an error; Truncated means
// "need more bytes" for a streaming caller.
Result<size_t> frame_record(std::span<const uint8_t> bytes, uint64_t offset);

// True when a complete, self-consistent record (header size == trailer
// count, trailer magic right) or a plausible file token starts at bytes[0].
bool looks_like_record_start(std::span<const uint8_t> bytes);

}  // namespace bullion::bsm

// Lines of a text input (Linux audit.log), read through the source's
// bounded buffer. A line longer than the limit is not held in memory: it is
// skipped to its end and returned as too_long with its offset and length,
// so the caller can report it as damage and go on with the next line.
#pragma once

#include <cstdint>
#include <string_view>

#include "bullion/input/byte_source.h"

namespace bullion::input {

struct Line {
  std::string_view text;  // without the newline; empty when too_long
  uint64_t offset = 0;    // of the line's first byte in the input
  uint64_t length = 0;    // bytes, newline excluded
  bool too_long = false;
};

class LineReader {
 public:
  // auditd writes records of at most 8 KiB (plus ENRICHED names); the
  // default leaves a wide margin.
  static constexpr size_t kDefaultMaxLength = size_t{1} << 20;

  explicit LineReader(ByteSource& source, size_t max_length = kDefaultMaxLength)
      : source_(source), max_length_(max_length) {}

  // The next line (valid until the next call); false at the end of input.
  // A last line without a newline is still a line.
  bool next(Line& line);

 private:
  void skip_rest(Line& line);

  ByteSource& source_;
  size_t max_length_;
  size_t pending_ = 0;  // bytes of the line returned last, newline included
};

}  // namespace bullion::input

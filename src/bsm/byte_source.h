// Where record bytes come from: an mmap'ed file, memory, or a file
// descriptor read through a bounded buffer. The framer asks for a window of
// at least n bytes at the current position and consumes what it used.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "bullion/error.h"

namespace bullion::bsm {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Bytes from the current position: at least n unless the input ends first
  // (an empty span means end of input). Valid until the next call.
  virtual std::span<const uint8_t> ensure(size_t n) = 0;
  virtual void consume(size_t n) = 0;
  virtual uint64_t offset() const = 0;  // stream offset of the current position
  virtual bool at_eof() const = 0;      // nothing more will ever arrive
  virtual bool io_error() const { return false; }
  virtual std::string io_error_text() const { return {}; }
};

// Regular files are mmap'ed; anything else (pipes, ttys, devices) is read.
Result<std::unique_ptr<ByteSource>> open_byte_source(const std::string& path);
std::unique_ptr<ByteSource> fd_byte_source(int fd, bool owns_fd = false);
std::unique_ptr<ByteSource> memory_byte_source(std::span<const uint8_t> bytes);
// Owns its bytes (e.g. a Linux audit.log translated to BSM in memory).
std::unique_ptr<ByteSource> owned_byte_source(std::vector<uint8_t> bytes);

}  // namespace bullion::bsm

// Opening what users name as an input: a path (file, FIFO, /dev/stdin,
// /dev/fd/N, a device), or "-" for standard input. Each is opened once; the
// format is told from the first bytes read (sniff.h) and gzip is inflated
// on the fly, so `cat trail.gz | praudit` and `praudit <(cat audit.log)`
// work as well as plain files.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "bullion/error.h"
#include "bullion/input/byte_source.h"
#include "bullion/input/sniff.h"

namespace bullion::input {

struct OpenOptions {
  // Like tail -F: at the end of a regular file, wait for it to grow; when
  // the path comes to name another file (rotation, auditd's `current` link
  // moved) or the file is truncated, the input ends with rotated() set so
  // the caller can open the path again.
  bool follow = false;
  std::chrono::milliseconds follow_interval{100};
  size_t chunk = ByteSource::kDefaultChunk;
};

struct OpenedInput {
  std::unique_ptr<ByteSource> bytes;  // inflated when the input was gzip
  Format format = Format::Bsm;        // Bsm or LinuxAuditLog
  bool compressed = false;
};

// Errc::CannotOpen with the system's reason when the path cannot be opened.
Result<OpenedInput> open_input(const std::string& path, const OpenOptions& options = {});

// Sniffs a stream that is already open (memory, a descriptor), unwrapping gzip.
OpenedInput sniff_input(std::unique_ptr<ByteSource> bytes);

// A source over a descriptor (owned: closed with the source).
std::unique_ptr<ByteSource> descriptor_source(int fd, bool owned, const OpenOptions& options = {});

}  // namespace bullion::input

// Bytes in: the bottom of the pipeline (source -> framer -> decoder -> sink).
//
// A ByteSource hands out a window of the input at the current position and
// keeps it in one bounded buffer: the buffer holds what the reader above
// asked for (one record, one line) plus one read chunk, so memory does not
// follow the size of the input. Where the bytes come from is a Backend: a
// file descriptor (files, pipes, FIFOs, terminals, /dev/fd/N), a gzip
// stream, or memory.
//
// The input is opened once and read once. Nothing here knows BSM or
// audit.log: format detection (sniff.h) looks at the window, and the
// readers above (the BSM framer, the audit.log line reader) consume it.
//
// Errors are values: when the input ends early (a read error, a file that
// shrank while it was read, corrupt gzip data) failure() says why and where.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bullion/error.h"

namespace bullion::input {

// Called when reading is about to wait for more input (a quiet pipe, a
// terminal, a followed file at its end): the place to flush buffered output.
using IdleHook = std::function<void()>;

class Backend {
 public:
  virtual ~Backend() = default;
  // Reads up to into.size() bytes; 0 means the input has ended. May block
  // (calling the idle hook first when it knows it will wait).
  virtual size_t read(std::span<uint8_t> into) = 0;
  // Why the input ended early, if it did (offset left 0: the source fills
  // in where its bytes ended).
  virtual std::optional<Error> failure() const { return std::nullopt; }
  // Following a path (tail -F): the input ended because the path now names
  // another file, or the file was truncated; the caller reopens the path.
  virtual bool rotated() const { return false; }
  virtual void set_idle_hook(IdleHook hook) { idle_ = std::move(hook); }

 protected:
  void idle() const {
    if (idle_) idle_();
  }

 private:
  IdleHook idle_;
};

class ByteSource {
 public:
  static constexpr size_t kDefaultChunk = size_t{1} << 20;

  explicit ByteSource(std::unique_ptr<Backend> backend, size_t chunk = kDefaultChunk);
  // Bytes that stay alive elsewhere, read in place (no copy).
  static std::unique_ptr<ByteSource> over_memory(std::span<const uint8_t> bytes);
  ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // The bytes from the current position: at least n of them unless the
  // input ends first (an empty window means the end). Valid until the next
  // call to ensure() or consume().
  std::span<const uint8_t> ensure(size_t n) {
    if (end_ - begin_ >= n || at_end_) return window();
    return fill(n);
  }
  std::span<const uint8_t> window() const { return {data_ + begin_, end_ - begin_}; }
  void consume(size_t n);
  // Stream offset of the current position (bytes consumed so far).
  uint64_t offset() const { return consumed_; }
  // Nothing more will arrive beyond the current window.
  bool at_end() const { return at_end_; }
  // Why the input ended early, with the offset where its bytes ended.
  std::optional<Error> failure() const;
  bool rotated() const { return backend_ && backend_->rotated(); }
  void set_idle_hook(IdleHook hook);
  // The buffer's size (tests check that it stays bounded).
  size_t capacity() const { return storage_.size(); }

 private:
  ByteSource() = default;
  std::span<const uint8_t> fill(size_t n);

  std::unique_ptr<Backend> backend_;
  std::vector<uint8_t> storage_;
  const uint8_t* data_ = nullptr;
  size_t begin_ = 0, end_ = 0;
  size_t chunk_ = kDefaultChunk;
  uint64_t consumed_ = 0;
  bool at_end_ = false;
};

}  // namespace bullion::input

#include "bullion/input/byte_source.h"

#include <algorithm>
#include <cstring>

namespace bullion::input {

ByteSource::ByteSource(std::unique_ptr<Backend> backend, size_t chunk)
    : backend_(std::move(backend)), chunk_(std::max<size_t>(chunk, 64)) {}

ByteSource::~ByteSource() = default;

std::unique_ptr<ByteSource> ByteSource::over_memory(std::span<const uint8_t> bytes) {
  std::unique_ptr<ByteSource> source(new ByteSource());
  source->data_ = bytes.data();
  source->end_ = bytes.size();
  source->at_end_ = true;
  return source;
}

void ByteSource::consume(size_t n) {
  n = std::min(n, end_ - begin_);
  begin_ += n;
  consumed_ += n;
  if (begin_ == end_ && backend_) begin_ = end_ = 0;  // an empty buffer starts over: no move later
}

// Moves the unread bytes to the front, grows the buffer only as far as one
// request needs, and reads until it holds n bytes or the input ends.
std::span<const uint8_t> ByteSource::fill(size_t n) {
  if (begin_ > 0) {
    std::memmove(storage_.data(), storage_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  const size_t want = std::max(n, chunk_);
  if (storage_.size() < want) storage_.resize(std::max(want, storage_.size() * 2));
  data_ = storage_.data();
  while (end_ < n && !at_end_) {
    const size_t got = backend_->read(std::span<uint8_t>(storage_.data() + end_, storage_.size() - end_));
    if (got == 0)
      at_end_ = true;
    else
      end_ += got;
  }
  return window();
}

std::optional<Error> ByteSource::failure() const {
  if (!backend_) return std::nullopt;
  std::optional<Error> failed = backend_->failure();
  if (failed) failed->offset = consumed_ + (end_ - begin_);
  return failed;
}

void ByteSource::set_idle_hook(IdleHook hook) {
  if (backend_) backend_->set_idle_hook(std::move(hook));
}

}  // namespace bullion::input

// See record_queue.h.
#include "live/record_queue.h"

#include <cstring>

namespace bullion::live {

bool RecordQueue::push(uint32_t type, std::span<const uint8_t> bytes) {
  std::unique_lock lock(mutex_);
  return push_locked(type, bytes, lock);
}

bool RecordQueue::push_waiting(uint32_t type, std::span<const uint8_t> bytes, const std::atomic<bool>& give_up) {
  const size_t needed = kHeader + ((bytes.size() + 3u) & ~size_t{3});
  std::unique_lock lock(mutex_);
  // A record larger than the whole queue can never fit: push() counts it.
  while (needed <= capacity_ && pending_.size() + needed > capacity_ && !give_up && !closed_) {
    room_.wait_for(lock, std::chrono::milliseconds(100));
  }
  return push_locked(type, bytes, lock);
}

bool RecordQueue::push_locked(uint32_t type, std::span<const uint8_t> bytes, std::unique_lock<std::mutex>&) {
  const size_t padded = (bytes.size() + 3u) & ~size_t{3};
  const uint32_t size = static_cast<uint32_t>(bytes.size());
  if (pending_.size() + kHeader + padded > capacity_) {
    ++dropped_;
    ++unreported_;
    return false;
  }
  const size_t at = pending_.size();
  const bool was_empty = at == 0;
  pending_.resize(at + kHeader + padded);
  std::memcpy(pending_.data() + at, &type, 4);
  std::memcpy(pending_.data() + at + 4, &size, 4);
  if (!bytes.empty()) std::memcpy(pending_.data() + at + kHeader, bytes.data(), bytes.size());
  // The consumer only sleeps on an empty queue: one wake-up per batch.
  if (was_empty) ready_.notify_one();
  return true;
}

void RecordQueue::signal_stop() {
  std::lock_guard lock(mutex_);
  stop_ = true;
  ready_.notify_one();
}

void RecordQueue::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  ready_.notify_one();
}

RecordQueue::Batch RecordQueue::pop_all(std::vector<uint8_t>& out, std::chrono::milliseconds wait) {
  out.clear();
  std::unique_lock lock(mutex_);
  ready_.wait_for(lock, wait, [&] { return !pending_.empty() || stop_ || closed_; });
  // Swapping keeps both buffers' capacity: no allocation in steady state.
  out.swap(pending_);
  Batch batch{stop_, closed_ && out.empty()};
  stop_ = false;
  if (!out.empty()) room_.notify_one();
  return batch;
}

uint64_t RecordQueue::take_unreported_drops() {
  std::lock_guard lock(mutex_);
  const uint64_t n = unreported_;
  unreported_ = 0;
  return n;
}

uint64_t RecordQueue::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

}  // namespace bullion::live

// The hand-off between a live source's reader thread and its consumer.
//
// The reader must never wait for the consumer: while it waits, the kernel's
// queue fills and audited programs stall (Linux) or records are dropped
// uncounted. So the queue is bounded in bytes and push() fails fast when it
// is full; the failure is counted and reported as LiveStats::dropped.
//
// Records are stored back to back in one byte buffer ([type u32][size u32]
// [bytes], 4-aligned); the consumer swaps the whole buffer out under the
// lock, so each side takes the lock once per batch, not once per byte copied.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

namespace bullion::live {

class RecordQueue {
 public:
  explicit RecordQueue(size_t capacity_bytes) : capacity_(capacity_bytes) {}

  // Reader side. False (and counted) when the queue has no room.
  bool push(uint32_t type, std::span<const uint8_t> bytes);
  // Reader side, for a consumer that must not lose records (policy without
  // cnt): waits for room instead, while `give_up` stays false; then drops
  // and counts as push() does.
  bool push_waiting(uint32_t type, std::span<const uint8_t> bytes, const std::atomic<bool>& give_up);
  // Reader side: a stop was requested; wakes the consumer once.
  void signal_stop();
  // Reader side: no more records will come.
  void close();

  struct Batch {
    bool stop_requested = false;  // signal_stop() happened since last pop
    bool closed = false;          // close() happened and nothing is left
  };
  // Consumer side: waits up to `wait` for records, a stop or close; moves all
  // pending records into `out` (which is cleared first).
  Batch pop_all(std::vector<uint8_t>& out, std::chrono::milliseconds wait);

  uint64_t dropped() const;
  // Consumer side: records dropped since the last call (each drop is
  // reported in the stream once, right after the records queued before it).
  uint64_t take_unreported_drops();

  // Walks a buffer filled by pop_all.
  template <class Fn>
  static void for_each(std::span<const uint8_t> buffer, Fn&& fn);

 private:
  static constexpr size_t kHeader = 8;
  bool push_locked(uint32_t type, std::span<const uint8_t> bytes, std::unique_lock<std::mutex>& held);
  size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable room_;  // pop_all emptied the queue
  std::vector<uint8_t> pending_;
  uint64_t dropped_ = 0;
  uint64_t unreported_ = 0;
  bool stop_ = false;
  bool closed_ = false;
};

template <class Fn>
void RecordQueue::for_each(std::span<const uint8_t> buffer, Fn&& fn) {
  size_t pos = 0;
  while (pos + kHeader <= buffer.size()) {
    uint32_t type = 0, size = 0;
    __builtin_memcpy(&type, buffer.data() + pos, 4);
    __builtin_memcpy(&size, buffer.data() + pos + 4, 4);
    fn(type, buffer.subspan(pos + kHeader, size));
    pos += kHeader + ((size + 3u) & ~size_t{3});
  }
}

}  // namespace bullion::live

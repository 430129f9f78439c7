// A deadline that fires whatever the tool is doing: blocked in read() on an
// idle pipe, in open() on a FIFO nobody writes, or waiting on the live
// stream. A thread waits for it, so it needs no signal (an inherited signal
// mask that blocks SIGALRM cannot defer it), and it is called off when the
// Deadline goes out of scope first.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace bullion::tools {

class Deadline {
 public:
  // Runs `at_deadline` on the deadline's own thread after `seconds` (0: never).
  Deadline(unsigned seconds, std::function<void()> at_deadline);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;
  bool fired() const;

 private:
  std::function<void()> at_deadline_;
  mutable std::mutex mutex_;
  std::condition_variable cancelled_;
  bool cancel_ = false, fired_ = false;
  std::thread thread_;
};

}  // namespace bullion::tools

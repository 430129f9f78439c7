#include "bullion/tools/deadline.h"

namespace bullion::tools {

Deadline::Deadline(unsigned seconds, std::function<void()> at_deadline) : at_deadline_(std::move(at_deadline)) {
  if (seconds == 0) return;
  const auto when = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  thread_ = std::thread([this, when] {
    std::unique_lock lock(mutex_);
    if (cancelled_.wait_until(lock, when, [this] { return cancel_; })) return;
    fired_ = true;
    lock.unlock();
    at_deadline_();
  });
}

Deadline::~Deadline() {
  {
    std::lock_guard lock(mutex_);
    cancel_ = true;
  }
  cancelled_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Deadline::fired() const {
  std::lock_guard lock(mutex_);
  return fired_;
}

}  // namespace bullion::tools

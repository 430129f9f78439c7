#include <unistd.h>

#include <cerrno>

#include "bullion/text/printer.h"

namespace bullion::text {

bool Output::flush() {
  const char* p = buf_.data();
  size_t left = buf_.size();
  while (left > 0 && !failed_) {
    const ssize_t n = write(fd_, p, left);
    if (n > 0) {
      p += n;
      left -= static_cast<size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      failed_ = true;  // EPIPE or a full disk: stop writing, report once
    }
  }
  buf_.clear();
  return !failed_;
}

}  // namespace bullion::text

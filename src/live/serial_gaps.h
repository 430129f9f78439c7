// Serials the kernel handed out but we never received. Linux numbers every
// audit event; the daemon and the multicast readers get every event, so a
// hole in the sequence is an event lost on the way (socket overrun, kernel
// hold-queue overflow, a daemon registration the kernel dropped). Records
// reach us a little out of order (several CPUs queue them), so a missing
// serial is declared lost only once the stream is `horizon` serials past it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace bullion::live {

struct SerialRange {
  uint64_t first = 0, last = 0;  // inclusive
  uint64_t count() const { return last - first + 1; }
};

class SerialGaps {
 public:
  explicit SerialGaps(uint64_t horizon = 8192) : horizon_(horizon) {}

  // One record's serial; appends the ranges now known to be lost.
  void saw(uint64_t serial, std::vector<SerialRange>& lost);
  // End of the stream: every hole still open is lost.
  void finish(std::vector<SerialRange>& lost);

 private:
  void fill(uint64_t serial);
  uint64_t horizon_;
  std::optional<uint64_t> newest_;
  std::map<uint64_t, uint64_t> missing_;  // first -> last, disjoint
};

}  // namespace bullion::live

// See serial_gaps.h.
#include "live/serial_gaps.h"

namespace bullion::live {

// A late serial fills its hole: the range around it splits in two.
void SerialGaps::fill(uint64_t serial) {
  auto it = missing_.upper_bound(serial);
  if (it == missing_.begin()) return;
  --it;
  const uint64_t first = it->first, last = it->second;
  if (serial > last) return;
  missing_.erase(it);
  if (first < serial) missing_.emplace(first, serial - 1);
  if (serial < last) missing_.emplace(serial + 1, last);
}

void SerialGaps::saw(uint64_t serial, std::vector<SerialRange>& lost) {
  if (!newest_) {
    newest_ = serial;  // the stream starts here; what came before is not ours
    return;
  }
  if (serial > *newest_) {
    if (serial > *newest_ + 1) missing_.emplace(*newest_ + 1, serial - 1);
    newest_ = serial;
  } else if (serial < *newest_) {
    fill(serial);
  }
  // Holes far enough behind are settled: no record that late will come.
  while (!missing_.empty() && missing_.begin()->second + horizon_ < *newest_) {
    lost.push_back({missing_.begin()->first, missing_.begin()->second});
    missing_.erase(missing_.begin());
  }
}

void SerialGaps::finish(std::vector<SerialRange>& lost) {
  for (const auto& [first, last] : missing_) lost.push_back({first, last});
  missing_.clear();
}

}  // namespace bullion::live

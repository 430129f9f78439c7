#include "bullion/view/histogram.h"

#include <algorithm>

namespace bullion::view {

void Histogram::add(uint64_t ms) {
  if (total_ == 0) {
    low_ = high_ = ms;
    origin_ = ms;  // width 1: any time is a multiple
  } else if (ms < origin_ || ms >= origin_ + width_ * kBuckets) {
    widen_to(std::min(low_, ms), std::max(high_, ms));
  }
  low_ = std::min(low_, ms);
  high_ = std::max(high_, ms);
  ++counts_[(ms - origin_) / width_];
  ++total_;
}

// Doubles the width until [low, high] fits in buckets aligned to it. Each
// old bucket lies inside one new bucket, since both widths are powers of
// two times the first and origins are multiples of their width.
void Histogram::widen_to(uint64_t low, uint64_t high) {
  uint64_t width = width_;
  uint64_t origin = low / width * width;
  while (high >= origin + width * kBuckets) {
    width *= 2;
    origin = low / width * width;
  }
  std::array<uint64_t, kBuckets> merged{};
  for (size_t i = 0; i < kBuckets; ++i) {
    if (counts_[i] == 0) continue;
    const uint64_t start = origin_ + i * width_;
    merged[(start - origin) / width] += counts_[i];
  }
  counts_ = merged;
  origin_ = origin;
  width_ = width;
}

size_t Histogram::used() const {
  if (total_ == 0) return 0;
  return static_cast<size_t>((high_ - origin_) / width_) + 1;
}

}  // namespace bullion::view

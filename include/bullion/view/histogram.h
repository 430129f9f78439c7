// Records over time in a fixed number of buckets: when a time falls outside
// the range, buckets widen (doubling, adjacent ones merged) until it fits.
// Memory stays the same however long the trail spans.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace bullion::view {

class Histogram {
 public:
  static constexpr size_t kBuckets = 512;

  void add(uint64_t ms);
  bool empty() const { return total_ == 0; }
  uint64_t origin_ms() const { return origin_; }
  uint64_t width_ms() const { return width_; }
  // Buckets in use: from the origin to the last non-empty one.
  size_t used() const;
  uint64_t count(size_t i) const { return counts_[i]; }
  uint64_t total() const { return total_; }

 private:
  void widen_to(uint64_t low, uint64_t high);
  std::array<uint64_t, kBuckets> counts_{};
  uint64_t origin_ = 0;  // a multiple of width_
  uint64_t width_ = 1;   // ms per bucket
  uint64_t total_ = 0;
  uint64_t low_ = 0, high_ = 0;  // earliest and latest time added
};

}  // namespace bullion::view

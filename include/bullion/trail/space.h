// Free space in a trail directory, judged as OpenBSM's auditd judges it:
// below `minfree` percent of the file system free is the soft limit (warn,
// move to another directory); fewer than four free blocks is the hard limit
// (the directory is full).
#pragma once

#include <cstdint>
#include <string>

#include "bullion/error.h"

namespace bullion::trail {

struct SpaceInfo {
  uint64_t block_size = 0;
  uint64_t total_blocks = 0;
  uint64_t free_blocks = 0;  // free to root (statvfs f_bfree): the daemon runs as root
  uint64_t free_bytes() const { return free_blocks * block_size; }
  uint64_t total_bytes() const { return total_blocks * block_size; }
};

enum class SpaceState : uint8_t { Ok, Soft, Hard };

inline constexpr uint64_t kHardLimitFreeBlocks = 4;  // OpenBSM's AUDIT_HARD_LIMIT_FREE_BLOCKS

SpaceState classify_space(const SpaceInfo& space, int minfree_percent);

// Where free space comes from: statvfs for the daemon, a fake in tests.
class SpaceProbe {
 public:
  virtual ~SpaceProbe() = default;
  virtual Result<SpaceInfo> probe(const std::string& dir) = 0;
  static SpaceProbe& system();
};

}  // namespace bullion::trail

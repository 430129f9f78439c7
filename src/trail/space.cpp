#include "bullion/trail/space.h"

#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>

namespace bullion::trail {

SpaceState classify_space(const SpaceInfo& space, int minfree_percent) {
  if (space.free_blocks < kHardLimitFreeBlocks) return SpaceState::Hard;
  // free < total * minfree / 100, without overflow for huge file systems.
  const unsigned __int128 free_scaled = static_cast<unsigned __int128>(space.free_blocks) * 100;
  const unsigned __int128 floor_scaled = static_cast<unsigned __int128>(space.total_blocks) * minfree_percent;
  return free_scaled < floor_scaled ? SpaceState::Soft : SpaceState::Ok;
}

namespace {

class StatvfsProbe final : public SpaceProbe {
 public:
  Result<SpaceInfo> probe(const std::string& dir) override {
    struct statvfs fs {};
    if (::statvfs(dir.c_str(), &fs) != 0) {
      return Error{Errc::Io, 0, 0, dir + ": " + std::strerror(errno)};
    }
    return SpaceInfo{fs.f_frsize, fs.f_blocks, fs.f_bfree};
  }
};

}  // namespace

SpaceProbe& SpaceProbe::system() {
  static StatvfsProbe probe;
  return probe;
}

}  // namespace bullion::trail

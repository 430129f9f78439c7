// Platform-neutral parts of the live source interface.
#include "bullion/live/source.h"

namespace bullion::live {

LiveSource::~LiveSource() = default;

#if !defined(__linux__) && !defined(__FreeBSD__) && !defined(__APPLE__)
Result<std::unique_ptr<LiveSource>> open_live_source() {
  return Error{Errc::Unsupported, 0, 0, "no live audit source on this system"};
}
#endif

}  // namespace bullion::live

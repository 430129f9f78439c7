// Platform-neutral parts of the live source interface.
#include "bullion/live/source.h"

namespace bullion::live {

LiveSource::~LiveSource() = default;

Status LiveSource::reconfigure(const LiveOptions&) {
  return Error{Errc::Unsupported, 0, 0, "this live source cannot change its selection while running"};
}

#if !defined(__linux__) && !defined(__FreeBSD__) && !defined(__APPLE__)
Result<std::unique_ptr<LiveSource>> open_live_source() {
  return Error{Errc::Unsupported, 0, 0, "no live audit source on this system"};
}
#endif

#if !defined(__linux__)
Result<KernelStatus> kernel_status() {
  return Error{Errc::Unsupported, 0, 0, "kernel audit status is read with auditon(2) on this system"};
}

// /dev/auditpipe changes nothing in the kernel beyond the pipe itself.
Result<std::vector<std::string>> describe_kernel_plan(const LiveOptions&) {
  return Error{Errc::Unsupported, 0, 0, "no kernel plan to describe on this system"};
}
#endif

}  // namespace bullion::live

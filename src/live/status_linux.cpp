// kernel_status(): the settings auditon status shows, read over the same
// control channel the live source uses.
#include "bullion/live/source.h"
#include "live/netlink_linux.h"

namespace bullion::live {

Result<KernelStatus> kernel_status() {
  auto control = linux_audit::ControlChannel::open();
  if (!control) return control.error();
  auto state = control->state();
  if (!state) return state.error();
  auto rules = control->list_rules();
  if (!rules) return rules.error();
  return KernelStatus{state->enabled, state->failure,           state->pid,  state->rate_limit, state->backlog_limit,
                      state->backlog, state->backlog_wait_time, state->lost, rules->size()};
}

}  // namespace bullion::live

// See privileges.h. Linux uses libcap-ng; on the BSDs and macOS the device
// permissions decide and there is nothing to narrow here.
#include "privileges.h"

#if defined(__linux__)
#include <cap-ng.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#endif

namespace auditpipe {

#if defined(__linux__)
namespace {

// The bounding set is narrowed once, at setup, while CAP_SETPCAP is still
// held; later narrowing only touches the thread's own sets.
std::string keep_only(std::initializer_list<int> capabilities, capng_select_t sets) {
  // No exec of ours may regain what we drop.
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  capng_clear(sets);
  for (int capability : capabilities) {
    capng_update(CAPNG_ADD, static_cast<capng_type_t>(CAPNG_EFFECTIVE | CAPNG_PERMITTED), capability);
  }
  if (sets == CAPNG_SELECT_BOTH) {
    for (int capability : capabilities) capng_update(CAPNG_ADD, CAPNG_BOUNDING_SET, capability);
  }
  if (capng_apply(sets) != 0) return "cannot drop capabilities";
  return {};
}

}  // namespace

std::string narrow_to_setup() {
  return keep_only({CAP_AUDIT_CONTROL, CAP_AUDIT_READ, CAP_NET_ADMIN}, CAPNG_SELECT_BOTH);
}
std::string narrow_to_capture() { return keep_only({CAP_AUDIT_CONTROL}, CAPNG_SELECT_CAPS); }
#else
std::string narrow_to_setup() { return {}; }
std::string narrow_to_capture() { return {}; }
#endif

}  // namespace auditpipe

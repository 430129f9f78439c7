// Least privilege for auditpipe: what the kernel checks at each stage.
#pragma once

#include <string>

namespace auditpipe {

// Before setup: keep only what configuring live capture needs (Linux:
// CAP_AUDIT_CONTROL for rules and settings, CAP_AUDIT_READ for the
// multicast fallback, CAP_NET_ADMIN for a forced socket buffer). Returns an
// empty string on success, else why not.
std::string narrow_to_setup();
// After setup: keep only what undoing it needs (Linux: CAP_AUDIT_CONTROL).
// Applies to the calling thread; threads started earlier keep the setup set.
std::string narrow_to_capture();

}  // namespace auditpipe

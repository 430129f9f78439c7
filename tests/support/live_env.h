// Whether a live test may run here, decided from the environment before
// the test runs, never from what the tool under test answers: a test that
// skipped on a tool's "live audit" error would hide that very failure.
// Under BULLION_REQUIRE_LIVE=1 (`make test`, CI: root on a kernel with
// audit) an unavailable kernel audit is a failure, not a skip.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <string_view>

#include "live/netlink_linux.h"

namespace bullion::testing {

inline bool live_required() {
  const char* v = std::getenv("BULLION_REQUIRE_LIVE");
  return v != nullptr && std::string_view(v) == "1";
}

// Empty when kernel audit is there for us (root, AUDIT_GET answers); else why not.
inline std::string live_audit_unavailable() {
  if (geteuid() != 0) return "live audit needs root";
  auto control = live::linux_audit::ControlChannel::open();
  if (!control) return "no kernel audit: " + control.error().message;
  auto state = control->state();
  if (!state) return "no kernel audit: " + state.error().message;
  return {};
}

}  // namespace bullion::testing

// Skips the test when live audit is unavailable, or fails it when it is required.
#define BULLION_REQUIRE_LIVE_AUDIT()                                                               \
  do {                                                                                             \
    const std::string why_not = ::bullion::testing::live_audit_unavailable();                      \
    if (!why_not.empty()) {                                                                        \
      if (::bullion::testing::live_required()) FAIL() << "BULLION_REQUIRE_LIVE=1 but " << why_not; \
      GTEST_SKIP() << why_not;                                                                     \
    }                                                                                              \
  } while (0)

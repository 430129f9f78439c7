// Stopping a live capture cleanly: SIGINT, SIGTERM and the timeout's SIGALRM
// ask the source to stop, so it removes its kernel rules and restores the
// audit state before the process exits.
#pragma once

#include "bullion/live/source.h"

namespace bullion::live {

// While alive, those signals call source.request_stop() (an eventfd write,
// safe in a handler); `timeout_seconds` (0 = none) arms SIGALRM. One at a
// time per process: the handlers know a single source.
class StopOnSignals {
 public:
  StopOnSignals(LiveSource& source, unsigned timeout_seconds);
  ~StopOnSignals();  // disarms the alarm and forgets the source
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;
  bool timed_out() const;  // the timeout's alarm has fired
};

}  // namespace bullion::live

// The live audit stream into a sink, like any other input: records as they
// come, idle() between batches (so buffered output is written while the
// stream is quiet), begin()/end() around the capture.
#pragma once

#include "bullion/bsm/sink.h"
#include "bullion/error.h"
#include "bullion/live/source.h"

namespace bullion::pipeline {

// Delivers the records of a started source until it stops: the sink's
// Flow::Stop, request_stop() (signals, a deadline), or an error. Records
// are named "live"; their offsets are where they would sit in a saved
// trail. No begin()/end(): the caller owns the run.
Status deliver_live(live::LiveSource& source, bsm::RecordSink& sink);

struct LiveOutcome {
  Status status = Ok{};
  bool timed_out = false;  // set by callers that stop the source at a deadline
  live::LiveStats stats;
};

// Starts `source` (open_live_source) with `options` and delivers into the
// sink between begin() and end(). What stops it (SIGINT/SIGTERM through
// live::StopOnSignals, a timeout) is the caller's: the source is theirs.
// Errc::Permission when not allowed to audit.
LiveOutcome read_live(live::LiveSource& source, const live::LiveOptions& options, bsm::RecordSink& sink);

}  // namespace bullion::pipeline

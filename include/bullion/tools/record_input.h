// How a tool that can also watch the live audit stream picks its input,
// and the live capture every such tool shares.
#pragma once

#include <string_view>
#include <vector>

#include "bullion/bsm/sink.h"
#include "bullion/pipeline/live.h"
#include "bullion/pipeline/read.h"
#include "bullion/tables.h"
#include "bullion/tools/reporter.h"

namespace bullion::tools {

// No tool goes live unless asked: --live, or no input named while stdin is
// a terminal (then there is nothing to read). `cat trail | commands` reads
// the pipe.
bool wants_live(bool live_option, const std::vector<std::string>& inputs);

// Captures the audit classes given as class flags ("ex", "fr,fw,pc") into
// the sink until it stops, SIGINT/SIGTERM or the timeout (seconds, 0 =
// none). A failure (bad flags, no privilege, no live source) goes to the
// reporter as "live audit: why"; events lost on the way, or not translated,
// are reported too (and fail the exit status).
pipeline::LiveOutcome capture_live(const tables::TableSet& tables, std::string_view class_flags, bsm::RecordSink& sink,
                                   Reporter& reporter, unsigned timeout_seconds = 0);

}  // namespace bullion::tools

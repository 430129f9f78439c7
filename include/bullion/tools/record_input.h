// Where the hand tools get records: trail files, audit directories, Linux
// audit.log files or stdin, or the live audit stream. Both push records into
// a callback, which returns false to stop early (pwait found its process).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "bullion/bsm/reader.h"
#include "bullion/error.h"
#include "bullion/live/source.h"
#include "bullion/tables.h"

namespace bullion::tools {

using RecordCallback = std::function<bool(const bsm::RecordView&)>;

struct ReadOutcome {
  bool clean = true;     // nothing damaged or unreadable
  bool stopped = false;  // the callback asked to stop
};

// Reads every input in order (none = stdin). Damage is reported on stderr
// as "TOOL: NAME: offset N: why" and reading goes on at the next well-framed
// record, so one bad spot does not hide the rest of a trail. `before_report`
// runs before each message (flush stdout so lines stay in order).
ReadOutcome read_trails(std::string_view tool, const std::vector<std::string>& inputs, const RecordCallback& on_record,
                        const std::function<void()>& before_report = {});

struct LiveOutcome {
  Status status = Ok{};
  bool timed_out = false;  // the timeout given to read_live passed
  live::LiveStats stats;
};

// Captures live records until the callback returns false, SIGINT/SIGTERM, the
// timeout (seconds, 0 = none) or an error. `batch_done` runs when the source
// is about to wait for more (flush output there). Errc::Permission when not
// allowed to audit; Errc::Unsupported when this host has no live source.
LiveOutcome read_live(const live::LiveOptions& options, const RecordCallback& on_record,
                      const std::function<void()>& batch_done, unsigned timeout_seconds);

// read_live for a tool that captures audit classes given as class flags
// ("ex", "fr,fw,pc"): options come from the tables; a failure (bad flags,
// no privilege, no live source) is reported as "TOOL: live audit: why".
LiveOutcome capture_live(std::string_view tool, const tables::TableSet& tables, std::string_view class_flags,
                         const RecordCallback& on_record, const std::function<void()>& batch_done = {},
                         unsigned timeout_seconds = 0);

}  // namespace bullion::tools

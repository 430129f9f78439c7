// Opening what users hand the tools as "a trail": a BSM trail file, "-" for
// standard input, an audit directory (its trail files in time order), or a
// Linux audit.log (translated to BSM records on the fly).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bullion/bsm/reader.h"
#include "bullion/error.h"

namespace bullion::input {

// Trail files of an audit directory in the order they were written:
// START.END and START.not_terminated and crash_recovery names sort by their
// start time; entries that are not regular files are skipped; `current` (a
// link to the live file) is read only when it points at a file not already
// listed, and then last. A non-directory path is returned as is.
Result<std::vector<std::string>> expand_trail_paths(const std::string& path);

// True when a trail file name looks like auditd's: 14 digits, '.', then 14
// digits, "not_terminated" or "crash_recovery".
bool is_trail_file_name(std::string_view name);

// Opens one trail (not a directory). Linux audit.log content is detected
// and translated to BSM records.
Result<std::unique_ptr<bsm::RecordReader>> open_trail(const std::string& path);

// Called for every record and stand-alone file token; return false to stop.
using RecordCallback = std::function<bool(const bsm::RecordView&)>;

struct ReadOptions {
  // After damage, go on at the next well-framed record (praudit -p,
  // auditreduce --resync); otherwise stop reading that input.
  bool resync = true;
  // Runs before each message on stderr (flush stdout so lines stay in order).
  std::function<void()> before_report;
  // Also told every message: the input's name, the text, and whether it
  // was damage or an unreadable input (false: a Linux log's translation
  // summary). A tool that writes a report of its own (auditview) shows them.
  std::function<void(std::string_view name, std::string_view message, bool damage)> on_report;
};

struct ReadOutcome {
  bool clean = true;     // nothing damaged or unreadable
  bool stopped = false;  // the callback asked to stop
};

// Reads every input in order (none = stdin): trail files, "-", audit
// directories, Linux audit.log files. Damage and unreadable inputs are
// reported on stderr as "TOOL: NAME: offset N: why" (the offset where
// reading stopped); a Linux log's translation summary is reported too.
ReadOutcome read_trails(std::string_view tool, const std::vector<std::string>& inputs, const RecordCallback& on_record,
                        const ReadOptions& options = {});

}  // namespace bullion::input

// What a named input stands for: a file, or a directory of them.
//
// An audit directory (auditd's trail directory) stands for its trail files
// in the order they were written; a Linux audit log directory for its
// rotated logs, oldest first (audit.log.N ... audit.log.1, audit.log).
// Compressed copies (NAME.gz) count as the files they hold.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bullion/error.h"

namespace bullion::input {

// Trail files of an audit directory in the order they were written:
// START.END, START.not_terminated and START.crash_recovery names sort by
// their start time; `current` (a link to the open trail) is read only when
// it points at a file not already listed, and then last. Then the
// directory's audit.log files, oldest first. Entries that are not regular
// files are skipped. A path that is not a directory is returned as is.
//
// With `follow`, the last file is the one to follow: when `current` points
// at the last trail, `DIR/current` is listed in its place, so that the
// reader follows the link across auditd's rotations.
Result<std::vector<std::string>> expand_input(const std::string& path, bool follow = false);
Result<std::vector<std::string>> expand_trail_paths(const std::string& path);  // expand_input without follow

// auditd's trail names: 14 digits, '.', then 14 digits, "not_terminated"
// or "crash_recovery" (and the same with ".gz").
bool is_trail_file_name(std::string_view name);
// "audit.log", "audit.log.N" (and the same with ".gz").
bool is_audit_log_name(std::string_view name);

}  // namespace bullion::input

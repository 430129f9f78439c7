// One Linux audit event (the records sharing a serial) and its translation
// into one BSM record.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "bullion/bsm/encoder.h"
#include "bullion/linux/translate.h"
#include "linux/record_text.h"

namespace bullion::linuxaudit {

struct StoredRecord {
  int type = 0;
  std::string body;  // the fields, after "audit(...):"
};

struct PendingEvent {
  Stamp stamp;
  std::vector<StoredRecord> records;
  size_t bytes = 0;           // total body bytes, for the size limit
  uint64_t last_seconds = 0;  // newest record time seen for this event
  uint64_t last_record = 0;   // records_in when its last record came
};

// Limits that keep hostile input bounded; beyond them records are counted
// as rejected, and the event is translated from what it holds.
inline constexpr size_t kMaxRecordsPerEvent = 20000;
inline constexpr size_t kMaxEventBytes = 16u << 20;
inline constexpr size_t kMaxExecArgs = 1u << 18;

struct BuildOutcome {
  bool translated = false;
  std::string skip_reason;  // when not translated
};

// Builds the BSM record for `event` into `builder` (begin .. before finish).
// `note_unused` is called with the type name of each record no token carries.
BuildOutcome build_event(const PendingEvent& event, const TranslateOptions& options, bsm::RecordBuilder& builder,
                         const std::function<void(std::string_view)>& note_unused);

// Exposed for tests: argv from EXECVE records (all of them, in order).
std::vector<std::string> exec_arguments(std::span<const std::span<const Field>> execve_records);
// Exposed for tests: a PATH name made absolute against cwd ("." and empty
// components dropped; ".." kept, since symlinks make it unsafe to fold).
std::string absolute_path(std::string_view cwd, std::string_view name);

}  // namespace bullion::linuxaudit

// The records a trail daemon writes itself: the file tokens that open and
// close each trail, OpenBSM's audit startup / shutdown / crash recovery
// records, and a loss record for records that could not be written.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace bullion::trail {

// OpenBSM's events for the daemon's own records (etc/audit_event).
inline constexpr uint16_t kAueAuditStartup = 45000;
inline constexpr uint16_t kAueAuditShutdown = 45001;
inline constexpr uint16_t kAueAuditRecovery = 45029;
// The live source's loss record (src/tables/builtin_linux_audit_event.inc):
// the daemon writes its own losses the same way.
inline constexpr uint16_t kAueLinuxLost = 48002;

struct Timestamp {
  int64_t seconds = 0;
  uint32_t msec = 0;
};

// Who writes the daemon records (subject32_ex: auid and ruid = uid, sid = pid).
struct DaemonIdentity {
  uint32_t uid = 0, euid = 0, gid = 0, egid = 0, pid = 0;
};
DaemonIdentity current_identity();

// A stand-alone file token naming `path` (trail start or end marker).
std::vector<uint8_t> file_token(Timestamp at, std::string_view path);

// "PROGRAM::Audit startup" and friends, as OpenBSM's auditd_gen_record
// writes them: subject, text, the path of a recovered trail, return success.
std::vector<uint8_t> daemon_record(uint16_t event, std::string_view text, std::string_view path,
                                   const DaemonIdentity& who, Timestamp at);

// Records that could not be written (`where`: "writer"), as the live
// source reports its own losses: AUE_LINUX_LOST with a text token
// "lost=N where=WHERE" and the daemon as subject (auid unset), so a reader
// of the trail sees the gap where it happened.
std::vector<uint8_t> loss_record(uint64_t count, std::string_view where, const DaemonIdentity& who, Timestamp at);

}  // namespace bullion::trail

// audit_warn: the administrator's program, run as OpenBSM's auditd runs it,
// with a reason and sometimes a file: `soft DIR`, `hard DIR`, `allsoft`,
// `allhard`, `closefile FILE`, `expired FILE`, `ebusy`, `getacdir DIR`,
// `nostart`, `postsigterm`, `auditoff`, `tmpfile`.
//
// The program is executed directly (posix_spawn, argv only), never through
// a shell, with a fixed environment, stdin from /dev/null; the daemon does
// not wait for it. Reasons and file names come from the daemon, never from
// the audit stream.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "bullion/error.h"

namespace bullion::trail {

namespace warn_reason {
inline constexpr std::string_view kSoft = "soft";
inline constexpr std::string_view kHard = "hard";
inline constexpr std::string_view kAllSoft = "allsoft";
inline constexpr std::string_view kAllHard = "allhard";
inline constexpr std::string_view kCloseFile = "closefile";
inline constexpr std::string_view kExpired = "expired";
inline constexpr std::string_view kEbusy = "ebusy";
inline constexpr std::string_view kGetAcDir = "getacdir";
inline constexpr std::string_view kNoStart = "nostart";
inline constexpr std::string_view kPostSigterm = "postsigterm";
inline constexpr std::string_view kAuditOff = "auditoff";
inline constexpr std::string_view kTmpFile = "tmpfile";
}  // namespace warn_reason

class Warner {
 public:
  virtual ~Warner() = default;
  // `file` empty: the reason alone.
  virtual Status warn(std::string_view reason, std::string_view file) = 0;
};

// A finished audit_warn run that did not exit 0, for the daemon's log.
struct WarnExit {
  pid_t pid = 0;
  bool signaled = false;
  int code = 0;  // exit status, or the signal
};

class ProgramWarner final : public Warner {
 public:
  explicit ProgramWarner(std::string program) : program_(std::move(program)) {}
  ~ProgramWarner() override;
  // Errc::NotFound when the program does not exist (no warning is run).
  Status warn(std::string_view reason, std::string_view file) override;
  // Collects finished runs without blocking; returns those that failed.
  std::vector<WarnExit> reap();
  // Waits for every run still going (tests, shutdown), at most `millis`.
  std::vector<WarnExit> wait_all(int millis);
  const std::string& program() const { return program_; }

 private:
  std::string program_;
  std::vector<pid_t> running_;
};

}  // namespace bullion::trail

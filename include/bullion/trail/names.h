// Trail file names as OpenBSM's auditd gives them: the start time, a dot,
// then the end time once the trail is closed, `not_terminated` while it is
// written, or `crash_recovery` when a daemon died with it open. Times are
// UTC, `%Y%m%d%H%M%S`, so name order is time order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bullion::trail {

inline constexpr std::string_view kNotTerminated = "not_terminated";
inline constexpr std::string_view kCrashRecovery = "crash_recovery";
// The link to the open trail, in the first trail directory.
inline constexpr std::string_view kCurrentLink = "current";

// "20240213223724" for a time in seconds since the epoch (UTC).
std::string format_trail_time(int64_t seconds);
// The inverse; nothing unless exactly 14 digits naming a real UTC time.
std::optional<int64_t> parse_trail_time(std::string_view text);

struct TrailName {
  enum class State : uint8_t { Closed, Open, Crashed };
  int64_t start = 0;
  State state = State::Closed;
  int64_t end = 0;  // Closed only
};

// Reads "START.END", "START.not_terminated" or "START.crash_recovery" (a
// file name, not a path); nothing for any other name.
std::optional<TrailName> parse_trail_name(std::string_view file_name);

std::string open_trail_name(int64_t start);                 // START.not_terminated
std::string closed_trail_name(int64_t start, int64_t end);  // START.END
std::string crashed_trail_name(int64_t start);              // START.crash_recovery

}  // namespace bullion::trail

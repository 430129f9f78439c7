#include "bullion/trail/names.h"

#include <ctime>

namespace bullion::trail {

namespace {

constexpr size_t kStampLength = 14;

bool all_digits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int field(std::string_view text, size_t at, size_t width) {
  int value = 0;
  for (size_t i = at; i < at + width; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

}  // namespace

std::string format_trail_time(int64_t seconds) {
  const time_t t = static_cast<time_t>(seconds);
  tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  strftime(text, sizeof text, "%Y%m%d%H%M%S", &utc);
  return text;
}

// timegm() normalises out-of-range fields (month 13 becomes January); a
// name is only a trail time when formatting it back gives the same text.
std::optional<int64_t> parse_trail_time(std::string_view text) {
  if (text.size() != kStampLength || !all_digits(text)) return std::nullopt;
  tm utc{};
  utc.tm_year = field(text, 0, 4) - 1900;
  utc.tm_mon = field(text, 4, 2) - 1;
  utc.tm_mday = field(text, 6, 2);
  utc.tm_hour = field(text, 8, 2);
  utc.tm_min = field(text, 10, 2);
  utc.tm_sec = field(text, 12, 2);
  const int64_t seconds = timegm(&utc);
  if (format_trail_time(seconds) != text) return std::nullopt;
  return seconds;
}

std::optional<TrailName> parse_trail_name(std::string_view file_name) {
  if (file_name.size() <= kStampLength + 1 || file_name[kStampLength] != '.') return std::nullopt;
  auto start = parse_trail_time(file_name.substr(0, kStampLength));
  if (!start) return std::nullopt;
  const std::string_view rest = file_name.substr(kStampLength + 1);
  if (rest == kNotTerminated) return TrailName{*start, TrailName::State::Open, 0};
  if (rest == kCrashRecovery) return TrailName{*start, TrailName::State::Crashed, 0};
  auto end = parse_trail_time(rest);
  if (!end) return std::nullopt;
  return TrailName{*start, TrailName::State::Closed, *end};
}

std::string open_trail_name(int64_t start) { return format_trail_time(start) + "." + std::string(kNotTerminated); }

std::string closed_trail_name(int64_t start, int64_t end) {
  return format_trail_time(start) + "." + format_trail_time(end);
}

std::string crashed_trail_name(int64_t start) { return format_trail_time(start) + "." + std::string(kCrashRecovery); }

}  // namespace bullion::trail

#include "text/names.h"

#include <cstring>
#include <ctime>
#include <fmt/format.h>

#include "bullion/bsm/errno.h"

namespace bullion::text {

Names::Names(const tables::TableSet& tables) : tables_(tables) {
  for (int n = 0; n < 256; ++n) {
    const auto local = bsm::bsm_to_local_errno(static_cast<uint8_t>(n));
    if (n == 0)
      status_text_[n] = "success";
    else if (local)
      status_text_[n] = fmt::format("failure : {}", std::strerror(*local));
    else
      status_text_[n] = fmt::format("failure: Unknown error: {}", n);
  }
}

std::string_view Names::user(uint32_t uid) {
  auto it = users_.find(uid);
  if (it == users_.end()) {
    auto name = tables_.accounts ? tables_.accounts->user_name(uid) : std::nullopt;
    it = users_.emplace(uid, name ? std::string(*name) : std::string()).first;
  }
  return it->second;
}

std::string_view Names::group(uint32_t gid) {
  auto it = groups_.find(gid);
  if (it == groups_.end()) {
    auto name = tables_.accounts ? tables_.accounts->group_name(gid) : std::nullopt;
    it = groups_.emplace(gid, name ? std::string(*name) : std::string()).first;
  }
  return it->second;
}

std::string_view Names::ctime(uint64_t seconds) {
  if (seconds == ctime_key_) return ctime_text_;
  ctime_key_ = seconds;
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const time_t t = static_cast<time_t>(seconds);
  struct tm tm {};
  if (!localtime_r(&t, &tm)) {
    ctime_text_ = fmt::format("{}", seconds);  // out of range for the calendar
    return ctime_text_;
  }
  // ctime(3)'s layout: "Sun Dec 28 15:12:18 2008", day padded with a space.
  ctime_text_ = fmt::format("{} {} {:2d} {:02d}:{:02d}:{:02d} {}", kDays[tm.tm_wday], kMonths[tm.tm_mon], tm.tm_mday,
                            tm.tm_hour, tm.tm_min, tm.tm_sec, 1900LL + tm.tm_year);
  return ctime_text_;
}

}  // namespace bullion::text

#include "text/names.h"

#include <fmt/format.h>

#include <cstring>
#include <ctime>

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

std::string_view Names::cached(IdCache& cache, uint32_t id, bool user) {
  const auto lookup = [&]() -> std::string {
    if (!tables_.accounts) return {};
    auto name = user ? tables_.accounts->user_name(id) : tables_.accounts->group_name(id);
    return name ? std::string(*name) : std::string();
  };
  if (id < PagedTable<Entry>::kSize) {
    Entry& e = cache.direct[static_cast<uint16_t>(id)];
    if (!e.known) {
      e.name = lookup();
      e.known = true;
    }
    return e.name;
  }
  auto it = cache.other.find(id);
  if (it == cache.other.end()) it = cache.other.emplace(id, lookup()).first;
  return it->second;
}

std::string_view Names::user(uint32_t uid) { return cached(users_, uid, true); }
std::string_view Names::group(uint32_t gid) { return cached(groups_, gid, false); }

std::string_view Names::ctime(uint64_t seconds) {
  if (seconds == ctime_key_) return ctime_text_;
  // Within the same minute only the seconds digits change (UTC offsets are
  // whole minutes in every zone since the 1970s; older offsets with seconds
  // fall back to a full conversion). This keeps localtime_r off the hot path.
  if (minute_valid_ && seconds / 60 == ctime_key_ / 60 && seconds >= ctime_key_ - ctime_key_ % 60) {
    const unsigned sec = static_cast<unsigned>(seconds % 60);
    ctime_text_[17] = static_cast<char>('0' + sec / 10);
    ctime_text_[18] = static_cast<char>('0' + sec % 10);
    ctime_key_ = seconds;
    return ctime_text_;
  }
  ctime_key_ = seconds;
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const time_t t = static_cast<time_t>(seconds);
  struct tm tm {};
  if (!localtime_r(&t, &tm)) {
    ctime_text_ = std::to_string(seconds);  // out of range for the calendar
    minute_valid_ = false;
    return ctime_text_;
  }
  // ctime(3)'s layout, "Sun Dec 28 15:12:18 2008", built by hand: fmt's
  // runtime formatting cost more than the rest of the record.
  const auto two = [](int v, char pad) { return std::string{v < 10 ? pad : char('0' + v / 10), char('0' + v % 10)}; };
  ctime_text_.clear();
  ctime_text_.append(kDays[tm.tm_wday]).append(" ").append(kMonths[tm.tm_mon]).append(" ");
  ctime_text_.append(two(tm.tm_mday, ' ')).append(" ").append(two(tm.tm_hour, '0')).append(":");
  ctime_text_.append(two(tm.tm_min, '0')).append(":").append(two(tm.tm_sec, '0')).append(" ");
  ctime_text_.append(std::to_string(1900LL + tm.tm_year));
  minute_valid_ = tm.tm_gmtoff % 60 == 0 && tm.tm_sec < 60;
  return ctime_text_;
}

}  // namespace bullion::text

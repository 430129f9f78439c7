// Option text -> criteria values. OpenBSM's date form is local time (as its
// strptime + mktime); the ISO 8601 form must carry its zone, so a date means
// the same instant wherever the trail is reduced.
#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>

#include "bullion/select/selector.h"

namespace bullion::select {
namespace {

Error bad(std::string message) { return Error{Errc::InvalidArgument, 0, 0, std::move(message)}; }

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int digits_at(std::string_view s, size_t at, size_t n) {
  int v = 0;
  std::from_chars(s.data() + at, s.data() + at + n, v);
  return v;
}

bool plausible(const std::tm& tm) {
  return tm.tm_mon >= 0 && tm.tm_mon < 12 && tm.tm_mday >= 1 && tm.tm_mday <= 31 && tm.tm_hour < 24 && tm.tm_min < 60 &&
         tm.tm_sec <= 60;
}

// YYYYMMDD[HH[MM[SS]]]; missing parts are zero, as OpenBSM's strptime
// leaves them.
Result<int64_t> parse_compact_local(std::string_view s) {
  if (!all_digits(s) || (s.size() != 8 && s.size() != 10 && s.size() != 12 && s.size() != 14))
    return bad(fmt::format("'{}' is not YYYYMMDD[HH[MM[SS]]]", s));
  std::tm tm{};
  tm.tm_year = digits_at(s, 0, 4) - 1900;
  tm.tm_mon = digits_at(s, 4, 2) - 1;
  tm.tm_mday = digits_at(s, 6, 2);
  if (s.size() >= 10) tm.tm_hour = digits_at(s, 8, 2);
  if (s.size() >= 12) tm.tm_min = digits_at(s, 10, 2);
  if (s.size() >= 14) tm.tm_sec = digits_at(s, 12, 2);
  if (!plausible(tm)) return bad(fmt::format("'{}' is not a valid date", s));
  // Let mktime decide about daylight saving time (OpenBSM forces it off,
  // which puts summer dates an hour off; COMPAT.md).
  tm.tm_isdst = -1;
  return static_cast<int64_t>(std::mktime(&tm));
}

// The zone suffix: Z, +HH:MM, -HH:MM, +HHMM, +HH. Returns seconds east of UTC.
Result<int64_t> parse_zone(std::string_view z, std::string_view whole) {
  if (z == "Z" || z == "z") return int64_t{0};
  if (z.size() >= 3 && (z[0] == '+' || z[0] == '-')) {
    std::string_view hhmm = z.substr(1);
    std::string compact(hhmm);
    if (compact.size() == 5 && compact[2] == ':') compact.erase(2, 1);
    if (all_digits(compact) && (compact.size() == 2 || compact.size() == 4)) {
      const int64_t h = digits_at(compact, 0, 2), m = compact.size() == 4 ? digits_at(compact, 2, 2) : 0;
      if (h <= 23 && m <= 59) return (z[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
    }
  }
  return bad(
      fmt::format("'{}': ISO 8601 dates need a zone (Z or +HH:MM); "
                  "use YYYYMMDD[HH[MM[SS]]] for local time",
                  whole));
}

// YYYY-MM-DDTHH:MM[:SS]<zone>
Result<int64_t> parse_iso8601(std::string_view s) {
  auto digit_run = [&](size_t at, size_t n) { return at + n <= s.size() && all_digits(s.substr(at, n)); };
  const bool shape = s.size() >= 16 && digit_run(0, 4) && s[4] == '-' && digit_run(5, 2) && s[7] == '-' &&
                     digit_run(8, 2) && (s[10] == 'T' || s[10] == 't' || s[10] == ' ') && digit_run(11, 2) &&
                     s[13] == ':' && digit_run(14, 2);
  if (!shape) return bad(fmt::format("'{}' is neither YYYYMMDD[HH[MM[SS]]] nor YYYY-MM-DDTHH:MM[:SS]+zone", s));
  std::tm tm{};
  tm.tm_year = digits_at(s, 0, 4) - 1900;
  tm.tm_mon = digits_at(s, 5, 2) - 1;
  tm.tm_mday = digits_at(s, 8, 2);
  tm.tm_hour = digits_at(s, 11, 2);
  tm.tm_min = digits_at(s, 14, 2);
  size_t at = 16;
  if (at < s.size() && s[at] == ':') {
    if (!digit_run(at + 1, 2)) return bad(fmt::format("'{}': bad seconds", s));
    tm.tm_sec = digits_at(s, at + 1, 2);
    at += 3;
  }
  if (!plausible(tm)) return bad(fmt::format("'{}' is not a valid date", s));
  Result<int64_t> zone = parse_zone(s.substr(at), s);
  if (!zone) return zone.error();
  return static_cast<int64_t>(timegm(&tm)) - *zone;
}

}  // namespace

Result<int64_t> parse_date_time(std::string_view text) {
  if (all_digits(text)) return parse_compact_local(text);
  return parse_iso8601(text);
}

Result<std::pair<int64_t, int64_t>> parse_day(std::string_view text) {
  if (text.size() != 8) return bad(fmt::format("'{}' is not YYYYMMDD", text));
  Result<int64_t> start = parse_compact_local(text);
  if (!start) return start.error();
  Result<int64_t> last = parse_compact_local(fmt::format("{}235959", text));
  if (!last) return last.error();
  return std::pair{*start, *last};
}

std::vector<FilePattern> parse_file_patterns(std::string_view text) {
  std::vector<FilePattern> out;
  std::string current;
  auto close = [&] {
    FilePattern p;
    p.exclude = !current.empty() && current[0] == '~';
    p.regex = p.exclude ? current.substr(1) : current;
    out.push_back(std::move(p));
    current.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == ',') {
      current += ',';  // `\,` is a comma inside a pattern
      ++i;
    } else if (text[i] == ',' && i > 0) {
      close();
    } else {
      current += text[i];
    }
  }
  close();
  return out;
}

Result<SocketSpec> parse_socket_spec(std::string_view text) {
  SocketSpec s;
  if (!text.empty() && text[0] == '/') {
    s.unix_path = std::string(text);
    return s;
  }
  std::string_view host = text, port;
  if (!text.empty() && text[0] == '[') {  // [v6]:port
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return bad(fmt::format("sock='{}': missing ']'", text));
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return bad(fmt::format("sock='{}': expected ':' after ']'", text));
      port = text.substr(close + 2);
    }
  } else if (all_digits(text)) {
    host = {}, port = text;
  } else if (const size_t colon = text.rfind(':'); colon != std::string_view::npos && text.find(':') == colon) {
    host = text.substr(0, colon), port = text.substr(colon + 1);  // v4:port or :port
  }
  if (!port.empty() || (text.size() && text.back() == ':')) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || port.empty() || value > 65535)
      return bad(fmt::format("sock='{}': bad port", text));
    s.port = static_cast<uint16_t>(value);
  }
  if (!host.empty()) {
    const std::string h(host);
    if (inet_pton(AF_INET, h.c_str(), s.addr) == 1) {
      s.addr_type = 4;
    } else if (inet_pton(AF_INET6, h.c_str(), s.addr) == 1) {
      s.addr_type = 16;
    } else {
      return bad(fmt::format("sock='{}': '{}' is not an IPv4 or IPv6 address", text, host));
    }
  }
  if (!s.port && s.addr_type == 0) return bad("sock= needs an address, a port or a unix path");
  return s;
}

}  // namespace bullion::select

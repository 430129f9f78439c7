// Grouping records into events. Events are keyed by (serial, time): serials
// restart at boot, so a long log can hold the same serial twice. An event
// closes at EOE; when its newest record is close_after_seconds older than
// the newest record seen AND at least kLateWindow records came after it
// (old kernels write no EOE, and a record can arrive seconds late: a PATH
// 7 s after its SYSCALL in go-libaudit's out_of_order.log); when too many
// events wait; or at flush(). A user-space message waits like any record:
// the SYSCALL of the sendto that carried it shares its serial and comes
// after it.
#include <unistd.h>

#include <compare>
#include <ctime>
#include <map>
#include <numeric>

#include "bullion/linux/translate.h"
#include "linux/event.h"
#include "linux/mapping.h"

namespace bullion::linuxaudit {
namespace {

struct EventKey {
  uint64_t serial;
  uint64_t seconds;
  uint32_t msec;
  auto operator<=>(const EventKey&) const = default;
};

}  // namespace

uint64_t TranslateStats::lost_total() const {
  return std::accumulate(lost.begin(), lost.end(), uint64_t{0},
                         [](uint64_t sum, const auto& entry) { return sum + entry.second; });
}

uint64_t TranslateStats::skipped_total() const {
  return std::accumulate(skipped.begin(), skipped.end(), uint64_t{0},
                         [](uint64_t sum, const auto& entry) { return sum + entry.second; });
}

// Records that must arrive after an event's newest one before time alone
// closes it.
constexpr uint64_t kLateWindow = 64;
constexpr uint32_t kNoAuid = 0xffffffff;

struct Translator::State {
  Sink sink;
  TranslateOptions options;
  TranslateStats stats;
  std::map<EventKey, PendingEvent> pending;
  uint64_t newest_seconds = 0;
  uint64_t last_expiry_check = 0;
  uint64_t last_expiry_record = 0;
  bsm::RecordBuilder builder;

  void reject(std::string_view reason) { ++stats.rejected[std::string(reason)]; }
  void add_record(int type, std::string_view payload);
  void add_unstamped(int type);
  void close(std::map<EventKey, PendingEvent>::iterator it);
  void close_older_than(uint64_t seconds, uint64_t window);
  void limit_pending();
};

void Translator::State::close(std::map<EventKey, PendingEvent>::iterator it) {
  PendingEvent event = std::move(it->second);
  pending.erase(it);
  ++stats.events_in;
  auto note_unused = [this](std::string_view type_name) { ++stats.unused_records[std::string(type_name)]; };
  BuildOutcome outcome = build_event(event, options, builder, note_unused);
  if (!outcome.translated) {
    ++stats.skipped[outcome.skip_reason];
    return;
  }
  ++stats.events_out;
  sink(builder.finish());
}

void Translator::State::close_older_than(uint64_t seconds, uint64_t window) {
  // Closed in key order, so output follows serials; the scan runs once per
  // second of record time or per kLateWindow records.
  for (auto it = pending.begin(); it != pending.end();) {
    auto next = std::next(it);
    if (it->second.last_seconds < seconds && stats.records_in - it->second.last_record >= window) close(it);
    it = next;
  }
}

void Translator::State::limit_pending() {
  while (pending.size() > options.max_pending_events) close(pending.begin());
}

void Translator::State::add_record(int type, std::string_view payload) {
  Stamp stamp;
  std::string_view body;
  if (payload == "?") return add_unstamped(type);
  if (auto why = parse_stamp(payload, stamp, body)) return reject(*why);
  ++stats.records_in;
  const RecordRole role = record_type(type).role;
  const EventKey key{stamp.serial, stamp.seconds, stamp.msec};
  PendingEvent& event = pending[key];
  if (event.records.empty()) event.stamp = stamp;
  if (role != RecordRole::Eoe) {
    if (event.records.size() >= kMaxRecordsPerEvent || event.bytes + body.size() > kMaxEventBytes)
      reject("event over size limit");
    else
      event.records.push_back({type, std::string(body)}), event.bytes += body.size();
  } else if (event.records.empty()) {
    event.records.push_back({type, {}});  // a lone EOE is still an event to account for
  }
  event.last_seconds = std::max(event.last_seconds, stamp.seconds);
  event.last_record = stats.records_in;
  if (role == RecordRole::Eoe) close(pending.find(key));
  if (stamp.seconds > newest_seconds) newest_seconds = stamp.seconds;
  const bool time_moved = newest_seconds > last_expiry_check;
  const bool window_passed = stats.records_in - last_expiry_record >= kLateWindow;
  if ((time_moved || window_passed) && newest_seconds > options.close_after_seconds) {
    last_expiry_check = newest_seconds;
    last_expiry_record = stats.records_in;
    close_older_than(newest_seconds - options.close_after_seconds, kLateWindow);
  }
  limit_pending();
}

// auditd writes "msg=?" for a record the kernel sent without a stamp
// (AUDIT_REPLACE when another daemon took over): still a record of its own,
// at time 0 with serial 0.
void Translator::State::add_unstamped(int type) {
  ++stats.records_in;
  const EventKey key{0, 0, 0};
  auto [it, inserted] = pending.try_emplace(key);
  if (!inserted) close(it), it = pending.try_emplace(key).first;
  it->second.records.push_back({type, {}});
  it->second.last_record = stats.records_in;
  close(it);
}

Translator::Translator(Sink sink, TranslateOptions options) : state_(std::make_unique<State>()) {
  state_->sink = std::move(sink);
  state_->options = options;
}

Translator::~Translator() = default;

void Translator::feed_log_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  const size_t first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos) return;  // blank lines separate nothing
  if (line[first] == '#') return;               // saved logs carry comments; not records
  LogLine parsed;
  if (auto why = split_log_line(line, parsed)) return state_->reject(*why);
  const int type = record_type_number(parsed.type_name);
  if (type < 0) return state_->reject("unknown record type name");
  state_->add_record(type, parsed.payload);
}

void Translator::feed_netlink(int type, std::string_view payload) {
  if (type <= 0 || type > 65535) return state_->reject("netlink type out of range");
  // The kernel may end a payload with NUL or newline.
  while (!payload.empty() && (payload.back() == '\0' || payload.back() == '\n')) payload.remove_suffix(1);
  state_->add_record(type, payload);
}

void Translator::expire(uint64_t unix_seconds) {
  if (unix_seconds > state_->options.close_after_seconds)
    state_->close_older_than(unix_seconds - state_->options.close_after_seconds, 0);
}

void Translator::flush() {
  while (!state_->pending.empty()) state_->close(state_->pending.begin());
}

void Translator::report_loss(uint64_t count, std::string_view where, std::optional<SerialRange> serials) {
  state_->stats.lost[std::string(where)] += count;
  std::string text = "lost=" + std::to_string(count) + " where=" + std::string(where);
  if (serials) text += " serials=" + std::to_string(serials->first) + "-" + std::to_string(serials->last);
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  bsm::RecordBuilder& b = state_->builder;
  b.begin_header32(kAueLinuxLost, 0, static_cast<uint32_t>(now.tv_sec), static_cast<uint32_t>(now.tv_nsec / 1000000));
  bsm::Subject self;
  self.auid = kNoAuid;
  self.euid = static_cast<uint32_t>(geteuid());
  self.egid = static_cast<uint32_t>(getegid());
  self.ruid = static_cast<uint32_t>(getuid());
  self.rgid = static_cast<uint32_t>(getgid());
  self.pid = static_cast<uint32_t>(getpid());
  b.subject32_ex(self);
  b.text(text);
  b.return32(0, 0);
  state_->sink(b.finish());
}

const TranslateStats& Translator::stats() const { return state_->stats; }

}  // namespace bullion::linuxaudit

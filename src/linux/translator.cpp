// Grouping records into events. Events are keyed by (serial, time): serials
// restart at boot, so a long log can hold the same serial twice. An event
// closes at EOE, at once when it is a user-space message (one record is the
// whole event), when a record arrives close_after_seconds later than its
// newest one (old kernels write no EOE; auparse closes the same way), when
// too many events wait, or at flush().
#include <compare>
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

uint64_t TranslateStats::skipped_total() const {
  return std::accumulate(skipped.begin(), skipped.end(), uint64_t{0},
                         [](uint64_t sum, const auto& entry) { return sum + entry.second; });
}

struct Translator::State {
  Sink sink;
  TranslateOptions options;
  TranslateStats stats;
  std::map<EventKey, PendingEvent> pending;
  uint64_t newest_seconds = 0;
  uint64_t last_expiry_check = 0;
  bsm::RecordBuilder builder;

  void reject(std::string_view reason) { ++stats.rejected[std::string(reason)]; }
  void add_record(int type, std::string_view payload);
  void close(std::map<EventKey, PendingEvent>::iterator it);
  void close_older_than(uint64_t seconds);
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

void Translator::State::close_older_than(uint64_t seconds) {
  // Closed in key order, so output follows serials; the scan runs at most
  // once per second of record time.
  for (auto it = pending.begin(); it != pending.end();) {
    auto next = std::next(it);
    if (it->second.last_seconds < seconds) close(it);
    it = next;
  }
}

void Translator::State::limit_pending() {
  while (pending.size() > options.max_pending_events) close(pending.begin());
}

void Translator::State::add_record(int type, std::string_view payload) {
  Stamp stamp;
  std::string_view body;
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
  if (role == RecordRole::Eoe || role == RecordRole::UserMessage) close(pending.find(key));
  if (stamp.seconds > newest_seconds) newest_seconds = stamp.seconds;
  if (newest_seconds > last_expiry_check && newest_seconds > options.close_after_seconds) {
    last_expiry_check = newest_seconds;
    close_older_than(newest_seconds - options.close_after_seconds);
  }
  limit_pending();
}

Translator::Translator(Sink sink, TranslateOptions options) : state_(std::make_unique<State>()) {
  state_->sink = std::move(sink);
  state_->options = options;
}

Translator::~Translator() = default;

void Translator::feed_log_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.find_first_not_of(" \t") == std::string_view::npos) return;  // blank lines separate nothing
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
    state_->close_older_than(unix_seconds - state_->options.close_after_seconds);
}

void Translator::flush() {
  while (!state_->pending.empty()) state_->close(state_->pending.begin());
}

const TranslateStats& Translator::stats() const { return state_->stats; }

}  // namespace bullion::linuxaudit
